import { KpiFactsRepository } from '../../libs/kpi/src';
import { FixedClock } from '../../libs/platform/src';
import {
  cccdFor,
  createClass,
  createPerson,
  createProgram,
  createTrainer,
  sessionsFrom,
} from '../support/campaign';
import { communesOf } from '../support/fixtures';
import { Http } from '../support/http';
import { partnerPerson, partnerWithKey } from '../support/partners';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * A partner registers learners and pushes their online learning; the figures count each person once, with the
 * online part visible in every split:
 *
 *   P (class learner, also registered by the partner through her CCCD): completes a class in commune A on
 *     2026-11-21 and level 1 online on 2026-10-10 → one person reached and completed, first online.
 *   Q (partner only, commune A): lessons 2026-09-01, completion 2026-09-05, outcome "can apply" → online.
 *   R (partner only, commune B): a lesson on 2026-08-15, no completion → reached online only.
 *   S (class only, commune B): completes a class on 2026-11-21.
 *
 * Province 19, 2026: reached {P,Q,R,S} = 4 (online first: P,Q,R = 3); completed {P,Q,S} = 3 (online: P,Q = 2);
 * proficient {Q} = 1.
 */
describe('partner API: people and online learning', () => {
  const clock = new FixedClock(new Date('2026-11-25T10:00:00+07:00'));
  let t: TestApp;
  let program: { id: string; code: string };
  let A: string;
  let B: string;
  let otherProvinceCommune: string;
  let partner: Http;
  let partnerId: string;
  const people: Record<string, string> = {};

  const kpi = async (unit = '19') => {
    const res = await t.http.get(`/api/v1/programs/${program.id}/kpi?unit=${unit}&period=2026&view=recorded`);
    expect(res.status).toBe(200);
    return res.body;
  };
  const figure = (body: any, code: string) => body.indicators.find((d: any) => d.code === code).actual;
  const rows = async (sql: string, params: unknown[] = []) => t.dataSource.query(sql, params);
  /** Q's and P's level-1 completions, as first sent (and sent again to show nothing changes). */
  const firstCompletions = () => [
    {
      id: 'C1',
      externalId: 'Q-1',
      programCode: program.code,
      level: 1,
      completedAt: '2026-09-05T20:00:00+07:00',
      score: 91,
    },
    {
      id: 'C2',
      externalId: 'P-1',
      programCode: program.code,
      level: 1,
      completedAt: '2026-10-10T20:00:00+07:00',
    },
  ];
  /** Everything a batch could change: the records and every KPI fact and sum. */
  const snapshot = async () => ({
    records: await rows(`SELECT * FROM partner_learning_record ORDER BY id`),
    people: await rows(`SELECT * FROM kpi_person_fact ORDER BY program_id, view, unit_id, person_id`),
    facts: await rows(`SELECT * FROM kpi_record_fact ORDER BY program_id, view, kind, record_id, unit_id`),
    monthly: await rows(
      `SELECT * FROM kpi_monthly ORDER BY program_id, view, unit_id, month, segment, working_age`,
    ),
  });

  beforeAll(async () => {
    t = await startTestApp({ clock });
    [A, B] = await communesOf(t, '19');
    [otherProvinceCommune] = await communesOf(t, '01');
    program = await createProgram(t.http);
    ({ client: partner, partnerId } = await partnerWithKey(t.http, program.id, '19'));
  });
  afterAll(() => t.close());

  async function completeClass(personId: string, unit: string) {
    const lead = await createTrainer(t.http, program.id, unit);
    const c = await createClass(t.http, program.id, lead.id, unit, {
      sessions: sessionsFrom('2026-11-20', 3),
    });
    expect((await t.http.post(`/api/v1/classes/${c.id}/enrolments`, { personId })).status).toBe(201);
    for (const s of c.sessions.slice(0, 2)) {
      const res = await t.http.put(`/api/v1/classes/${c.id}/sessions/${s.id}/attendance`, {
        marks: [{ personId, status: 'present' }],
      });
      expect(res.status).toBe(200);
    }
  }

  it('registers people item by item: created, matched by CCCD, refused out of scope or invalid', async () => {
    const cccd = cccdFor('female', 1992);
    people.P = (await createPerson(t.http, A, { gender: 'female', birthYear: 1992, cccd })).id;
    people.S = (await createPerson(t.http, B)).id;
    await completeClass(people.P, A);
    await completeClass(people.S, B);

    const res = await partner.post('/api/v1/partner/people', {
      people: [
        partnerPerson('P-1', A, { gender: 'female', birthYear: 1992, cccd, fullName: 'Tên khác hẳn' }),
        partnerPerson('Q-1', A),
        partnerPerson('R-1', B, { phone: '0912 000 111' }),
        partnerPerson('X-1', otherProvinceCommune),
        partnerPerson('Y-1', A, { gender: 'robot' }),
        partnerPerson('Q-1', A),
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body.results.map((r: any) => [r.externalId, r.status, r.code ?? null])).toEqual([
      ['P-1', 'matched', null],
      ['Q-1', 'created', null],
      ['R-1', 'created', null],
      ['X-1', 'rejected', 'OUT_OF_SCOPE'],
      ['Y-1', 'rejected', 'VALIDATION_FAILED'],
      ['Q-1', 'rejected', 'REPEATED_IN_BATCH'],
    ]);
    expect(res.body.results[4].errors).toEqual([expect.objectContaining({ field: 'people[4].gender' })]);
    expect(res.body.summary).toEqual({ created: 2, matched: 1, unchanged: 0, rejected: 3 });
    // The CCCD match is the class learner herself: one person, not two.
    expect(res.body.results[0].personId).toBe(people.P);
    people.Q = res.body.results[1].personId;
    people.R = res.body.results[2].personId;
    // The partner gets ids back, never a record: nothing it did not send.
    expect(Object.keys(res.body.results[1]).sort()).toEqual(
      ['externalId', 'index', 'personId', 'possibleDuplicate', 'status'].sort(),
    );
    // Created people are audited under the partner's name.
    const [created] = await rows(
      `SELECT actor_id AS "actorId", actor_name AS "actorName" FROM audit_log WHERE action = 'person.created' AND entity_id = $1`,
      [people.Q],
    );
    expect(created).toEqual({
      actorId: partnerId,
      actorName: expect.stringMatching(/^Đối tác: Trường thử nghiệm/),
    });
  });

  it('sending the same people again changes nothing', async () => {
    const before = await rows(`SELECT count(*)::int AS n FROM person`);
    const res = await partner.post('/api/v1/partner/people', {
      people: [partnerPerson('Q-1', A), partnerPerson('R-1', B)],
    });
    expect(res.body.results.map((r: any) => [r.status, r.personId])).toEqual([
      ['unchanged', people.Q],
      ['unchanged', people.R],
    ]);
    expect(await rows(`SELECT count(*)::int AS n FROM person`)).toEqual(before);
  });

  it('looks a person up by the partner id or by CCCD within the key scope, returning ids only', async () => {
    const link = await partner.get('/api/v1/partner/people/Q-1');
    expect(link.status).toBe(200);
    expect(link.body).toEqual({
      externalId: 'Q-1',
      personId: people.Q,
      commune: { code: A, fullName: expect.any(String) },
      registeredAt: expect.any(String),
    });
    expect((await partner.get('/api/v1/partner/people/nobody')).status).toBe(404);
    const byPhone = await partner.post('/api/v1/partner/people/lookup', {
      phone: '+84912000111',
      birthYear: 1995,
    });
    expect(byPhone.body).toEqual({ found: true, personId: people.R, externalId: 'R-1' });
    const wrongYear = await partner.post('/api/v1/partner/people/lookup', {
      phone: '0912000111',
      birthYear: 1996,
    });
    expect(wrongYear.body).toEqual({ found: false, personId: null, externalId: null });
  });

  it('records lessons, completions and outcomes item by item', async () => {
    const lessons = await partner.post('/api/v1/partner/lessons', {
      lessons: [
        {
          id: 'L1',
          externalId: 'Q-1',
          programCode: program.code,
          level: 1,
          lesson: 'Bài 1',
          completedAt: '2026-09-01T20:00:00+07:00',
        },
        {
          id: 'L2',
          externalId: 'R-1',
          programCode: program.code,
          level: 1,
          lesson: 'Bài 1',
          completedAt: '2026-08-15T20:00:00+07:00',
        },
        {
          id: 'L3',
          externalId: 'Q-1',
          programCode: 'NOPE',
          level: 1,
          lesson: 'Bài 1',
          completedAt: '2026-09-01T20:00:00+07:00',
        },
        {
          id: 'L4',
          externalId: 'Q-1',
          programCode: program.code,
          level: 9,
          lesson: 'Bài 1',
          completedAt: '2026-09-01T20:00:00+07:00',
        },
        {
          id: 'L5',
          externalId: 'Q-1',
          programCode: program.code,
          level: 1,
          lesson: 'Bài 1',
          completedAt: '2027-01-01T20:00:00+07:00',
        },
        {
          id: 'L6',
          externalId: 'Q-1',
          programCode: program.code,
          level: 1,
          lesson: 'Bài 1',
          completedAt: '2026-09-01T20:00:00+07:00',
          communeCode: otherProvinceCommune,
        },
      ],
    });
    expect(lessons.status).toBe(200);
    expect(lessons.body.results.map((r: any) => r.code ?? r.status)).toEqual([
      'recorded',
      'recorded',
      'PROGRAM_NOT_ALLOWED',
      'VALIDATION_FAILED',
      'VALIDATION_FAILED',
      'OUT_OF_SCOPE',
    ]);
    expect(lessons.body.results[3].errors[0].field).toBe('lessons[3].level');
    expect(lessons.body.results[4].errors[0]).toEqual({
      field: 'lessons[4].completedAt',
      reason: 'là thời điểm trong tương lai',
    });

    const completions = await partner.post('/api/v1/partner/completions', {
      completions: [
        ...firstCompletions(),
        {
          id: 'C3',
          externalId: 'ghost',
          programCode: program.code,
          level: 1,
          completedAt: '2026-10-10T20:00:00+07:00',
        },
      ],
    });
    expect(completions.body.results.map((r: any) => r.code ?? r.status)).toEqual([
      'recorded',
      'recorded',
      'PERSON_NOT_REGISTERED',
    ]);
    const outcomes = await partner.post('/api/v1/partner/outcomes', {
      outcomes: [
        {
          id: 'O1',
          externalId: 'Q-1',
          programCode: program.code,
          canApply: true,
          reportedAt: '2026-09-20T09:00:00+07:00',
        },
      ],
    });
    expect(outcomes.body.summary).toEqual({ recorded: 1, duplicate: 0, rejected: 0 });
  });

  it('counts every person once, with the online part visible in every split', async () => {
    const province = await kpi();
    expect(figure(province, 'learners_reached')).toBe(4);
    expect(figure(province, 'learners_reached_online')).toBe(3);
    expect(figure(province, 'completions')).toBe(3);
    expect(figure(province, 'completions_online')).toBe(2);
    expect(figure(province, 'proficient_learners')).toBe(1);
    // By child unit: commune A has P and Q (both completed, first online); B has R (online) and S (class).
    const child = (code: string) => province.byChild.find((c: any) => c.unit.code === code);
    const value = (c: any, code: string) => c.indicators[code].actual;
    expect(
      [A, B].map((u) => [value(child(u), 'completions'), value(child(u), 'completions_online')]),
    ).toEqual([
      [2, 2],
      [1, 0],
    ]);
    expect(
      [A, B].map((u) => [value(child(u), 'learners_reached'), value(child(u), 'learners_reached_online')]),
    ).toEqual([
      [2, 2],
      [2, 1],
    ]);
    // By month: P's online completion in October, Q's in September, S's class in November.
    const trend = province.indicators.find((d: any) => d.code === 'completions_online').trend;
    expect(trend.filter((m: any) => m.value).map((m: any) => [m.month, m.value])).toEqual([
      ['2026-09', 1],
      ['2026-10', 1],
    ]);
    // By segment: all are "student" (partner) or "farmer" (created at classes).
    const segments = Object.fromEntries(
      province.bySegment.map((s: any) => [s.segment, [s.completed, s.completedOnline]]),
    );
    expect(segments).toEqual({ student: [1, 1], farmer: [2, 1] });
    // By level: two people completed level 1 online.
    expect(province.byLevel.find((l: any) => l.level === 1).onlineCompletions).toBe(2);
    // Drill-down: the records behind the online completions, with their method.
    const drill = await t.http.get(
      `/api/v1/programs/${program.id}/kpi/drilldown?unit=19&period=2026&indicator=completions_online`,
    );
    expect(drill.body.total).toBe(2);
    expect(drill.body.items.map((p: any) => [p.id, p.completedVia]).sort()).toEqual(
      [
        [people.P, 'online'],
        [people.Q, 'online'],
      ].sort(),
    );
  });

  it('a replayed batch changes nothing; an Idempotency-Key replays the first answer', async () => {
    const before = await snapshot();
    const batch = {
      completions: firstCompletions(),
    };
    const again = await partner.post('/api/v1/partner/completions', batch);
    expect(again.body.results.map((r: any) => r.status)).toEqual(['duplicate', 'duplicate']);
    expect(await snapshot()).toEqual(before);

    // The same id with other content is refused, and the stored record stays.
    const changed = await partner.post('/api/v1/partner/completions', {
      completions: [{ ...batch.completions[0], completedAt: '2026-09-06T20:00:00+07:00' }],
    });
    expect(changed.body.results[0]).toMatchObject({ status: 'rejected', code: 'ITEM_ID_REUSED' });
    expect(await snapshot()).toEqual(before);

    const key = { headers: { 'idempotency-key': 'batch-2026-11-25-001' } };
    const fresh = {
      lessons: [
        {
          id: 'L9',
          externalId: 'R-1',
          programCode: program.code,
          level: 1,
          lesson: 'Bài 2',
          completedAt: '2026-08-16T20:00:00+07:00',
        },
      ],
    };
    const first = await partner.post('/api/v1/partner/lessons', fresh, key);
    expect(first.body.summary.recorded).toBe(1);
    const middle = await snapshot();
    const replay = await partner.post('/api/v1/partner/lessons', fresh, key);
    expect(replay.status).toBe(200);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.text).toBe(first.text);
    expect(await snapshot()).toEqual(middle);
    const misuse = await partner.post(
      '/api/v1/partner/lessons',
      { lessons: [{ ...fresh.lessons[0], id: 'L10' }] },
      key,
    );
    expect(misuse.status).toBe(422);
    expect(misuse.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('a person merged with a partner duplicate still counts once', async () => {
    // The partner registers someone the campaign already knows, without a CCCD: a second record, queued.
    const twin = await createPerson(t.http, A, { fullName: 'Đỗ Văn Song', birthYear: 1980 });
    const reg = await partner.post('/api/v1/partner/people', {
      people: [partnerPerson('T-1', A, { fullName: 'Đỗ Văn Song', birthYear: 1980, gender: 'male' })],
    });
    expect(reg.body.results[0]).toMatchObject({ status: 'created', possibleDuplicate: true });
    await completeClass(twin.id, A);
    await partner.post('/api/v1/partner/completions', {
      completions: [
        {
          id: 'C-T',
          externalId: 'T-1',
          programCode: program.code,
          level: 1,
          completedAt: '2026-10-01T08:00:00+07:00',
        },
      ],
    });
    expect(figure(await kpi(), 'completions')).toBe(5);
    const merged = await t.http.post(`/api/v1/people/${twin.id}/merge`, {
      sourceIds: [reg.body.results[0].personId],
    });
    expect(merged.status).toBe(200);
    const after = await kpi();
    expect(figure(after, 'completions')).toBe(4);
    expect(figure(after, 'completions_online')).toBe(3);
    // The partner's id follows the merge.
    expect((await partner.get('/api/v1/partner/people/T-1')).body.personId).toBe(twin.id);
  });

  it('lists the partner’s own records only', async () => {
    const other = await partnerWithKey(t.http, program.id, '19');
    expect((await other.client.get('/api/v1/partner/records')).body.total).toBe(0);
    expect((await other.client.get('/api/v1/partner/people/Q-1')).status).toBe(404);
    const mine = await partner.get('/api/v1/partner/records?kind=completion');
    expect(mine.body.items.map((r: any) => r.id).sort()).toEqual(['C-T', 'C1', 'C2']);
    expect(mine.body.items.find((r: any) => r.id === 'C1')).toMatchObject({
      externalId: 'Q-1',
      level: 1,
      score: 91,
    });
  });

  it('kept step by step, the facts are what a rebuild from scratch computes', async () => {
    const incremental = await snapshot();
    expect(incremental.facts.filter((r: any) => r.kind === 'online').length).toBeGreaterThan(0);
    await t.app.get(KpiFactsRepository).rebuild(program.id);
    expect(await snapshot()).toEqual(incremental);
  });

  it('answers hostile values inside items item by item, never with a server error', async () => {
    const BAD: unknown[] = [null, 0, -1, 1e20, true, '', 'x'.repeat(5000), [], {}, ['a'], '2026-02-30', 'ß'];
    const items: Record<string, { path: string; field: string; valid: Record<string, unknown> }> = {
      people: { path: 'people', field: 'people', valid: partnerPerson('FZ-1', A) },
      lessons: {
        path: 'lessons',
        field: 'lessons',
        valid: {
          id: 'FZ-L',
          externalId: 'Q-1',
          programCode: program.code,
          level: 1,
          lesson: 'Bài',
          completedAt: '2026-09-01T20:00:00+07:00',
        },
      },
      completions: {
        path: 'completions',
        field: 'completions',
        valid: {
          id: 'FZ-C',
          externalId: 'Q-1',
          programCode: program.code,
          level: 1,
          completedAt: '2026-09-01T20:00:00+07:00',
          score: 50,
        },
      },
      outcomes: {
        path: 'outcomes',
        field: 'outcomes',
        valid: {
          id: 'FZ-O',
          externalId: 'Q-1',
          programCode: program.code,
          canApply: false,
          reportedAt: '2026-09-01T20:00:00+07:00',
          score: 50,
        },
      },
    };
    let sent = 0;
    for (const { path, field, valid } of Object.values(items)) {
      const batch: unknown[] = [];
      for (const name of [...Object.keys(valid), 'communeCode', 'birthDate', 'cccd', 'phone', 'unexpected']) {
        for (const bad of BAD) batch.push({ ...valid, [name]: bad });
      }
      batch.push('not an item', null, 7, [valid]);
      for (let start = 0; start < batch.length; start += 500) {
        const res = await partner.post(`/api/v1/partner/${path}`, {
          [field]: batch.slice(start, start + 500),
        });
        sent += batch.slice(start, start + 500).length;
        expect(res.status).toBe(200);
        for (const r of res.body.results) {
          if (r.status === 'rejected') expect(r.code).toMatch(/^[A-Z_]+$/);
        }
      }
    }
    expect(sent).toBeGreaterThan(400);
  });
});
