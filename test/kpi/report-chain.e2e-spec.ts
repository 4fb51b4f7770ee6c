import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FixedClock } from '../../libs/platform/src';
import {
  cccdFor,
  createClass,
  createPerson,
  createProgram,
  createTrainer,
  sessionsFrom,
} from '../support/campaign';
import { communesOf, createOrganisation, createUser, TestUser } from '../support/fixtures';
import { Http } from '../support/http';
import { startTestApp, TestApp } from '../support/test-app';
import { pdfText, pdfToPng, toolAvailable } from '../support/tools';

const artifacts = join(__dirname, '../../dist/test-artifacts');

/**
 * A department head reads their own organisation (figures, people masked, the classes its people attend) and
 * nothing beyond; its report climbs commune → province, each level approving what it received, with a return
 * and a resubmission on the way; figures frozen at submission survive a later correction of attendance.
 *
 *   organisation X (commune A): P1 completes class A1 and can apply AI, P2 attends one session of A1
 *   organisation Y (commune B): P3 attends A1 and B1;  P4 (no organisation) attends B1
 */
describe('department heads and the report approval chain', () => {
  const clock = new FixedClock(new Date('2026-11-25T10:00:00+07:00'));
  let t: TestApp;
  let program: { id: string };
  let A: string;
  let B: string;
  let X: string;
  let Y: string;
  let headX: TestUser;
  let headY: TestUser;
  let communeA: TestUser;
  let communeB: TestUser;
  let province: TestUser;
  const people: Record<string, string> = {};
  const cccd = cccdFor('female', 1988);
  let a1: { id: string; sessions: { id: string }[] };
  let b1: { id: string; sessions: { id: string }[] };

  async function mark(classId: string, sessionId: string, marks: [string, string][]) {
    const res = await t.http.put(`/api/v1/classes/${classId}/sessions/${sessionId}/attendance`, {
      marks: marks.map(([person, status]) => ({ personId: people[person], status })),
    });
    expect(res.status).toBe(200);
  }

  beforeAll(async () => {
    t = await startTestApp({ clock });
    [A, B] = await communesOf(t, '19');
    program = await createProgram(t.http, { reportApprovalLevels: ['commune', 'province'] });
    X = await createOrganisation(t, A, 'Ủy ban nhân dân xã thử nghiệm');
    Y = await createOrganisation(t, B, 'Hội Nông dân xã bên cạnh');
    headX = await createUser(t, [{ role: 'department_head', organisationId: X }]);
    headY = await createUser(t, [{ role: 'department_head', organisationId: Y }]);
    communeA = await createUser(t, [{ role: 'steering', unitCode: A }]);
    communeB = await createUser(t, [{ role: 'steering', unitCode: B }]);
    province = await createUser(t, [{ role: 'steering', unitCode: '19' }]);
    const spec: [string, string, string | null, Record<string, unknown>?][] = [
      ['P1', A, X, { cccd, birthYear: 1988, phone: '0912345678' }],
      ['P2', A, X],
      ['P3', B, Y],
      ['P4', B, null],
    ];
    for (const [name, commune, organisationId, extra] of spec) {
      people[name] = (
        await createPerson(t.http, commune, {
          fullName: `Lê Thị ${name}`,
          gender: 'female',
          segment: 'civil_servant',
          ...(organisationId ? { organisationId } : {}),
          ...extra,
        })
      ).id;
    }
    const lead = (await createTrainer(t.http, program.id, A, { tier: 'provincial_core' })).id;
    a1 = await createClass(t.http, program.id, lead, A, { sessions: sessionsFrom('2026-05-10', 3) });
    b1 = await createClass(t.http, program.id, lead, B, { sessions: sessionsFrom('2026-05-20', 3) });
    const enrolments: Record<string, string> = {};
    for (const p of ['P1', 'P2', 'P3']) {
      const res = await t.http.post(`/api/v1/classes/${a1.id}/enrolments`, { personId: people[p] });
      expect(res.status).toBe(201);
      enrolments[p] = res.body.id;
    }
    for (const p of ['P3', 'P4'])
      expect((await t.http.post(`/api/v1/classes/${b1.id}/enrolments`, { personId: people[p] })).status).toBe(
        201,
      );
    await mark(a1.id, a1.sessions[0].id, [
      ['P1', 'present'],
      ['P2', 'present'],
      ['P3', 'present'],
    ]);
    await mark(a1.id, a1.sessions[1].id, [
      ['P1', 'present'],
      ['P2', 'absent'],
      ['P3', 'absent'],
    ]);
    expect(
      (await t.http.patch(`/api/v1/classes/${a1.id}/enrolments/${enrolments.P1}`, { canApplyAiTool: true }))
        .status,
    ).toBe(200);
    await mark(b1.id, b1.sessions[0].id, [
      ['P3', 'present'],
      ['P4', 'present'],
    ]);
  });
  afterAll(() => t.close());

  const download = async (http: Http, path: string) => {
    const res = await fetch(t.baseUrl + path, { headers: { authorization: `Bearer ${http.token}` } });
    return {
      status: res.status,
      type: res.headers.get('content-type') ?? '',
      body: Buffer.from(await res.arrayBuffer()),
    };
  };

  it("gives a department head its own organisation's figures, and no one else's", async () => {
    const mine = await headX.http.get(`/api/v1/organisations/${X}/figures?programId=${program.id}`);
    expect(mine.status).toBe(200);
    expect(mine.body.figures).toEqual({ members: 2, trained: 2, completed: 1, proficient: 1, classes: 1 });
    expect(mine.body.organisationName).toBe('Ủy ban nhân dân xã thử nghiệm');
    // Before the classes began nothing had happened yet.
    const q1 = await headX.http.get(
      `/api/v1/organisations/${X}/figures?programId=${program.id}&period=2026-Q1`,
    );
    expect(q1.body.figures).toEqual({ members: 2, trained: 0, completed: 0, proficient: 0, classes: 0 });
    const theirs = await headX.http.get(`/api/v1/organisations/${Y}/figures?programId=${program.id}`);
    expect(theirs.status).toBe(403);
    expect(theirs.body.code).toBe('OUT_OF_SCOPE');
    // The steering members of the organisation's commune read it; those of another commune do not.
    expect(
      (await communeA.http.get(`/api/v1/organisations/${X}/figures?programId=${program.id}`)).status,
    ).toBe(200);
    expect(
      (await communeB.http.get(`/api/v1/organisations/${X}/figures?programId=${program.id}`)).status,
    ).toBe(403);
    expect((await headX.http.get(`/api/v1/organisations/${X}/figures?programId=nope`)).status).toBe(400);
  });

  it('lists its people with personal data masked, and only them', async () => {
    const res = await headX.http.get('/api/v1/people?limit=100');
    expect(res.status).toBe(200);
    expect(res.body.items.map((p: any) => p.id).sort()).toEqual([people.P1, people.P2].sort());
    const p1 = res.body.items.find((p: any) => p.id === people.P1);
    expect(p1.cccd).not.toBe(cccd);
    expect(p1.cccd).toMatch(/^019\*{6}\d{3}$/);
    expect(p1.phone).not.toContain('12345');
    // The commune's steering member sees the same person in full.
    expect((await communeA.http.get(`/api/v1/people/${people.P1}`)).body.cccd).toBe(cccd);
  });

  it('shows the classes its people attend, read-only, and no other class', async () => {
    const list = await headX.http.get(`/api/v1/classes?programId=${program.id}`);
    expect(list.status).toBe(200);
    expect(list.body.items.map((c: any) => c.id)).toEqual([a1.id]);
    expect((await headX.http.get(`/api/v1/classes/${a1.id}`)).status).toBe(200);
    expect((await headX.http.get(`/api/v1/classes/${b1.id}`)).status).toBe(404);
    // Y's head sees both classes its member P3 attends.
    const y = await headY.http.get(`/api/v1/classes?programId=${program.id}`);
    expect(y.body.items.map((c: any) => c.id).sort()).toEqual([a1.id, b1.id].sort());
    // Reading a class is not running it: the roster and marks stay closed.
    expect((await headX.http.get(`/api/v1/classes/${a1.id}/enrolments`)).status).toBe(403);
    expect((await headX.http.patch(`/api/v1/classes/${a1.id}`, { venueAddress: 'x' })).status).toBe(403);
  });

  it('climbs commune → province: returned, resubmitted, approved at each level, locked, reopened with a reason', async () => {
    const draft = await headX.http.post('/api/v1/reports', {
      programId: program.id,
      organisationId: X,
      period: '2026-Q2',
      headcount: 40,
      trained: 35,
      proficient: 30,
      notes: 'Cán bộ, công chức xã đã dự lớp tại nhà văn hóa.',
    });
    expect(draft.status).toBe(201);
    const id = draft.body.id;
    expect(draft.body.approvals.map((s: any) => [s.level, s.unit.code, s.state])).toEqual([
      ['commune', A, 'waiting'],
      ['province', '19', 'waiting'],
    ]);
    const submitted = await headX.http.post(`/api/v1/reports/${id}/submit`, {});
    expect(submitted.body.status).toBe('submitted');
    expect(submitted.body.recordFigures).toEqual({
      members: 2,
      trained: 2,
      completed: 1,
      proficient: 1,
      classes: 1,
    });
    expect(submitted.body.approvals.map((s: any) => s.state)).toEqual(['awaiting', 'waiting']);
    // It waits at the commune: the province cannot jump ahead, and it is only in the commune's inbox.
    expect((await province.http.post(`/api/v1/reports/${id}/approve`, {})).status).toBe(403);
    const inbox = async (u: TestUser) =>
      (await u.http.get(`/api/v1/reports?programId=${program.id}&awaitingMe=true`)).body.items.map(
        (r: any) => r.id,
      );
    expect(await inbox(communeA)).toEqual([id]);
    expect(await inbox(province)).toEqual([]);
    expect(await inbox(communeB)).toEqual([]);

    const returned = await communeA.http.post(`/api/v1/reports/${id}/return`, {
      comment: 'Số thành thạo cần khớp với danh sách, đề nghị rà soát.',
    });
    expect(returned.body.status).toBe('returned');
    expect(returned.body.reviewComment).toBe('Số thành thạo cần khớp với danh sách, đề nghị rà soát.');
    expect((await headX.http.patch(`/api/v1/reports/${id}`, { proficient: 20 })).body.proficient).toBe(20);
    expect((await headX.http.post(`/api/v1/reports/${id}/submit`, {})).body.status).toBe('submitted');

    const atCommune = await communeA.http.post(`/api/v1/reports/${id}/approve`, { comment: 'Đồng ý.' });
    expect(atCommune.status).toBe(200);
    expect(atCommune.body.status).toBe('submitted');
    expect(atCommune.body.locked).toBe(false);
    expect(atCommune.body.approvals.map((s: any) => [s.state, s.approverName])).toEqual([
      ['approved', expect.any(String)],
      ['awaiting', null],
    ]);
    expect(atCommune.body.approvals[0].comment).toBe('Đồng ý.');
    // The commune has done its part; now it is the province's turn.
    expect((await communeA.http.post(`/api/v1/reports/${id}/approve`, {})).status).toBe(403);
    expect(await inbox(communeA)).toEqual([]);
    expect(await inbox(province)).toEqual([id]);

    const approved = await province.http.post(`/api/v1/reports/${id}/approve`, {});
    expect(approved.body.status).toBe('approved');
    expect(approved.body.locked).toBe(true);
    expect(approved.body.approvals.map((s: any) => s.state)).toEqual(['approved', 'approved']);
    expect((await headX.http.patch(`/api/v1/reports/${id}`, { trained: 36 })).body.code).toBe(
      'REPORT_LOCKED',
    );

    // A later correction of attendance changes the live figures, not what was approved.
    await mark(a1.id, a1.sessions[1].id, [['P2', 'present']]);
    const live = await headX.http.get(`/api/v1/organisations/${X}/figures?programId=${program.id}`);
    expect(live.body.figures.completed).toBe(2);
    expect(live.body.latestApproved).toMatchObject({ id, headcount: 40, trained: 35, proficient: 20 });
    const frozen = await headX.http.get(`/api/v1/reports/${id}`);
    expect(frozen.body.recordFigures.completed).toBe(1);

    // The official document prints the approved figures, with the approvals of both levels.
    const pdf = await download(headX.http, `/api/v1/reports/${id}/pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.type).toBe('application/pdf');
    mkdirSync(artifacts, { recursive: true });
    writeFileSync(join(artifacts, 'progress-report.pdf'), pdf.body);
    if (toolAvailable('pdftotext', 'reading the progress report', 'poppler-utils')) {
      const text = pdfText(pdf.body).replace(/\s+/g, ' ');
      for (const expected of [
        'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
        'Độc lập - Tự do - Hạnh phúc',
        'ỦY BAN NHÂN DÂN XÃ THỬ NGHIỆM',
        'Tiến độ thực hiện quý II năm 2026',
        'Tình trạng: Đã được duyệt',
        'Số người đã được tập huấn người 40 35 88 %',
        'ứng dụng được công người 40 20 50 %',
        'Đã hoàn thành khóa học người 1',
        'Cán bộ, công chức xã đã dự lớp tại nhà văn hóa.',
        'NGƯỜI LẬP BIỂU',
        'THỦ TRƯỞNG ĐƠN VỊ',
      ])
        expect(text).toContain(expected);
      expect(text).toMatch(/đã duyệt ngày \d\d\/\d\d\/2026, .*: “Đồng ý.”/);
      pdfToPng(pdf.body, join(artifacts, 'progress-report.png'), 1, 70);
    }
    // Nobody outside the report's scope downloads it.
    expect((await download(headY.http, `/api/v1/reports/${id}/pdf`)).status).toBe(404);

    // Reopening is the last level's act, needs a reason, and is audited.
    expect(
      (await communeA.http.post(`/api/v1/reports/${id}/reopen`, { reason: 'Sửa số liệu.' })).status,
    ).toBe(403);
    const noReason = await province.http.post(`/api/v1/reports/${id}/reopen`, {});
    expect(noReason.status).toBe(400);
    expect(noReason.body.errors).toEqual([expect.objectContaining({ field: 'reason' })]);
    const reopened = await province.http.post(`/api/v1/reports/${id}/reopen`, {
      reason: 'Đơn vị đề nghị điều chỉnh số liệu quý II.',
    });
    expect(reopened.body.status).toBe('returned');
    expect(reopened.body.approvals.map((s: any) => s.state)).toEqual(['waiting', 'waiting']);
    const audit: { action: string }[] = await t.dataSource.query(
      `SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY id`,
      [id],
    );
    expect(audit.map((a) => a.action)).toEqual([
      'report.created',
      'report.submitted',
      'report.returned',
      'report.updated',
      'report.submitted',
      'report.level_approved',
      'report.approved',
      'report.reopened',
    ]);
  });

  it('keeps one approval by the level above when a program names no chain', async () => {
    const plain = await createProgram(t.http);
    const draft = await headX.http.post('/api/v1/reports', {
      programId: plain.id,
      organisationId: X,
      period: '2026-Q2',
      headcount: 40,
      trained: 35,
      proficient: 30,
    });
    expect(draft.body.approvals.map((s: any) => [s.unit.code, s.state])).toEqual([[A, 'waiting']]);
    await headX.http.post(`/api/v1/reports/${draft.body.id}/submit`, {});
    // Without a chain any steering member above decides, in one step.
    const approved = await province.http.post(`/api/v1/reports/${draft.body.id}/approve`, {});
    expect(approved.body.status).toBe('approved');
  });

  it('refuses a chain that does not climb', async () => {
    const res = await t.http.post('/api/v1/programs', {
      code: 'TCHAIN',
      name: 'Chuỗi duyệt sai',
      ownerUnitCode: '19',
      startsOn: '2026-03-01',
      endsOn: '2026-12-31',
      completionRule: { minSessions: 2 },
      reportApprovalLevels: ['province', 'commune'],
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'reportApprovalLevels' })]);
    const bad = await t.http.post('/api/v1/programs', {
      code: 'TCHAIM',
      name: 'Chuỗi duyệt sai',
      ownerUnitCode: '19',
      startsOn: '2026-03-01',
      endsOn: '2026-12-31',
      completionRule: { minSessions: 2 },
      reportApprovalLevels: ['village'],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toMatch(/^reportApprovalLevels/);
  });
});
