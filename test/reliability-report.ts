import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RELIABILITY_DIR } from './support/reliability';

/** Prints the figures the reliability suites recorded in this run (fuzz, matrix, faults), one line each. */
const files = existsSync(RELIABILITY_DIR)
  ? readdirSync(RELIABILITY_DIR).filter((f) => f.endsWith('.json'))
  : [];
console.log('\nReliability figures of this run:');
for (const file of files.sort()) {
  const { suite, figures } = JSON.parse(readFileSync(join(RELIABILITY_DIR, file), 'utf8')) as {
    suite: string;
    figures: Record<string, number | string>;
  };
  console.log(
    `  ${suite}: ${Object.entries(figures)
      .map(([k, v]) => `${k} = ${v}`)
      .join(', ')}`,
  );
}
if (!files.length) console.log('  (none recorded: the reliability suites did not run)');
