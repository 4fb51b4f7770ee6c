/**
 * A bounded load test, run by hand (never as a timed test): N concurrent clients for a fixed time against the
 * service started from dist/ on the dataset of `npm run bench:generate`, mixing what a province does on an
 * evening of sessions — steering members opening the province dashboard and commune KPIs and plans, trainers'
 * devices syncing offline attendance, learners checking in by QR while trainers' screens refresh the code.
 * Every answer must be a success: the run reports errors (expected 0) and p50 / p95 / p99 per kind.
 *   npm run bench:load [-- --clients 200 --seconds 180 --think-ms 1000] [--url postgres://…/lantoa_bench]
 * It changes the dataset: the sessions of half of the sync classes are moved to now (QR check-in only works
 * during a session), and attendance marks are written; a second run finds fewer learners left to check in.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { Pool } from 'pg';
import { BENCH_ADMIN, BENCH_PERIOD, BENCH_PROGRAM, BENCH_PROVINCE, benchArgs } from './dataset';
import { waitFor } from './harness';

const root = join(__dirname, '../..');
const PORT = 3918;
const BASE = `http://127.0.0.1:${PORT}`;

type Kind =
  'dashboard' | 'leaderboard' | 'commune kpi' | 'commune plan' | 'attendance sync' | 'qr code' | 'check-in';

/** Share of each client's requests (check-ins add a QR refresh when the session's code is 20 s old). */
const MIX: [Kind, number][] = [
  ['dashboard', 0.15],
  ['leaderboard', 0.05],
  ['commune kpi', 0.25],
  ['commune plan', 0.1],
  ['attendance sync', 0.3],
  ['check-in', 0.15],
];

const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN;
const round = (n: number) => Math.round(n * 10) / 10;

async function main(): Promise<void> {
  const args = benchArgs({
    clients: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '180' },
    'think-ms': { type: 'string', default: '1000' },
    out: { type: 'string' },
  });
  const clients = Number(args.values.clients);
  const seconds = Number(args.values.seconds);
  const thinkMs = Number(args.values['think-ms']);
  const pool = new Pool({ connectionString: args.url, max: 4 });
  const q = async <T = any>(sql: string, params: unknown[] = []) =>
    (await pool.query(sql, params)).rows as T[];

  const [program] = await q<{ id: string }>(`SELECT id FROM program WHERE code = $1`, [BENCH_PROGRAM]);
  const [province] = await q<{ id: number }>(
    `SELECT id FROM admin_unit WHERE code = $1 AND valid_to IS NULL`,
    [BENCH_PROVINCE],
  );
  const communes = (
    await q<{ code: string }>(
      `SELECT DISTINCT u.code FROM admin_unit u JOIN training_class c ON c.unit_id = u.id WHERE u.parent_id = $1`,
      [province.id],
    )
  ).map((r) => r.code);
  // The sync classes (in progress, no roster marks yet): even ones for QR check-in, odd ones for sync.
  const syncClasses = await q<{ id: string }>(
    `SELECT c.id FROM training_class c
      WHERE c.program_id = $1 AND c.status = 'in_progress'
        AND EXISTS (SELECT 1 FROM enrolment e WHERE e.class_id = c.id)
        AND NOT EXISTS (SELECT 1 FROM attendance a WHERE a.class_id = c.id AND a.method = 'roster')
      ORDER BY c.id`,
    [program.id],
  );
  const checkinClasses = syncClasses.filter((_, i) => i % 2 === 0).map((c) => c.id);
  const syncClassIds = syncClasses.filter((_, i) => i % 2 === 1).map((c) => c.id);
  // QR check-in works only while a session runs: every session of the check-in classes runs now (as if each
  // were a different class's evening session: a learner checks in once per session).
  await q(
    `UPDATE class_session SET starts_at = now() - interval '10 minutes', ends_at = now() + interval '3 hours'
      WHERE class_id = ANY ($1::uuid[])`,
    [checkinClasses],
  );
  const learners = await q<{ classId: string; sessionId: string; cccd: string; birthYear: number }>(
    `SELECT e.class_id AS "classId", s.id AS "sessionId", p.cccd, p.birth_year AS "birthYear"
       FROM enrolment e JOIN person p ON p.id = e.person_id
       JOIN class_session s ON s.class_id = e.class_id
      WHERE e.class_id = ANY ($1::uuid[]) AND e.status <> 'withdrawn' AND p.cccd IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM attendance a WHERE a.session_id = s.id AND a.person_id = e.person_id
                           AND a.status IN ('present', 'late'))
      ORDER BY random()`,
    [checkinClasses],
  );
  const syncSessions = await q<{ classId: string; sessionId: string; personIds: string[] }>(
    `SELECT s.class_id AS "classId", s.id AS "sessionId", array_agg(e.person_id ORDER BY e.person_id) AS "personIds"
       FROM class_session s JOIN enrolment e ON e.class_id = s.class_id AND e.status <> 'withdrawn'
      WHERE s.class_id = ANY ($1::uuid[]) GROUP BY s.class_id, s.id`,
    [syncClassIds],
  );
  const QR_MARKS = `SELECT count(*)::int AS n FROM attendance WHERE class_id = ANY ($1::uuid[]) AND method = 'qr'`;
  const [before] = await q<{ n: number }>(QR_MARKS, [checkinClasses]);
  const [dataset] = await q(
    `SELECT (SELECT count(*)::int FROM person) AS people, (SELECT count(*)::int FROM training_class) AS classes,
            (SELECT count(*)::int FROM enrolment) AS enrolments, (SELECT count(*)::int FROM attendance) AS marks`,
  );
  console.log(
    `Dataset: ${JSON.stringify(dataset)}; ${communes.length} communes; ${learners.length} learners can check in ` +
      `(${checkinClasses.length} classes); ${syncSessions.length} sessions to sync (${syncClassIds.length} classes)`,
  );

  const env = {
    NODE_ENV: 'production',
    JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0',
    DATABASE_URL: args.url,
    DATA_DIR: join(root, 'dist/bench-load-data'),
    PORT: String(PORT),
    HOST: '127.0.0.1',
    SEED_DEMO: 'false',
    UNITS_SEED_FILE: 'none',
    WEB_DIR: 'none',
    LOG_LEVEL: 'warn',
    ADMIN_LOGIN: BENCH_ADMIN.login,
    ADMIN_PASSWORD: BENCH_ADMIN.password,
    RUN_JOBS: 'false',
    ...(process.env.DB_POOL_SIZE ? { DB_POOL_SIZE: process.env.DB_POOL_SIZE } : {}),
  };
  const api: ChildProcess = spawn(process.execPath, [join(root, 'dist/apps/api/src/main.js')], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    await waitFor(`${BASE}/health`);
    // A handful of sessions shared by the clients, as a province's staff would hold (logins are argon2id).
    const tokens: string[] = [];
    for (let i = 0; i < 10; i++) {
      const res = await fetch(`${BASE}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(BENCH_ADMIN),
      });
      if (!res.ok) throw new Error(`login: ${res.status} ${await res.text()}`);
      tokens.push(((await res.json()) as { accessToken: string }).accessToken);
    }

    const times = new Map<Kind, number[]>();
    const errors = new Map<Kind, string[]>();
    let syncRetries = 0;
    const syncResults = new Map<string, number>();
    let checkinsDone = 0;
    let marksSent = 0;
    const qr = new Map<string, { token: string; at: number }>();
    let nextLearner = 0;

    const timed = async (kind: Kind, send: () => Promise<Response>, ok = (res: Response) => res.ok) => {
      const t0 = performance.now();
      let res: Response | null = null;
      let body = '';
      let failure: string | null = null;
      try {
        res = await send();
        body = await res.text();
        if (!ok(res)) failure = `${res.status} ${body.slice(0, 200)}`;
      } catch (error) {
        failure = (error as Error).message;
      }
      const ms = performance.now() - t0;
      if (failure) errors.set(kind, [...(errors.get(kind) ?? []), failure]);
      else times.set(kind, [...(times.get(kind) ?? []), ms]);
      return { res, body, failed: failure !== null };
    };
    const get = (token: string, path: string) => () =>
      fetch(BASE + path, { headers: { authorization: `Bearer ${token}`, 'accept-encoding': 'gzip' } });
    const kpiPath = `/api/v1/programs/${program.id}`;
    const pick = <T>(list: T[]) => list[Math.floor(Math.random() * list.length)];

    const request = async (token: string, kind: Kind): Promise<void> => {
      switch (kind) {
        case 'dashboard':
          await timed(kind, get(token, `${kpiPath}/kpi?unit=${BENCH_PROVINCE}&period=${BENCH_PERIOD}`));
          return;
        case 'leaderboard':
          await timed(
            kind,
            get(
              token,
              `${kpiPath}/kpi/leaderboard?unit=${BENCH_PROVINCE}&indicator=learners_reached&period=${BENCH_PERIOD}`,
            ),
          );
          return;
        case 'commune kpi':
          await timed(kind, get(token, `${kpiPath}/kpi?unit=${pick(communes)}&period=${BENCH_PERIOD}`));
          return;
        case 'commune plan':
          await timed(kind, get(token, `${kpiPath}/plan?unit=${pick(communes)}`));
          return;
        case 'attendance sync': {
          // A trainer's device sends one session's marks, taken offline an hour ago (latest write wins).
          const session = pick(syncSessions);
          const recordedAt = new Date(
            Date.now() - 3_600_000 + Math.floor(Math.random() * 600_000),
          ).toISOString();
          const marks = session.personIds.map((personId) => ({
            clientId: randomUUID(),
            sessionId: session.sessionId,
            personId,
            status: pick(['present', 'late', 'absent']),
            recordedAt,
          }));
          const send = () =>
            fetch(`${BASE}/api/v1/attendance/sync`, {
              method: 'POST',
              headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
              body: JSON.stringify({ marks }),
            });
          // As a device does: a batch answered "retry" (503, a concurrent batch of the same class) is sent again.
          for (let attempt = 0; ; attempt++) {
            const { res, body, failed } = await timed(
              kind,
              send,
              (r) => r.ok || (r.status === 503 && attempt < 4),
            );
            if (res?.status === 503 && !failed) {
              syncRetries++;
              times.get(kind)!.pop();
              continue;
            }
            if (!failed)
              for (const x of (JSON.parse(body) as { results: { result: string }[] }).results)
                syncResults.set(x.result, (syncResults.get(x.result) ?? 0) + 1);
            break;
          }
          marksSent += marks.length;
          return;
        }
        case 'check-in': {
          const learner = learners[nextLearner++];
          if (!learner) return request(token, 'commune kpi'); // every learner has checked in
          let code = qr.get(learner.sessionId);
          if (!code || Date.now() - code.at > 20_000) {
            const { body, failed } = await timed(
              'qr code',
              get(token, `/api/v1/classes/${learner.classId}/sessions/${learner.sessionId}/checkin`),
            );
            if (failed) return;
            code = { token: (JSON.parse(body) as { token: string }).token, at: Date.now() };
            qr.set(learner.sessionId, code);
          }
          const { failed } = await timed(kind, () =>
            fetch(`${BASE}/checkin/${code.token}`, {
              method: 'POST',
              headers: { 'content-type': 'application/x-www-form-urlencoded' },
              body: new URLSearchParams({ identifier: learner.cccd, birthYear: String(learner.birthYear) }),
            }),
          );
          if (!failed) checkinsDone++;
          return;
        }
        case 'qr code':
          throw new Error('QR codes are fetched by check-ins');
      }
    };

    const chooseKind = (): Kind => {
      let x = Math.random();
      for (const [kind, share] of MIX) if ((x -= share) < 0) return kind;
      return MIX[0][0];
    };
    console.log(
      `Load: ${clients} clients for ${seconds} s, think time 0–${2 * thinkMs} ms (mean ${thinkMs} ms)`,
    );
    const started = performance.now();
    const end = Date.now() + seconds * 1000;
    const load0 = loadavg()[0];
    await Promise.all(
      Array.from({ length: clients }, async (_, i) => {
        const token = tokens[i % tokens.length];
        // Clients start spread over the first think time, as people arrive.
        await new Promise((r) => setTimeout(r, Math.random() * thinkMs));
        while (Date.now() < end) {
          await request(token, chooseKind());
          await new Promise((r) => setTimeout(r, Math.random() * 2 * thinkMs));
        }
      }),
    );
    const elapsed = (performance.now() - started) / 1000;

    // Every acknowledged check-in is in the database.
    const [after] = await q<{ n: number }>(QR_MARKS, [checkinClasses]);
    const stored = { n: after.n - before.n };
    const rows = [...new Set<Kind>([...times.keys(), ...errors.keys()])].map((kind) => {
      const sorted = [...(times.get(kind) ?? [])].sort((a, b) => a - b);
      return {
        kind,
        requests: sorted.length + (errors.get(kind)?.length ?? 0),
        errors: errors.get(kind)?.length ?? 0,
        p50: round(percentile(sorted, 50)),
        p95: round(percentile(sorted, 95)),
        p99: round(percentile(sorted, 99)),
        max: round(sorted.at(-1) ?? NaN),
      };
    });
    const total = rows.reduce((n, r) => n + r.requests, 0);
    const errorCount = rows.reduce((n, r) => n + r.errors, 0);
    const summary = {
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, model: cpus()[0]?.model, memoryGiB: Math.round(totalmem() / 2 ** 30) },
      loadAverageBefore: round(load0),
      loadAverageAfter: round(loadavg()[0]),
      dataset,
      clients,
      seconds: round(elapsed),
      thinkMs,
      requests: total,
      perSecond: round(total / elapsed),
      errors: errorCount,
      syncRetries,
      marksSent,
      syncResults: Object.fromEntries(syncResults),
      checkins: { acknowledged: checkinsDone, stored: stored.n },
      kinds: rows,
    };
    console.log(`\n| Kind | Requests | Errors | p50 (ms) | p95 (ms) | p99 (ms) | max (ms) |`);
    console.log(`|---|---|---|---|---|---|---|`);
    for (const r of rows)
      console.log(`| ${r.kind} | ${r.requests} | ${r.errors} | ${r.p50} | ${r.p95} | ${r.p99} | ${r.max} |`);
    console.log(
      `\n${total} requests in ${summary.seconds} s (${summary.perSecond}/s), ${errorCount} errors; ` +
        `${syncRetries} sync batches retried after 503; ${marksSent} marks synced ${JSON.stringify(summary.syncResults)}; ` +
        `check-ins acknowledged ${checkinsDone}, stored ${stored.n}; load average ${summary.loadAverageBefore} → ${summary.loadAverageAfter}`,
    );
    for (const [kind, list] of errors) console.log(`  ${kind}: ${list.slice(0, 3).join(' | ')}`);
    if (args.values.out) {
      mkdirSync(dirname(String(args.values.out)), { recursive: true });
      writeFileSync(String(args.values.out), JSON.stringify(summary, null, 2) + '\n');
    }
    if (errorCount > 0 || stored.n !== checkinsDone) process.exitCode = 1;
  } finally {
    api.kill('SIGTERM');
    await pool.end();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
