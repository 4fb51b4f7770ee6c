import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where the reliability suites leave their figures; `.ci/run` prints them at the end (test/reliability-report.ts). */
export const RELIABILITY_DIR = join(__dirname, '../../dist/reliability');

/** Records a suite's figures (what was sent, what broke, what was counted) for the end-of-run report. */
export function recordFigures(suite: string, figures: Record<string, number | string>): void {
  mkdirSync(RELIABILITY_DIR, { recursive: true });
  writeFileSync(
    join(RELIABILITY_DIR, `${suite}.json`),
    JSON.stringify({ suite, at: new Date().toISOString(), figures }, null, 2),
  );
  console.log(
    `${suite}: ${Object.entries(figures)
      .map(([k, v]) => `${k} = ${v}`)
      .join(', ')}`,
  );
}
