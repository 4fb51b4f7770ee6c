/**
 * Where one offline sync batch spends its time in the request, statement by statement, on the dataset of
 * `npm run bench:generate`: batches of the classes in progress sent one at a time through
 * `AttendanceService.sync` (as the API does, without HTTP), every SQL statement timed by its text; the rest
 * of the request's time is Node's. The marks are written, dated a minute ago, and their outbox rows are left
 * for the worker: run it after the sync benchmark, or an hour before (the benchmark's marks, dated an hour
 * ago, would be stale against these).
 *   node -r @swc-node/register test/bench/sync-profile.ts --url postgres://…/lantoa_bench [--batches 6]
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { PostgresQueryRunner } from 'typeorm/driver/postgres/PostgresQueryRunner';
import { AppModule } from '../../apps/api/src/app.module';
import { AttendanceService } from '../../libs/classes/src';
import { loadConfig } from '../../libs/platform/src';
import { BENCH_ADMIN, BENCH_PROGRAM, benchArgs } from './dataset';

async function main(): Promise<void> {
  const args = benchArgs({ batches: { type: 'string', default: '6' } });
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'production',
    JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0',
    DATABASE_URL: args.url,
    DATA_DIR: 'dist/bench-data',
    SEED_DEMO: 'false',
    RUN_JOBS: 'false',
    LOG_LEVEL: 'warn',
    ADMIN_LOGIN: BENCH_ADMIN.login,
    ADMIN_PASSWORD: BENCH_ADMIN.password,
  });
  const app: INestApplicationContext = await NestFactory.createApplicationContext(
    AppModule.forRoot({ config }),
    { logger: ['error', 'warn'] },
  );
  const statements = new Map<string, { n: number; ms: number }>();
  let recording = false;
  // Wrapped and put back below; called with the runner as `this`.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const query = PostgresQueryRunner.prototype.query;
  PostgresQueryRunner.prototype.query = async function (this: PostgresQueryRunner, ...params) {
    const t0 = process.hrtime.bigint();
    try {
      return await query.apply(this, params);
    } finally {
      if (recording) {
        const key = String(params[0]).replace(/\s+/g, ' ').trim().slice(0, 70);
        const s = statements.get(key) ?? { n: 0, ms: 0 };
        s.n++;
        s.ms += Number(process.hrtime.bigint() - t0) / 1e6;
        statements.set(key, s);
      }
    }
  };
  try {
    const dataSource = app.get(DataSource);
    const [admin]: { id: string }[] = await dataSource.query(`SELECT id FROM app_user WHERE login = $1`, [
      BENCH_ADMIN.login,
    ]);
    const principal = {
      id: admin.id,
      login: BENCH_ADMIN.login,
      displayName: 'bench',
      sessionId: randomUUID(),
      mustChangePassword: false,
      personId: null,
      assignments: [{ role: 'admin' as const, unitId: null, unitPath: null, unitCode: null }],
    };
    const pairs: { sessionId: string; personId: string }[] = await dataSource.query(
      `SELECT s.id AS "sessionId", e.person_id AS "personId"
         FROM training_class c JOIN program g ON g.id = c.program_id
         JOIN class_session s ON s.class_id = c.id JOIN enrolment e ON e.class_id = c.id
        WHERE g.code = $1 AND c.status = 'in_progress'
        ORDER BY c.id, s.id, e.person_id`,
      [BENCH_PROGRAM],
    );
    const batches = Number(args.values.batches);
    const recordedAt = new Date(Date.now() - 60_000).toISOString();
    const service = app.get(AttendanceService);
    let total = 0;
    let marks = 0;
    for (let b = 0; b < batches && b * 500 < pairs.length; b++) {
      const batch = pairs
        .slice(b * 500, b * 500 + 500)
        .map((p) => ({ clientId: randomUUID(), ...p, status: 'present' as const, recordedAt }));
      recording = b > 0; // the first batch warms up
      const t0 = process.hrtime.bigint();
      await service.sync(principal as never, batch);
      if (recording) {
        total += Number(process.hrtime.bigint() - t0) / 1e6;
        marks += batch.length;
      }
    }
    const sql = [...statements.values()].reduce((a, s) => a + s.ms, 0);
    console.log(
      `${marks} marks in ${Math.round(total)} ms (${Math.round((total * 1000) / marks)} µs a mark); ` +
        `SQL ${Math.round(sql)} ms, Node and the driver ${Math.round(total - sql)} ms`,
    );
    for (const [key, s] of [...statements.entries()].sort((a, b) => b[1].ms - a[1].ms))
      console.log(`${String(Math.round(s.ms)).padStart(7)} ms ${String(s.n).padStart(4)}×  ${key}`);
  } finally {
    PostgresQueryRunner.prototype.query = query;
    await app.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
