/**
 * The results of a benchmark run as the Markdown table of docs/benchmarks.md: every figure as
 * min / median / max over the runs, product next to raw baseline.
 *   npm run bench:report -- test/bench/results/<date>.json
 */
import { readFileSync } from 'node:fs';

type Stats = { min: number; median: number; max: number };
interface Scenario {
  name: string;
  unit: string;
  product: Record<string, Stats>;
  baseline: Record<string, Stats>;
  ratio: number;
  goal: string;
  met: boolean;
}

const LABELS: Record<string, string> = {
  p50: 'p50 (ms)',
  p95: 'p95 (ms)',
  rate: 'rate',
  dryRun: 'dry run',
  commit: 'commit',
  peakRssMb: 'peak RSS (MB)',
  twoProcesses: 'two processes',
};

const figures = (values: Record<string, Stats>, unit: string) =>
  Object.entries(values)
    .map(([key, s]) => {
      const label = LABELS[key] ?? key;
      const suffix = ['rate', 'dryRun', 'commit', 'twoProcesses'].includes(key) ? ` ${unit}` : '';
      return `${label}: ${s.min} / **${s.median}** / ${s.max}${suffix}`;
    })
    .join('<br>');

const result = JSON.parse(readFileSync(process.argv[2], 'utf8')) as {
  date: string;
  runs: number;
  scenarios: Scenario[];
};
console.log(`Run of ${result.date.slice(0, 10)}, ${result.runs} runs; figures are min / **median** / max.\n`);
console.log('| Scenario | Lan Tỏa | Raw baseline | Ratio | Goal | Met |');
console.log('|---|---|---|---|---|---|');
for (const s of result.scenarios) {
  console.log(
    `| ${s.name} | ${figures(s.product, s.unit)} | ${figures(s.baseline, s.unit)} | ${s.ratio} | ${s.goal} | ${s.met ? 'yes' : 'no'} |`,
  );
}
