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
import { startTestApp, TestApp } from '../support/test-app';

/**
 * A small campaign in Thái Nguyên whose figures are worked out by hand:
 *
 *   class A1 (commune A, May 2026):  P1 ✓ (can apply AI), P2 ✓            ✓ = completed (2 of 3 sessions)
 *   class B1 (commune B, June 2026): P1 ✓, P3 ✓
 *   class C1 (commune C, July 2026): P4 absent throughout, P5 one session (reached, not completed)
 *
 *   P1 farmer 1990 · P2 civil servant 1985 · P3 enterprise owner 1950 (not of working age) · P4 youth 2005 ·
 *   P5 farmer 1990
 *
 * Province, 2026: reached {P1,P2,P3,P5} = 4 (A 2 + B 2 + C 1 = 5: P1 is counted once); completed 3;
 * proficient 1; civil servants 1; working age {P1,P2,P5} = 3; enterprise owners 1; classes held 2
 * (A1 and B1 are closed, C1 is not).
 */
export interface KpiWorld {
  t: TestApp;
  program: { id: string; code: string };
  A: string;
  B: string;
  C: string;
  /** The learners by name (P1 … P5), their ids. */
  people: Record<string, string>;
  kpi(http: Http, unit: string, period: string, view?: string): Promise<any>;
  mark(classId: string, sessionId: string, marks: [string, string][]): Promise<void>;
  classWith(
    unit: string,
    firstDay: string,
    learners: string[],
    lead: string,
    level?: number,
  ): Promise<{ id: string; sessions: { id: string }[]; enrolments: Record<string, string> }>;
  close(classId: string): Promise<void>;
}

export const figure = (body: any, code: string) => body.indicators.find((d: any) => d.code === code);
export const child = (body: any, code: string) => body.byChild.find((c: any) => c.unit.code === code);

/** Starts the service on a fresh database and builds the campaign above (each scenario file has its own). */
export async function buildKpiWorld(): Promise<KpiWorld> {
  const clock = new FixedClock(new Date('2026-11-25T10:00:00+07:00'));
  const people: Record<string, string> = {};

  const kpi = async (http: Http, unit: string, period: string, view = 'recorded') => {
    const res = await http.get(
      `/api/v1/programs/${program.id}/kpi?unit=${unit}&period=${period}&view=${view}`,
    );
    expect(res.status).toBe(200);
    return res.body;
  };

  async function mark(classId: string, sessionId: string, marks: [string, string][]) {
    const res = await t.http.put(`/api/v1/classes/${classId}/sessions/${sessionId}/attendance`, {
      marks: marks.map(([person, status]) => ({ personId: people[person], status })),
    });
    expect(res.status).toBe(200);
  }

  async function classWith(unit: string, firstDay: string, learners: string[], lead: string, level = 1) {
    const c = await createClass(t.http, program.id, lead, unit, {
      level,
      sessions: sessionsFrom(firstDay, 3),
    });
    const enrolments: Record<string, string> = {};
    for (const p of learners) {
      const res = await t.http.post(`/api/v1/classes/${c.id}/enrolments`, { personId: people[p] });
      expect(res.status).toBe(201);
      enrolments[p] = res.body.id;
    }
    return { ...c, enrolments };
  }

  async function close(classId: string) {
    // Marking attendance has already started the class.
    expect((await t.http.get(`/api/v1/classes/${classId}`)).body.status).toBe('in_progress');
    const res = await t.http.post(`/api/v1/classes/${classId}/status`, { status: 'completed' });
    expect(res.status).toBe(200);
  }

  const t = await startTestApp({
    clock,
    env: { RUN_JOBS: 'true', JOBS_POLL_MS: '100', EXPORT_SYNC_ROWS: '5' },
  });
  const [A, B, C] = await communesOf(t, '19');
  const program = await createProgram(t.http, {
    reportedIndicators: [{ code: 'ai_clubs', name: 'Câu lạc bộ AI' }],
  });
  const leadA = (await createTrainer(t.http, program.id, A, { tier: 'provincial_core' })).id;
  const leadB = (await createTrainer(t.http, program.id, B, { tier: 'provincial_core' })).id;
  await createTrainer(t.http, program.id, A, { trainedById: leadA });
  await createTrainer(t.http, program.id, B, { trainedById: leadB });
  await createTrainer(t.http, program.id, C, { trainedById: leadB });
  const spec: [string, string, number, string, Record<string, string>?][] = [
    ['P1', 'farmer', 1990, A],
    ['P2', 'civil_servant', 1985, A],
    ['P3', 'business_owner', 1950, B, { cccd: cccdFor('male', 1950), phone: '+84912345678' }],
    ['P4', 'youth', 2005, C],
    ['P5', 'farmer', 1990, C],
  ];
  for (const [name, segment, birthYear, commune, extra] of spec) {
    people[name] = (
      await createPerson(t.http, commune, { segment, birthYear, fullName: `Trần Văn ${name}`, ...extra })
    ).id;
  }
  const a1 = await classWith(A, '2026-05-10', ['P1', 'P2'], leadA);
  await mark(a1.id, a1.sessions[0].id, [
    ['P1', 'present'],
    ['P2', 'present'],
  ]);
  await mark(a1.id, a1.sessions[1].id, [
    ['P1', 'late'],
    ['P2', 'present'],
  ]);
  const outcome = await t.http.patch(`/api/v1/classes/${a1.id}/enrolments/${a1.enrolments.P1}`, {
    canApplyAiTool: true,
  });
  expect(outcome.status).toBe(200);
  await close(a1.id);
  const b1 = await classWith(B, '2026-06-15', ['P1', 'P3'], leadB);
  for (const s of b1.sessions.slice(0, 2))
    await mark(b1.id, s.id, [
      ['P1', 'present'],
      ['P3', 'present'],
    ]);
  await close(b1.id);
  const c1 = await classWith(C, '2026-07-01', ['P4', 'P5'], leadB);
  await mark(c1.id, c1.sessions[0].id, [
    ['P4', 'absent'],
    ['P5', 'present'],
  ]);
  await mark(c1.id, c1.sessions[1].id, [
    ['P4', 'absent'],
    ['P5', 'absent'],
  ]);
  return { t, program, A, B, C, people, kpi, mark, classWith, close };
}
