/**
 * Where one offline sync batch spends its time in the request, statement by statement, on the dataset of
 * `npm run bench:generate`: batches of the classes in progress sent one at a time through
 * `AttendanceService.sync` (as the API does, without HTTP), every SQL statement timed by its text; the rest
 * of the request's time is Node's. The marks are written, dated a minute ago, and their outbox rows are left
 * for the worker: run it after the sync benchmark, or an hour before (the benchmark's marks, dated an hour
 * ago, would be stale against these).
 *   node -r @swc-node/register test/bench/sync-profile.ts --url postgres://…/lantoa_bench [--batches 7]
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AttendanceService } from '../../libs/classes/src';
import { BENCH_PROGRAM, benchArgs } from './dataset';
import { benchAdmin, benchContext, statementTimer } from './statement-timer';

async function main(): Promise<void> {
  const args = benchArgs({ batches: { type: 'string', default: '7' } });
  const app = await benchContext(args.url);
  const timer = statementTimer();
  try {
    const dataSource = app.get(DataSource);
    const principal = await benchAdmin((sql, params) => dataSource.query(sql, params));
    const pairs: { sessionId: string; personId: string }[] = await dataSource.query(
      `SELECT s.id AS "sessionId", e.person_id AS "personId"
         FROM training_class c JOIN program g ON g.id = c.program_id
         JOIN class_session s ON s.class_id = c.id JOIN enrolment e ON e.class_id = c.id
        WHERE g.code = $1 AND c.status = 'in_progress'
        ORDER BY c.id, s.id, e.person_id`,
      [BENCH_PROGRAM],
    );
    const recordedAt = new Date(Date.now() - 60_000).toISOString();
    const service = app.get(AttendanceService);
    let total = 0;
    let marks = 0;
    let batches = 0;
    for (let b = 0; b < Number(args.values.batches) && b * 500 < pairs.length; b++) {
      const batch = pairs
        .slice(b * 500, b * 500 + 500)
        .map((p) => ({ clientId: randomUUID(), ...p, status: 'present' as const, recordedAt }));
      timer.recording = b > 0; // the first batch warms up
      const t0 = process.hrtime.bigint();
      await service.sync(principal, batch);
      if (!timer.recording) continue;
      total += Number(process.hrtime.bigint() - t0) / 1e6;
      marks += batch.length;
      batches++;
    }
    const sql = timer.sqlMs();
    console.log(
      `${marks} marks in ${Math.round(total)} ms (${Math.round((total * 1000) / marks)} µs a mark); ` +
        `SQL ${Math.round(sql)} ms, Node and the driver ${Math.round(total - sql)} ms; a batch:`,
    );
    console.log(timer.report(batches));
  } finally {
    timer.stop();
    await app.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
