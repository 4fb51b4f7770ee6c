/**
 * Where a province KPI request spends its time, statement by statement — on the dataset of
 * `npm run bench:generate`, through `KpiService.kpi` as the API calls it (one caller, after warm-up runs).
 *   node -r @swc-node/register test/bench/kpi-profile.ts --url postgres://…/lantoa_bench [--runs 10]
 */
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { KpiService } from '../../libs/kpi/src';
import { BENCH_PERIOD, BENCH_PROGRAM, BENCH_PROVINCE, benchArgs } from './dataset';
import { benchAdmin, benchContext, statementTimer } from './statement-timer';

async function main(): Promise<void> {
  const args = benchArgs({ runs: { type: 'string', default: '10' } });
  const runs = Number(args.values.runs);
  const app = await benchContext(args.url);
  const timer = statementTimer();
  try {
    const dataSource = app.get(DataSource);
    const principal = await benchAdmin((sql, params) => dataSource.query(sql, params));
    const [program]: { id: string }[] = await dataSource.query(`SELECT id FROM program WHERE code = $1`, [
      BENCH_PROGRAM,
    ]);
    const kpi = app.get(KpiService);
    const request = () =>
      kpi.kpi(principal, program.id, {
        unit: BENCH_PROVINCE,
        period: BENCH_PERIOD,
        view: 'recorded',
      } as never);
    for (let i = 0; i < 3; i++) await request();
    timer.recording = true;
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < runs; i++) await request();
    const totalMs = Number(process.hrtime.bigint() - t0) / 1e6 / runs;
    timer.recording = false;
    console.log(
      `a request: ${totalMs.toFixed(1)} ms, of which SQL ${(timer.sqlMs() / runs).toFixed(1)} ms\n` +
        timer.report(runs),
    );
  } finally {
    timer.stop();
    await app.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
