import { randomUUID } from 'node:crypto';
import { createClass, createPerson, createProgram, createTrainer } from '../support/campaign';
import { drainFlags } from '../support/jobs';
import { TestApp } from '../support/test-app';

const HOUR = 3_600_000;

/** A session of 90 minutes starting `hoursAgo` hours before now (the real clock: the app and the database agree). */
export function sessionAgo(hoursAgo: number, minutes = 90): { startsAt: string; endsAt: string } {
  const start = Math.floor((Date.now() - hoursAgo * HOUR) / 60_000) * 60_000;
  return {
    startsAt: new Date(start).toISOString(),
    endsAt: new Date(start + minutes * 60_000).toISOString(),
  };
}

export interface Fixture {
  programId: string;
  trainerId: string;
  classId: string;
  sessions: { id: string; startsAt: string }[];
  people: string[];
}

/**
 * A program (with settings, if given), a trainer and a class in `commune` with `learners` enrolled people
 * (each made with `person(i)`'s overrides), its sessions as given.
 */
export async function fixture(
  t: TestApp,
  commune: string,
  options: {
    sessions: { startsAt: string; endsAt: string }[];
    learners: number;
    person?: (i: number) => Record<string, unknown>;
    settings?: { pattern: string; threshold: number; severity?: string; enabled?: boolean }[];
    klass?: Record<string, unknown>;
    programId?: string;
    trainerId?: string;
  },
): Promise<Fixture> {
  const programId = options.programId ?? (await createProgram(t.http)).id;
  if (options.settings) {
    const res = await t.http.put(`/api/v1/programs/${programId}/flag-settings`, {
      settings: options.settings.map((s) => ({ severity: 'medium', enabled: true, ...s })),
    });
    if (res.status !== 200) throw new Error(`settings: ${res.status} ${res.text}`);
  }
  const trainerId = options.trainerId ?? (await createTrainer(t.http, programId, commune)).id;
  const c = await createClass(t.http, programId, trainerId, commune, {
    sessions: options.sessions,
    ...options.klass,
  });
  const people: string[] = [];
  for (let i = 0; i < options.learners; i++) {
    const p = await createPerson(t.http, commune, options.person?.(i) ?? {});
    const res = await t.http.post(`/api/v1/classes/${c.id}/enrolments`, { personId: p.id });
    if (res.status !== 201) throw new Error(`enrol: ${res.status} ${res.text}`);
    people.push(p.id);
  }
  return { programId, trainerId, classId: c.id, sessions: c.sessions, people };
}

/** The roster of one session, online (present unless `absent` names the person). */
export async function roster(t: TestApp, f: Fixture, session: number, absent: string[] = []): Promise<void> {
  const res = await t.http.put(`/api/v1/classes/${f.classId}/sessions/${f.sessions[session].id}/attendance`, {
    marks: f.people.map((personId) => ({
      personId,
      status: absent.includes(personId) ? 'absent' : 'present',
    })),
  });
  if (res.status !== 200) throw new Error(`roster: ${res.status} ${res.text}`);
  await drainFlags(t);
}

/** An offline batch: every learner present at `session`, recorded on the device at `recordedAt`. */
export async function offline(t: TestApp, f: Fixture, session: number, recordedAt: string): Promise<void> {
  const res = await t.http.post('/api/v1/attendance/sync', {
    marks: f.people.map((personId) => ({
      clientId: randomUUID(),
      sessionId: f.sessions[session].id,
      personId,
      status: 'present',
      recordedAt,
    })),
  });
  if (res.status !== 200) throw new Error(`sync: ${res.status} ${res.text}`);
}

export interface FlagRow {
  id: string;
  pattern: string;
  severity: string;
  status: string;
  evidence: Record<string, unknown>;
  records: number;
  classId: string | null;
  people: string[];
}

/**
 * Every flag of a program, straight from the tables, with the people behind each — once the detector's job
 * has evaluated every mark written so far.
 */
export async function flagsOf(t: TestApp, programId: string): Promise<FlagRow[]> {
  await drainFlags(t);
  return t.dataSource.query(
    `SELECT f.id, f.pattern, f.severity, f.status, f.evidence, f.records, f.class_id AS "classId",
            coalesce((SELECT array_agg(r.person_id::text ORDER BY r.person_id) FROM data_flag_record r WHERE r.flag_id = f.id), '{}') AS people
       FROM data_flag f WHERE f.program_id = $1 ORDER BY f.pattern, f.subject_key`,
    [programId],
  );
}

export const patterns = (flags: FlagRow[]) => [...new Set(flags.map((f) => f.pattern))].sort();

export interface Split {
  code: string;
  label: string;
  all: number;
  verified: number;
  flagged: number;
  excluded: number;
  flaggedShare: number;
}

export interface UnitSplit {
  unitCode: string;
  figures: Split[];
  children: { unitCode: string; figures: Split[] }[];
}

/** The published KPI figures of a unit in 2026, by indicator. */
async function published(t: TestApp, program: string, unit: string): Promise<Map<string, number>> {
  const res = await t.http.get(`/api/v1/programs/${program}/kpi?unit=${unit}&period=2026`);
  expect(res.status).toBe(200);
  return new Map<string, number>(
    res.body.indicators.map((d: { code: string; actual: number }) => [d.code, d.actual]),
  );
}

/** The verified split of 2026 at a unit and its units. */
export async function flagSplit(t: TestApp, program: string, unit: string): Promise<UnitSplit> {
  const res = await t.http.get(`/api/v1/flags/figures?programId=${program}&unit=${unit}&period=2026`);
  expect(res.status).toBe(200);
  return res.body as UnitSplit;
}

/** At the province and in each of `communes`: the split adds up, and "all" is the published KPI figure. */
export async function consistentSplit(t: TestApp, program: string, communes: string[]): Promise<UnitSplit> {
  const province = await flagSplit(t, program, '19');
  const levels = [province, ...province.children.filter((c) => communes.includes(c.unitCode))];
  expect(levels).toHaveLength(communes.length + 1);
  for (const level of levels) {
    const figures = await published(t, program, level.unitCode);
    for (const f of level.figures) {
      expect(f.verified + f.flagged + f.excluded).toBe(f.all);
      expect(f.all).toBe(figures.get(f.code));
    }
  }
  return province;
}
