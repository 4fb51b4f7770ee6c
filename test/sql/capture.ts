/**
 * Captures the SQL the API issues for its hot operations (test/sql/hot-queries.ts), on the benchmark
 * dataset at a small scale, and renders it as the committed snapshots in test/sql/snapshots/.
 *
 * Statements are recorded at run time, where TypeORM sends them (a query subscriber on the application's
 * DataSource), for the requests the capture makes itself (marked by their X-Request-Id): what is snapshotted
 * is what the product code sends now, wherever that code lives. Statements every authenticated request
 * makes (the principal's session, user and roles: those of a plain GET /auth/me) are left out.
 */
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource, EntitySubscriberInterface } from 'typeorm';
import type { BeforeQueryEvent } from 'typeorm/subscriber/event/QueryEvent';
import { KpiFactsRepository } from '../../libs/kpi/src';
import { currentRequest, FixedClock } from '../../libs/platform/src';
import { loadDataset } from '../bench/generate';
import { createUser } from '../support/fixtures';
import { Http } from '../support/http';
import { startTestApp, TestApp } from '../support/test-app';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { Api, Family, FAMILIES, HotQueryContext, SHARED, Statement } from './hot-queries';

export const SNAPSHOT_DIR = join(__dirname, 'snapshots');

/**
 * Scale of the benchmark dataset the statements are captured and planned on: 60,000 people, 3,000 classes,
 * 240,000 marks and the facts derived from them. At 0.01 the planner reads trainer_reach_daily by day rather
 * than by trainer (its plans at 0.03 are those at 0.1).
 */
export const CAPTURE_SCALE = 0.03;
const SEED = 20261201;
/**
 * The moment the operations run at: a Friday of the dataset's campaign (its classes run from March to late
 * November 2026), so that "the last four weeks" hold reach as in a live campaign, whatever the day the suite runs.
 */
export const CAPTURE_NOW = new Date('2026-11-20T03:00:00Z');
const REQUEST_PREFIX = 'sql-snapshot-';
/** Not statements an index serves: transaction control and session settings. */
const CONTROL = /^\s*(START TRANSACTION|BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE SAVEPOINT|SET|RESET|SHOW)\b/i;

export interface Issued {
  sql: string;
  parameters: unknown[];
}

/** One statement of a family's snapshot: its annotation, its text, and the parameters it was first sent with. */
export interface Captured {
  statement: Statement;
  sql: string;
  parameters: unknown[];
}

/** Records what the application sends to PostgreSQL during requests whose id starts with REQUEST_PREFIX. */
class Recorder implements EntitySubscriberInterface {
  readonly byRequest = new Map<string, Issued[]>();

  beforeQuery(event: BeforeQueryEvent<unknown>): void {
    const { requestId } = currentRequest();
    if (!requestId?.startsWith(REQUEST_PREFIX)) return;
    const list = this.byRequest.get(requestId) ?? [];
    list.push({ sql: event.query, parameters: structuredClone(event.parameters ?? []) });
    this.byRequest.set(requestId, list);
  }
}

export interface CaptureSession {
  app: TestApp;
  /** A steering member of the province (the dashboard's reader). */
  steering: Http;
  context: HotQueryContext;
  close(): Promise<void>;
}

/**
 * A test database (from the suite's `units` template, on TEST_DATABASE_URL's server) with the benchmark
 * dataset at CAPTURE_SCALE, VACUUM ANALYZEd, and the API started on it.
 */
export async function startCaptureSession(scale = CAPTURE_SCALE): Promise<CaptureSession> {
  const db: TestDatabase = await createTestDatabase('units');
  let app: TestApp | undefined;
  try {
    app = await startTestApp({ db, env: { RUN_JOBS: 'false' }, clock: new FixedClock(CAPTURE_NOW) });
    const started = app;
    const client = new Client({ connectionString: db.url });
    await client.connect();
    const log = console.log;
    try {
      // The generator reports its progress; here it would only be noise.
      console.log = () => undefined;
      await loadDataset(client, { scale, seed: SEED }, (programId) =>
        started.app.get(KpiFactsRepository).rebuild(programId, started.dataSource.manager),
      );
      // Jobs are kept once done: a campaign's offline sync alone leaves a derive pass every few seconds.
      await client.query(
        `INSERT INTO job (kind, status, params, created_at, started_at, finished_at)
         SELECT 'attendance.derive', 'succeeded', '{}', t, t, t + interval '1 second'
           FROM generate_series(timestamptz '2026-09-01', timestamptz '2026-11-19', interval '3 minutes') AS t`,
      );
      await client.query('ANALYZE job');
    } finally {
      console.log = log;
      await client.end();
    }
    const context = await contextOf(app.dataSource);
    const steering = (await createUser(app, [{ role: 'steering', unitCode: context.province }])).http;
    return {
      app,
      steering,
      context,
      close: async () => {
        await started.close();
        await db.close();
      },
    };
  } catch (error) {
    await app?.close();
    await db.close();
    throw error;
  }
}

/** What the operations need to know of the dataset: read here, outside any captured request. */
async function contextOf(dataSource: DataSource): Promise<HotQueryContext> {
  const one = async <T>(sql: string, params: unknown[] = []): Promise<T> =>
    (await dataSource.query<T[]>(sql, params))[0];
  const program = await one<{ id: string }>(`SELECT id FROM program WHERE code = 'BM'`);
  const commune = await one<{ code: string }>(
    `SELECT u.code FROM admin_unit u WHERE u.id IN (SELECT unit_id FROM training_class) ORDER BY u.code LIMIT 1`,
  );
  const trainer = await one<{ id: string }>(
    `SELECT t.id FROM trainer t WHERE t.program_id = $1 AND t.depth = 0
      ORDER BY (SELECT count(*) FROM trainer d WHERE d.lineage_path LIKE t.lineage_path || '%') DESC, t.id LIMIT 1`,
    [program.id],
  );
  // A given name and a middle name typed without diacritics, as the benchmark's search scenario.
  const { term } = await one<{ term: string }>(
    `SELECT split_part(name_key, ' ', 2) || ' ' || split_part(name_key, ' ', 3) AS term
       FROM person WHERE name_key LIKE '% % %' ORDER BY md5(id::text) LIMIT 1`,
  );
  const { phone } = await one<{ phone: string }>(
    `SELECT phone FROM person WHERE phone IS NOT NULL ORDER BY md5(id::text) LIMIT 1`,
  );
  const { cccd } = await one<{ cccd: string }>(
    `SELECT cccd FROM person WHERE cccd IS NOT NULL ORDER BY md5(id::text) LIMIT 1`,
  );
  // The classes in progress have enrolments and no marks: offline sync sends theirs, a few classes whole.
  const pairs: { sessionId: string; personId: string; classId: string }[] = await dataSource.query(
    `SELECT s.id AS "sessionId", e.person_id AS "personId", c.id AS "classId"
       FROM training_class c JOIN class_session s ON s.class_id = c.id JOIN enrolment e ON e.class_id = c.id
      WHERE c.program_id = $1 AND c.status = 'in_progress' AND NOT EXISTS (SELECT 1 FROM attendance a WHERE a.class_id = c.id)
      ORDER BY c.id, s.id, e.person_id`,
    [program.id],
  );
  const classes = [...new Set(pairs.map((p) => p.classId))];
  const half = new Set(classes.slice(0, Math.ceil(classes.length / 2)));
  const marks = (which: (classId: string) => boolean) =>
    pairs
      .filter((p) => which(p.classId))
      .map(({ sessionId, personId }) => ({ sessionId, personId }))
      .slice(0, 500);
  return {
    now: CAPTURE_NOW,
    programId: program.id,
    province: '66',
    commune: commune.code,
    period: '2026',
    trainerId: trainer.id,
    nameTerm: term,
    phone,
    cccd,
    syncMarks: [marks((c) => half.has(c)), marks((c) => !half.has(c))],
  };
}

/**
 * Runs every family's operation once unrecorded (caches warm, as in a service that has been running), then
 * again recorded; returns what each family sent, first sending of each distinct statement.
 */
export async function captureIssued(session: CaptureSession): Promise<Map<Family, Issued[]>> {
  const { app, context } = session;
  const recorder = new Recorder();
  app.dataSource.subscribers.push(recorder);
  let n = 0;
  const api = (recorded: boolean, http: Http = app.http): Api => {
    const send = async (method: 'GET' | 'POST', path: string, body?: unknown) => {
      const requestId = `${recorded ? REQUEST_PREFIX : 'sql-warm-up-'}${++n}`;
      const res = await http.request(method, path, { body, headers: { 'x-request-id': requestId } });
      if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${res.text}`);
      return { requestId, body: res.body as unknown };
    };
    return { get: (path) => send('GET', path), post: (path, body) => send('POST', path, body) };
  };
  try {
    // What every authenticated request sends, whatever it does.
    const plumbing = new Set<string>();
    for (const http of [app.http, session.steering]) {
      await api(false, http).get('/api/v1/auth/me');
      const baseline = await api(true, http).get('/api/v1/auth/me');
      for (const q of recorder.byRequest.get(baseline.requestId) ?? []) plumbing.add(q.sql);
    }
    const result = new Map<Family, Issued[]>();
    for (const family of FAMILIES) {
      const http = family.as === 'steering' ? session.steering : app.http;
      await family.run(api(false, http), context, 0);
      const before = new Set(recorder.byRequest.keys());
      await family.run(api(true, http), context, 1);
      const distinct = new Map<string, Issued>();
      for (const [id, list] of recorder.byRequest) {
        if (before.has(id)) continue;
        for (const q of list) {
          if (!plumbing.has(q.sql) && !CONTROL.test(q.sql) && !distinct.has(q.sql)) distinct.set(q.sql, q);
        }
      }
      result.set(family, [...distinct.values()]);
    }
    return result;
  } finally {
    app.dataSource.subscribers.splice(app.dataSource.subscribers.indexOf(recorder), 1);
  }
}

/** Each family's statements with their annotations, in the order of the annotations. */
export async function captureFamilies(session: CaptureSession): Promise<Map<Family, Captured[]>> {
  const result = new Map<Family, Captured[]>();
  const problems: string[] = [];
  for (const [family, issued] of await captureIssued(session)) {
    const annotated = annotate(family, issued);
    result.set(family, annotated.captured);
    problems.push(...annotated.problems.map((p) => `${family.file}: ${p}`));
  }
  if (problems.length) {
    throw new Error(
      `Every statement of a hot operation is annotated in test/sql/hot-queries.ts, once:\n\n${problems.join('\n\n')}`,
    );
  }
  return result;
}

/** Pairs each distinct statement issued with the one annotation that matches it; anything else is an error. */
function annotate(family: Family, issued: Issued[]): { captured: Captured[]; problems: string[] } {
  const statements = [...SHARED, ...family.statements];
  const captured: Captured[] = [];
  const problems: string[] = [];
  for (const q of issued) {
    const matching = statements.filter((s) => s.match.test(q.sql));
    if (matching.length !== 1) {
      problems.push(
        `${matching.length ? `matched by ${matching.map((s) => s.name).join(', ')}` : 'annotated by nothing'}:\n${tidy(q.sql)}`,
      );
      continue;
    }
    const [statement] = matching;
    if (statement.params.length !== q.parameters.length) {
      problems.push(
        `"${statement.name}" describes ${statement.params.length} parameters, the statement has ${q.parameters.length}:\n${tidy(q.sql)}`,
      );
    }
    captured.push({ statement, sql: q.sql, parameters: q.parameters });
  }
  for (const s of family.statements) {
    if (!captured.some((c) => c.statement === s))
      problems.push(`"${s.name}" matched no statement the operation issued`);
  }
  const order = (c: Captured) => statements.indexOf(c.statement);
  captured.sort((a, b) => order(a) - order(b) || a.sql.localeCompare(b.sql));
  return { captured, problems };
}

/** The statement as written, with its common indentation and trailing blanks removed. */
export function tidy(sql: string): string {
  const lines = sql.replace(/\t/g, '  ').split('\n');
  while (lines.length && !lines[0].trim()) lines.shift();
  while (lines.length && !lines.at(-1)!.trim()) lines.pop();
  const rest = lines.slice(1).filter((l) => l.trim());
  const indent = Math.min(...rest.map((l) => l.length - l.trimStart().length));
  return lines
    .map((l, i) => (i === 0 ? l.trim() : l.slice(Number.isFinite(indent) ? indent : 0).trimEnd()))
    .filter((l) => l.length)
    .join('\n');
}

/** The snapshot file of a family. */
export function render(family: Family, captured: Captured[]): string {
  const out = [
    `-- ${family.title}`,
    '--',
    ...family.operations.map((o) => `-- Issued by ${o}`),
    `-- Sent as ${family.as === 'steering' ? "a steering member of the province (the dashboard's reader)" : 'the administrator'}.`,
    '--',
    '-- Written by `npm run sql:snapshots` from what the API sent to PostgreSQL (test/sql/capture.ts); do not',
    '-- edit. test/sql/hot-queries.e2e-spec.ts fails when this differs from what the code sends now, and',
    '-- checks with EXPLAIN, on tables of realistic size, that each statement uses the index named here.',
  ];
  for (const c of captured) {
    out.push('', `-- name: ${c.statement.name}`);
    const { indexes, why } = c.statement;
    out.push(indexes.length ? `-- index: ${indexes.join(', ')}` : '-- index: none checked');
    if (why) out.push(...wrap(why).map((l) => `--   ${l}`));
    c.statement.params.forEach((p, i) => out.push(`-- $${i + 1}: ${p}`));
    out.push(`${tidy(c.sql)};`);
  }
  return out.join('\n') + '\n';
}

/** Text in lines of at most 100 characters. */
function wrap(text: string): string[] {
  const lines: string[] = [];
  for (const word of text.split(/\s+/)) {
    if (lines.length && `${lines.at(-1)} ${word}`.length <= 100) lines[lines.length - 1] += ` ${word}`;
    else lines.push(word);
  }
  return lines;
}

export function snapshotPath(family: Family): string {
  return join(SNAPSHOT_DIR, family.file);
}

export function committedSnapshot(family: Family): string | null {
  try {
    return readFileSync(snapshotPath(family), 'utf8');
  } catch {
    return null;
  }
}

/** Every index name in a plan of EXPLAIN (FORMAT JSON). */
export function indexesOf(plan: unknown): string[] {
  const found: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === 'Index Name' && typeof value === 'string') found.push(value);
        // INSERT … ON CONFLICT finds the row it conflicts with through these.
        else if (key === 'Conflict Arbiter Indexes' && Array.isArray(value)) found.push(...value.map(String));
        else walk(value);
      }
    }
  };
  walk(plan);
  return found;
}

/** The plan PostgreSQL chooses for a captured statement, with the parameters it was sent with. */
export async function planOf(dataSource: DataSource, c: Captured): Promise<unknown> {
  const rows: { 'QUERY PLAN': unknown }[] = await dataSource.query(
    `EXPLAIN (FORMAT JSON) ${c.sql}`,
    c.parameters,
  );
  return rows[0]['QUERY PLAN'];
}
