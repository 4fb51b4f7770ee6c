import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { FixedClock } from '../../libs/platform/src';
import { createClass, createPerson, createProgram, createTrainer } from '../support/campaign';
import { download, upload } from '../support/files';
import { communesOf, createUser, TestUser } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * The precedence of attendance sources (docs/attendance.md): a learner's QR check-in is not taken away by an
 * offline mark whose device had not seen it; the losing mark is answered `conflict` and listed for the trainer,
 * who can override it deliberately; every change is in the audit trail with what was stored before and after.
 */
describe('attendance precedence: QR check-in, offline marks, roster and import', () => {
  // Session 1 runs 08:00–09:30 on 20 November (Vietnam time); check-ins after 08:15 are late.
  const at = (hhmm: string) => new Date(`2026-11-20T${hhmm}:00+07:00`);
  const clock = new FixedClock(at('08:05'));
  let t: TestApp;
  let trainer: TestUser;
  let c: Awaited<ReturnType<typeof createClass>>;
  let communes: string[];
  let phones = 0;

  beforeAll(async () => {
    t = await startTestApp({ clock });
    communes = await communesOf(t, '19');
    const program = (await createProgram(t.http, { completionRule: { minSessions: 2 } })).id;
    const leadPerson = await createPerson(t.http, communes[0]);
    const lead = (await createTrainer(t.http, program, communes[0], { personId: leadPerson.id })).id;
    trainer = await createUser(t, [{ role: 'trainer', unitCode: communes[0] }]);
    await t.http.patch(`/api/v1/users/${trainer.id}`, { personId: leadPerson.id });
    c = await createClass(t.http, program, lead, communes[0]);
  });
  afterAll(() => t.close());

  /** A new learner on the class list, with the phone and birth year they check in with. */
  async function learner(): Promise<{ id: string; phone: string }> {
    const phone = `0913${String(100_000 + ++phones)}`;
    const { id } = await createPerson(t.http, communes[0], { phone, birthYear: 1985 });
    expect((await t.http.post(`/api/v1/classes/${c.id}/enrolments`, { personId: id })).status).toBe(201);
    return { id, phone };
  }

  /** Moves the server's clock (access tokens live 15 minutes: both users log in again). */
  async function moveTo(time: string): Promise<void> {
    clock.set(at(time));
    await t.reauthenticate();
    trainer.http = await t.login(trainer.login, trainer.password);
  }

  /** The learner scans the QR code of session 1 at the given time (server clock). */
  async function checkIn(who: { phone: string }, time: string): Promise<{ status: number; html: string }> {
    await moveTo(time);
    const token = (await t.http.get(`/api/v1/classes/${c.id}/sessions/${c.sessions[0].id}/checkin`)).body
      .token;
    const res = await fetch(`${t.baseUrl}/checkin/${token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ identifier: who.phone, birthYear: '1985' }),
    });
    return { status: res.status, html: await res.text() };
  }

  const offline = (
    personId: string,
    status: string,
    recordedAt: string,
    extra: { baseVersion?: number; clientId?: string } = {},
  ) => ({
    clientId: extra.clientId ?? randomUUID(),
    sessionId: c.sessions[0].id,
    personId,
    status,
    recordedAt: at(recordedAt).toISOString(),
    ...(extra.baseVersion === undefined ? {} : { baseVersion: extra.baseVersion }),
  });
  const sync = async (marks: unknown[]) => {
    const res = await trainer.http.post('/api/v1/attendance/sync', { marks });
    expect(res.status).toBe(200);
    return res.body.results;
  };
  /** The trainer's roster for session 1, online. */
  const roster = (personId: string, status: string) =>
    trainer.http.put(`/api/v1/classes/${c.id}/sessions/${c.sessions[0].id}/attendance`, {
      marks: [{ personId, status }],
    });
  const stored = async (personId: string) => {
    const [{ row }] = await t.dataSource.query(
      `SELECT to_jsonb(a) AS row FROM attendance a WHERE session_id = $1 AND person_id = $2`,
      [c.sessions[0].id, personId],
    );
    return {
      status: row.status,
      method: row.method,
      recordedAt: new Date(row.recorded_at),
      version: row.version,
    };
  };
  /** The audit entries with this action, oldest first. */
  const audited = async (action: string) =>
    (await t.http.get(`/api/v1/audit?action=${action}&limit=100`)).body.items.reverse();
  /** Attendance entries are filed under the class, whatever the path. */
  const filedUnderClass = (entry: unknown) =>
    expect(entry).toMatchObject({ entityType: 'attendance', entityId: c.id });

  it('answers conflict to an offline mark that would lower a check-in its device had not seen, and keeps the check-in', async () => {
    const hoa = await learner();
    expect((await checkIn(hoa, '08:05')).status).toBe(200);
    await moveTo('08:40');
    // Typed at 08:30 on a phone offline since before the class: by the clocks it is the newest mark.
    const batch = [
      offline(hoa.id, 'absent', '08:30'),
      offline(hoa.id, 'excused', '08:31', { baseVersion: 0 }),
    ];
    const [first] = await sync([batch[0]]);
    expect(first).toEqual({
      clientId: batch[0].clientId,
      result: 'conflict',
      reason: expect.stringContaining('học viên đã tự điểm danh bằng mã QR lúc 08:05 20/11/2026 (có mặt)'),
      current: { status: 'present', method: 'qr', recordedAt: at('08:05').toISOString(), version: 1 },
    });
    // A device that says it had seen no mark at all had not seen the check-in either.
    expect((await sync([batch[1]]))[0]).toMatchObject({ result: 'conflict', current: { method: 'qr' } });
    expect(await stored(hoa.id)).toEqual({
      status: 'present',
      method: 'qr',
      recordedAt: at('08:05'),
      version: 1,
    });

    // Sent again (the answer was lost on the way back): the same answer, nothing written.
    const replay = await sync([batch[0]]);
    expect(replay).toEqual([
      {
        clientId: batch[0].clientId,
        result: 'duplicate',
        earlierResult: 'conflict',
        reason: expect.stringMatching(/^đã nhận trước đó \(conflict\): học viên đã tự điểm danh bằng mã QR/),
        current: first.current,
      },
    ]);
    expect(await stored(hoa.id)).toMatchObject({ status: 'present', method: 'qr', version: 1 });

    // The trainer finds both in the class's conflicts, still open.
    const conflicts = (await trainer.http.get(`/api/v1/classes/${c.id}/attendance/conflicts`)).body;
    const mine = conflicts.filter((k: { person: { id: string } }) => k.person.id === hoa.id);
    expect(mine).toHaveLength(2);
    expect(mine.find((k: { clientId: string }) => k.clientId === batch[0].clientId)).toMatchObject({
      session: { id: c.sessions[0].id, position: 1 },
      status: 'absent',
      recordedAt: at('08:30').toISOString(),
      kept: { status: 'present', method: 'qr', version: 1 },
      current: { status: 'present', method: 'qr', version: 1 },
      resolved: false,
    });
    // The batch's audit entry records the conflicts, and no change.
    const [entry] = (await audited('attendance.synced')).filter((e: { after: { conflicts?: unknown[] } }) =>
      e.after.conflicts?.some((k) => (k as { personId: string }).personId === hoa.id),
    );
    expect(entry.after.marks).toEqual([]);
    expect(entry.after.conflicts[0]).toMatchObject({
      personId: hoa.id,
      status: 'absent',
      kept: { status: 'present', method: 'qr', recordedBy: null },
    });
  });

  it('lets a roster edit made online override the check-in, audited with before and after', async () => {
    const lan = await learner();
    expect((await checkIn(lan, '08:07')).status).toBe(200);
    await moveTo('08:50');
    const [lost] = await sync([offline(lan.id, 'absent', '08:45')]);
    expect(lost.result).toBe('conflict');

    // The trainer looks at the conflict and decides: the learner left after scanning.
    const edited = await roster(lan.id, 'absent');
    expect(edited.status).toBe(200);
    const row = edited.body.rows.find((r: { person: { id: string } }) => r.person.id === lan.id);
    expect(row.marks[c.sessions[0].id]).toBe('absent');
    expect(row.versions[c.sessions[0].id]).toBe(2);
    expect(row.methods[c.sessions[0].id]).toBe('roster');
    const entry = (await audited('attendance.roster')).at(-1);
    expect(entry.actorId).toBe(trainer.id);
    expect(entry.before?.marks).toEqual([
      {
        sessionId: c.sessions[0].id,
        personId: lan.id,
        status: 'present',
        method: 'qr',
        recordedAt: at('08:07').toISOString(),
        recordedBy: null,
        version: 1,
      },
    ]);
    expect(entry.after.marks).toEqual([
      {
        sessionId: c.sessions[0].id,
        personId: lan.id,
        status: 'absent',
        method: 'roster',
        recordedAt: at('08:50').toISOString(),
        recordedBy: trainer.id,
        version: 2,
      },
    ]);
    filedUnderClass(entry);
    const conflict = (await trainer.http.get(`/api/v1/classes/${c.id}/attendance/conflicts`)).body.find(
      (k: { clientId: string }) => k.clientId === lost.clientId,
    );
    expect(conflict).toMatchObject({ resolved: true, current: { status: 'absent', method: 'roster' } });
  });

  it('writes a lowering mark from a device that had seen the check-in (baseVersion), whatever its clock', async () => {
    const minh = await learner();
    expect((await checkIn(minh, '08:10')).status).toBe(200);
    await moveTo('09:00');
    const sheet = (await trainer.http.get(`/api/v1/classes/${c.id}/attendance`)).body;
    const row = sheet.rows.find((r: { person: { id: string } }) => r.person.id === minh.id);
    expect([row.versions[c.sessions[0].id], row.methods[c.sessions[0].id]]).toEqual([1, 'qr']);
    // The phone's clock runs slow: by it the correction came before the check-in; it had seen version 1.
    const [deliberate] = await sync([offline(minh.id, 'absent', '08:00', { baseVersion: 1 })]);
    expect(deliberate).toMatchObject({
      result: 'applied_over',
      current: { status: 'present', method: 'qr' },
    });
    expect(await stored(minh.id)).toMatchObject({ status: 'absent', method: 'offline_sync', version: 2 });
    // A version is a whole number from 0.
    const bad = await trainer.http.post('/api/v1/attendance/sync', {
      marks: [offline(minh.id, 'present', '08:50', { baseVersion: -1 })],
    });
    expect([bad.status, bad.body.errors[0].field]).toEqual([400, 'marks[0].baseVersion']);
  });

  it('treats marks that agree with a check-in, or raise it, as no conflict, and keeps protecting the check-in', async () => {
    const an = await learner();
    expect((await checkIn(an, '08:05')).status).toBe(200);
    await moveTo('09:10');
    // Present over present: the device is told the check-in stands, which stays exactly as it was.
    const [agree] = await sync([offline(an.id, 'present', '09:05')]);
    expect(agree).toMatchObject({
      result: 'applied',
      reason: expect.stringContaining('trùng với điểm danh QR'),
      current: { status: 'present', method: 'qr', version: 1 },
    });
    const rosterAgrees = await roster(an.id, 'present');
    expect(rosterAgrees.status).toBe(200);
    expect(await stored(an.id)).toEqual({
      status: 'present',
      method: 'qr',
      recordedAt: at('08:05'),
      version: 1,
    });
    // Late over a present check-in lowers it: a conflict like any other.
    expect((await sync([offline(an.id, 'late', '09:06')]))[0].result).toBe('conflict');

    // A late check-in raised to present by one device still protects the learner from another device.
    const binh = await learner();
    const late = await checkIn(binh, '08:25');
    expect([late.status, late.html.includes('Đã điểm danh')]).toEqual([200, true]);
    expect(await stored(binh.id)).toMatchObject({ status: 'late', method: 'qr' });
    await moveTo('09:20');
    const [raised] = await sync([offline(binh.id, 'present', '09:00')]);
    expect(raised).toMatchObject({ result: 'applied_over', current: { status: 'late', method: 'qr' } });
    const [other] = await sync([offline(binh.id, 'absent', '09:15')]);
    expect(other).toMatchObject({
      result: 'conflict',
      reason: expect.stringContaining('mã QR lúc 08:25 20/11/2026 (đang lưu: có mặt)'),
      current: { status: 'present', method: 'offline_sync', version: 2 },
    });
    expect(await stored(binh.id)).toMatchObject({ status: 'present', version: 2 });
  });

  it('keeps answering stale to an offline mark made before the check-in', async () => {
    const cuc = await learner();
    expect((await checkIn(cuc, '08:12')).status).toBe(200);
    await moveTo('09:00');
    expect((await sync([offline(cuc.id, 'absent', '08:02')]))[0]).toMatchObject({
      result: 'stale',
      current: { status: 'present', method: 'qr' },
    });
  });

  it('writes a check-in over a device mark dated ahead of the server clock, instead of telling the learner a lie', async () => {
    const dung = await learner();
    await moveTo('08:05');
    // The trainer's phone runs four minutes fast: its "absent" says 08:09.
    expect((await sync([offline(dung.id, 'absent', '08:09')]))[0].result).toBe('applied');
    const res = await checkIn(dung, '08:06');
    expect([res.status, res.html.includes('Đã điểm danh')]).toEqual([200, true]);
    expect(await stored(dung.id)).toMatchObject({ status: 'present', method: 'qr', version: 2 });
  });

  it('records a QR check-in in the audit trail with the mark before (none) and after', async () => {
    const em = await learner();
    expect((await checkIn(em, '08:08')).status).toBe(200);
    const qr = (await audited('attendance.qr')).at(-1);
    expect(qr.actorId).toBeNull();
    expect([qr.before, qr.after]).toEqual([
      {
        marks: [
          {
            sessionId: c.sessions[0].id,
            personId: em.id,
            status: null,
            method: null,
            recordedAt: null,
            recordedBy: null,
            version: null,
          },
        ],
      },
      {
        marks: [
          {
            sessionId: c.sessions[0].id,
            personId: em.id,
            status: 'present',
            method: 'qr',
            recordedAt: at('08:08').toISOString(),
            recordedBy: null,
            version: 1,
          },
        ],
      },
    ]);
    filedUnderClass(qr);
  });

  it('records an offline sync in the audit trail with each mark before and after', async () => {
    const giang = await learner();
    await moveTo('09:00');
    await sync([offline(giang.id, 'absent', '08:20')]);
    await sync([offline(giang.id, 'present', '08:40')]);
    const synced = (await audited('attendance.synced')).at(-1);
    expect(synced.actorId).toBe(trainer.id);
    expect(synced.before?.marks).toEqual([
      expect.objectContaining({
        personId: giang.id,
        status: 'absent',
        method: 'offline_sync',
        recordedBy: trainer.id,
      }),
    ]);
    expect(synced.after.marks).toEqual([
      expect.objectContaining({
        personId: giang.id,
        status: 'present',
        method: 'offline_sync',
        recordedAt: at('08:40').toISOString(),
        recordedBy: trainer.id,
        version: 2,
      }),
    ]);
    filedUnderClass(synced);
  });

  it('records an import in the audit trail with each mark before and after, writing only the cells changed', async () => {
    const em = await learner();
    const echoed = await learner();
    expect((await checkIn(em, '08:09')).status).toBe(200);
    expect((await checkIn(echoed, '08:10')).status).toBe(200);
    await moveTo('09:00');
    // The template comes back with every mark it was downloaded with; only the cell changed is written.
    const file = await download(t, `/api/v1/classes/${c.id}/attendance/template`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(file.body as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    let changedRow = 0;
    sheet.eachRow((row, n) => {
      if (row.getCell(1).value === em.id) changedRow = n;
    });
    expect(sheet.getCell(`H${changedRow}`).value).toBe('Có mặt');
    sheet.getCell(`H${changedRow}`).value = 'Vắng có phép';
    const before = await t.dataSource.query(
      `SELECT person_id, method, recorded_at FROM attendance WHERE class_id = $1 AND person_id <> $2 ORDER BY person_id`,
      [c.id, em.id],
    );
    const imported = await upload(
      t,
      `/api/v1/classes/${c.id}/attendance/import`,
      Buffer.from(await workbook.xlsx.writeBuffer()),
    );
    expect(imported.status).toBe(201);
    expect(imported.body.marks).toBe(1);
    // The echoed marks kept their method and time: QR check-ins are still QR check-ins.
    expect(
      await t.dataSource.query(
        `SELECT person_id, method, recorded_at FROM attendance WHERE class_id = $1 AND person_id <> $2 ORDER BY person_id`,
        [c.id, em.id],
      ),
    ).toEqual(before);
    const entry = (await audited('attendance.imported')).at(-1);
    expect(entry.before?.marks).toEqual([
      expect.objectContaining({
        personId: em.id,
        status: 'present',
        method: 'qr',
        recordedBy: null,
        version: 1,
      }),
    ]);
    expect(entry.after.marks).toEqual([
      expect.objectContaining({
        personId: em.id,
        status: 'excused',
        method: 'import',
        recordedAt: at('09:00').toISOString(),
        recordedBy: expect.any(String),
        version: 2,
      }),
    ]);
    expect(entry.after.summary).toMatchObject({ marks: 1, rows: imported.body.rows });
    filedUnderClass(entry);
  });

  it('merging two records of one learner keeps the check-in over the other record’s absence, audited', async () => {
    // Registered twice: the trainer's list has one record, the learner checked in with the other.
    const scanned = await learner();
    const listed = await learner();
    expect((await checkIn(scanned, '08:06')).status).toBe(200);
    await moveTo('08:40');
    await roster(listed.id, 'absent');
    const merged = await t.http.post(`/api/v1/people/${listed.id}/merge`, { sourceIds: [scanned.id] });
    expect(merged.status).toBe(200);
    expect(await stored(listed.id)).toEqual({
      status: 'present',
      method: 'qr',
      recordedAt: at('08:06'),
      version: 2,
    });
    const [{ n }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM attendance WHERE person_id = $1`,
      [scanned.id],
    );
    expect(n).toBe(0);
    const enrolment = (await t.http.get(`/api/v1/classes/${c.id}/enrolments`)).body.find(
      (e: { person: { id: string } }) => e.person.id === listed.id,
    );
    expect(enrolment.attendedSessions).toBe(1);
    const entry = (await audited('attendance.merged')).at(-1);
    expect(entry?.before?.marks).toEqual([
      expect.objectContaining({ personId: scanned.id, status: 'present', method: 'qr', version: 1 }),
      expect.objectContaining({ personId: listed.id, status: 'absent', method: 'roster', version: 1 }),
    ]);
    expect(entry.after.marks).toEqual([
      expect.objectContaining({ personId: scanned.id, status: null, method: null, version: null }),
      expect.objectContaining({
        personId: listed.id,
        status: 'present',
        method: 'qr',
        recordedAt: at('08:06').toISOString(),
        version: 2,
      }),
    ]);
    filedUnderClass(entry);
  });
});
