import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { PostgresQueryRunner } from 'typeorm/driver/postgres/PostgresQueryRunner';
import { AppModule } from '../../apps/api/src/app.module';
import { loadConfig } from '../../libs/platform/src';
import { BENCH_ADMIN } from './dataset';

/** The product's modules on the benchmark database, without HTTP and without running jobs. */
export async function benchContext(url: string): Promise<INestApplicationContext> {
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'production',
    JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0',
    DATABASE_URL: url,
    DATA_DIR: 'dist/bench-data',
    SEED_DEMO: 'false',
    RUN_JOBS: 'false',
    LOG_LEVEL: 'warn',
    ADMIN_LOGIN: BENCH_ADMIN.login,
    ADMIN_PASSWORD: BENCH_ADMIN.password,
  });
  return NestFactory.createApplicationContext(AppModule.forRoot({ config }), { logger: ['error', 'warn'] });
}

/**
 * Times every SQL statement the product sends while `recording`, grouped by the start of its text; `stop`
 * puts the driver back.
 */
export function statementTimer() {
  const statements = new Map<string, { n: number; ms: number }>();
  const timer = {
    recording: false,
    statements,
    sqlMs: () => [...statements.values()].reduce((a, s) => a + s.ms, 0),
    report: (per = 1) =>
      [...statements.entries()]
        .sort((a, b) => b[1].ms - a[1].ms)
        .map(
          ([key, s]) =>
            `${String(Math.round(s.ms / per)).padStart(7)} ms ${String(s.n).padStart(4)}×  ${key}`,
        )
        .join('\n'),
    stop: () => {
      PostgresQueryRunner.prototype.query = query;
    },
  };
  // Wrapped and put back by `stop`; called with the runner as `this`.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const query = PostgresQueryRunner.prototype.query;
  PostgresQueryRunner.prototype.query = async function (this: PostgresQueryRunner, ...params) {
    const t0 = process.hrtime.bigint();
    try {
      return await query.apply(this, params);
    } finally {
      if (timer.recording) {
        const key = String(params[0]).replace(/\s+/g, ' ').trim().slice(0, 70);
        const s = statements.get(key) ?? { n: 0, ms: 0 };
        s.n++;
        s.ms += Number(process.hrtime.bigint() - t0) / 1e6;
        statements.set(key, s);
      }
    }
  };
  return timer;
}

/** An administrator of the benchmark dataset, as the API would authenticate them. */
export async function benchAdmin(query: (sql: string, params: unknown[]) => Promise<{ id: string }[]>) {
  const [admin] = await query(`SELECT id FROM app_user WHERE login = $1`, [BENCH_ADMIN.login]);
  return {
    id: admin.id,
    login: BENCH_ADMIN.login,
    displayName: 'bench',
    sessionId: admin.id,
    mustChangePassword: false,
    personId: null,
    assignments: [
      {
        id: admin.id,
        role: 'admin' as const,
        unitId: null,
        unitCode: null,
        unitPath: null,
        organisationId: null,
        organisationUnitPath: null,
      },
    ],
  };
}
