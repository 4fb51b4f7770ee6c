import ExcelJS from 'exceljs';
import { createProgram, createTrainer } from '../support/campaign';
import { communesOf, createUser, TestUser } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { consistentSplit, fixture, Fixture, flagSplit, roster, sessionAgo, Split } from './support';

/**
 * The review of flags and the figures they qualify: a steering member's queue, the trainer's explanation, a
 * reasoned, audited and reversible decision; every KPI figure as all / verified / flagged / excluded adding up
 * as distinct people at every level, "all" being the published figure; trainers ranked on verified reach.
 */
describe('flags: review queue, decisions, and verified vs flagged figures', () => {
  let t: TestApp;
  let A: string;
  let B: string;
  let program: string;
  let steeringA: TestUser;
  let steeringOther: TestUser;
  let trainerUser: TestUser;
  let flagged: Fixture;
  let honest: Fixture;
  let shared: string;

  beforeAll(async () => {
    t = await startTestApp();
    [A, B] = await communesOf(t, '19');
    program = (await createProgram(t.http)).id;
    steeringA = await createUser(t, [{ role: 'steering', unitCode: A }]);
    steeringOther = await createUser(t, [{ role: 'steering', unitCode: B }]);
    trainerUser = await createUser(t, [{ role: 'trainer', unitCode: A }]);
    const self = await createTrainer(t.http, program, A);
    await t.http.patch(`/api/v1/users/${trainerUser.id}`, { personId: self.personId });
    // Four learners marked in class A days after its sessions (back-filled), three in class B on time; one
    // person learned in both.
    flagged = await fixture(t, A, {
      programId: program,
      trainerId: self.id,
      sessions: [sessionAgo(120), sessionAgo(100)],
      learners: 4,
    });
    honest = await fixture(t, B, {
      programId: program,
      sessions: [sessionAgo(50), sessionAgo(26)],
      learners: 2,
    });
    shared = flagged.people[0];
    expect(
      (await t.http.post(`/api/v1/classes/${honest.classId}/enrolments`, { personId: shared })).status,
    ).toBe(201);
    honest = { ...honest, people: [...honest.people, shared] };
    for (const f of [flagged, honest]) for (const s of [0, 1]) await roster(t, f, s);
  });
  afterAll(() => t.close());

  const queue = async (who: TestUser | TestApp, status = 'open') => {
    const res = await who.http.get(`/api/v1/flags?programId=${program}&status=${status}`);
    expect(res.status).toBe(200);
    return res.body.items as { id: string; pattern: string; summary: string; classId: string }[];
  };
  const split = (unit: string) => flagSplit(t, program, unit);
  const consistent = () => consistentSplit(t, program, [A, B]);
  const figure = (s: { figures: Split[] }, code = 'learners_reached') =>
    s.figures.find((f) => f.code === code)!;

  it('puts each flag in the queue of the steering level over it, and the trainer sees their own', async () => {
    const mine = await queue(trainerUser);
    expect(mine).toHaveLength(2);
    expect(mine.every((f) => f.pattern === 'backfilled' && f.classId === flagged.classId)).toBe(true);
    expect((await queue(steeringA)).map((f) => f.id).sort()).toEqual(mine.map((f) => f.id).sort());
    expect(await queue(steeringOther)).toEqual([]);
    expect((await queue(t)).length).toBe(2);
    expect(mine[0].summary).toMatch(/^Buổi \d kết thúc lúc .* lượt điểm danh được máy chủ nhận/);
  });

  it('splits every figure into verified, flagged and excluded people that add up at every level', async () => {
    const province = await consistent();
    // Six people reached (four in A, two more in B); the one who learned in both counts once, as flagged.
    expect(figure(province)).toMatchObject({ all: 6, verified: 2, flagged: 4, excluded: 0 });
    expect(figure(province, 'completions')).toMatchObject({ all: 6, verified: 2, flagged: 4 });
    const b = province.children.find((c) => c.unitCode === B)!;
    expect(figure(b)).toMatchObject({ all: 3, verified: 2, flagged: 1, flaggedShare: 0.333 });
  });

  it('lets the trainer explain, never decide; a steering member decides with a reason, audited and reversible', async () => {
    const [first, second] = await queue(steeringA);
    const explained = await trainerUser.http.post(`/api/v1/flags/${first.id}/explanation`, {
      text: 'Thôn mất sóng cả tuần, tôi ghi trên giấy rồi nhập lại khi về xã',
    });
    expect(explained.status).toBe(200);
    expect(explained.body).toMatchObject({ canExplain: true, canDecide: false });
    expect(explained.body.explanation).toMatch(/mất sóng/);
    const refused = await trainerUser.http.post(`/api/v1/flags/${first.id}/decision`, {
      decision: 'clear',
      reason: 'Tôi tự xác nhận',
    });
    expect(refused.status).toBe(403);

    const seen = await steeringA.http.get(`/api/v1/flags/${first.id}`);
    expect(seen.body).toMatchObject({ canDecide: true, canExplain: false, records: 4 });
    expect(seen.body.people.map((p: { personId: string }) => p.personId).sort()).toEqual(
      [...flagged.people].sort(),
    );
    expect(seen.body.evidence).toMatchObject({ marks: 4, threshold: 72 });

    const marksBefore = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM attendance WHERE class_id = $1`,
      [flagged.classId],
    );
    const noReason = await steeringA.http.post(`/api/v1/flags/${first.id}/decision`, {
      decision: 'exclude',
      reason: '',
    });
    expect(noReason.status).toBe(400);
    const excluded = await steeringA.http.post(`/api/v1/flags/${first.id}/decision`, {
      decision: 'exclude',
      reason: 'Học viên xác nhận không dự buổi học',
    });
    expect(excluded.status).toBe(200);
    expect(excluded.body).toMatchObject({ status: 'excluded', statusLabel: 'Đã loại khỏi số liệu' });
    // Excluded from the verified figures, never from the records or from "all".
    let province = await consistent();
    expect(figure(province)).toMatchObject({ all: 6, verified: 2, flagged: 0, excluded: 4 });
    expect(
      await t.dataSource.query(`SELECT count(*)::int AS n FROM attendance WHERE class_id = $1`, [
        flagged.classId,
      ]),
    ).toEqual(marksBefore);
    const again = await steeringA.http.post(`/api/v1/flags/${first.id}/decision`, {
      decision: 'exclude',
      reason: 'Lần nữa',
    });
    expect(again.status).toBe(409);

    // The other flag (same people) is cleared; the exclusion still stands for them until reversed.
    expect(
      (
        await steeringA.http.post(`/api/v1/flags/${second.id}/decision`, {
          decision: 'clear',
          reason: 'Đã gọi điện xác minh',
        })
      ).status,
    ).toBe(200);
    expect(figure(await consistent())).toMatchObject({ verified: 2, flagged: 0, excluded: 4 });
    const reopened = await steeringA.http.post(`/api/v1/flags/${first.id}/decision`, {
      decision: 'reopen',
      reason: 'Cần xem lại danh sách ký tên',
    });
    expect(reopened.body.status).toBe('open');
    province = await consistent();
    expect(figure(province)).toMatchObject({ all: 6, verified: 2, flagged: 4, excluded: 0 });
    // Clearing the reopened flag makes everyone verified.
    await steeringA.http.post(`/api/v1/flags/${first.id}/decision`, {
      decision: 'clear',
      reason: 'Đã đối chiếu sổ ký tên',
    });
    expect(figure(await consistent())).toMatchObject({ all: 6, verified: 6, flagged: 0, excluded: 0 });

    // Every decision is in the audit trail, with who, the reason and the status before and after.
    const trail: {
      action: string;
      before: { status?: string };
      after: { status?: string; reason?: string };
    }[] = await t.dataSource.query(
      `SELECT action, before, after FROM audit_log WHERE entity_type = 'data_flag' AND entity_id = $1 ORDER BY id`,
      [first.id],
    );
    expect(trail.map((e) => e.action)).toEqual([
      'flag.explained',
      'flag.exclude',
      'flag.reopen',
      'flag.clear',
    ]);
    expect(trail[1]).toMatchObject({
      before: { status: 'open' },
      after: { status: 'excluded', reason: 'Học viên xác nhận không dự buổi học' },
    });
    const history = (await steeringA.http.get(`/api/v1/flags/${first.id}`)).body.history;
    expect(history.map((h: { action: string }) => h.action)).toEqual(trail.map((e) => e.action));
    expect((await queue(steeringA, 'cleared')).length).toBe(2);
  });

  it('ranks trainers on verified reach, with each one’s share of flagged records', async () => {
    // Reopen one flag: class A's learners are questioned again.
    const [one] = await queue(steeringA, 'cleared');
    await steeringA.http.post(`/api/v1/flags/${one.id}/decision`, {
      decision: 'reopen',
      reason: 'Kiểm tra lại',
    });
    const byVerified = (await t.http.get(`/api/v1/flags/trainers?programId=${program}&unit=19`)).body;
    const byAll = (await t.http.get(`/api/v1/flags/trainers?programId=${program}&unit=19&rank=all`)).body;
    const flaggedTrainer = byAll.find((r: { trainerId: string }) => r.trainerId === flagged.trainerId);
    const honestTrainer = byAll.find((r: { trainerId: string }) => r.trainerId === honest.trainerId);
    expect(flaggedTrainer).toMatchObject({
      rank: 1,
      reachAll: 4,
      reachVerified: 0,
      reachFlagged: 4,
      flaggedShare: 1,
      openFlags: 1,
    });
    expect(honestTrainer).toMatchObject({
      rank: 2,
      reachAll: 3,
      reachVerified: 2,
      reachFlagged: 1,
      openFlags: 0,
    });
    expect(byVerified[0].trainerId).toBe(honest.trainerId);
    // Each trainer's split adds up too.
    for (const r of byAll) expect(r.reachVerified + r.reachFlagged + r.reachExcluded).toBe(r.reachAll);
  });

  it('exports the split: the workbook carries the same figures as the API', async () => {
    const res = await fetch(
      `${t.baseUrl}/api/v1/flags/figures/xlsx?programId=${program}&unit=19&period=2026`,
      {
        headers: { authorization: `Bearer ${t.http.token}` },
      },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/xlsx/);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ExcelJS.Buffer);
    const sheet = book.getWorksheet('Số liệu xác minh')!;
    const rows: unknown[][] = [];
    sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    const province = await split('19');
    const reached = figure(province);
    // The unit itself comes first, then the units under it.
    const line = rows.find((r) => r[1] === reached.label)!;
    expect(line[0]).toBe((province as unknown as { unitName: string }).unitName);
    expect(line.slice(2, 6)).toEqual([reached.all, reached.verified, reached.flagged, reached.excluded]);
    expect(book.getWorksheet('Giảng viên')!.rowCount).toBeGreaterThanOrEqual(3);
  });

  it('lets the steering level set thresholds (audited); a viewer cannot', async () => {
    const put = await t.http.put(`/api/v1/programs/${program}/flag-settings`, {
      settings: [{ pattern: 'backfilled', threshold: 240, severity: 'high', enabled: true }],
    });
    expect(put.status).toBe(200);
    expect(put.body.find((s: { pattern: string }) => s.pattern === 'backfilled')).toMatchObject({
      threshold: 240,
      severity: 'high',
      defaultThreshold: 72,
    });
    const [entry] = await t.dataSource.query(
      `SELECT after FROM audit_log WHERE action = 'flag.settings_changed' AND entity_id = $1`,
      [program],
    );
    expect(entry.after).toEqual([{ pattern: 'backfilled', threshold: 240, severity: 'high', enabled: true }]);
    const viewer = await createUser(t, [{ role: 'viewer', unitCode: '19' }]);
    expect(
      (
        await viewer.http.put(`/api/v1/programs/${program}/flag-settings`, {
          settings: [{ pattern: 'backfilled', threshold: 1, severity: 'low', enabled: true }],
        })
      ).status,
    ).toBe(403);
    // A later record is judged on the new threshold: 120 hours late is now under it.
    const later = await fixture(t, A, {
      programId: program,
      sessions: [sessionAgo(120), sessionAgo(100)],
      learners: 1,
    });
    await roster(t, later, 0);
    expect(await t.dataSource.query(`SELECT id FROM data_flag WHERE class_id = $1`, [later.classId])).toEqual(
      [],
    );
  });
});
