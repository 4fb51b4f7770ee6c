/** The results of a benchmark run (test/bench/results/<date>.json) and their table in docs/benchmarks.md. */

export type Stats = { min: number; median: number; max: number; runs: number[] };

export interface Scenario {
  name: string;
  unit: string;
  product: Record<string, Stats>;
  baseline: Record<string, Stats>;
  /** product / baseline for the headline metric (latency: lower is better; rates: higher is better). */
  ratio: number;
  goal: string;
  met: boolean;
  notes?: Record<string, unknown>;
}

export interface BenchResult {
  date: string;
  smoke: boolean;
  machine: Record<string, unknown>;
  dataset: Record<string, number>;
  runs: number;
  scenarios: Scenario[];
}

export const stats = (runs: number[]): Stats => {
  const sorted = [...runs].sort((a, b) => a - b);
  return {
    min: sorted[0],
    median: sorted[Math.floor(sorted.length / 2)],
    max: sorted[sorted.length - 1],
    runs,
  };
};

const LABELS: Record<string, string> = {
  p50: 'p50 (ms)',
  p95: 'p95 (ms)',
  rate: 'rate',
  dryRun: 'dry run',
  commit: 'commit',
  peakRssMb: 'peak RSS (MB)',
  twoProcesses: 'two processes',
  untilDerived: 'until derived',
  freshnessP50: 'freshness p50 (ms)',
  freshnessP95: 'freshness p95 (ms)',
};
const RATES = new Set(['rate', 'dryRun', 'commit', 'twoProcesses', 'untilDerived']);

const figures = (values: Record<string, Stats>, unit: string) =>
  Object.entries(values)
    .map(
      ([key, s]) =>
        `${LABELS[key] ?? key}: ${s.min} / **${s.median}** / ${s.max}${RATES.has(key) ? ` ${unit}` : ''}`,
    )
    .join('<br>');

/** Every figure as min / median / max over the runs, the product next to its raw baseline. */
export function resultsTable(result: BenchResult): string {
  return [
    `Run of ${result.date.slice(0, 10)}, ${result.runs} runs; figures are min / **median** / max.`,
    '',
    '| Scenario | Lan Tỏa | Raw baseline | Ratio | Goal | Met |',
    '|---|---|---|---|---|---|',
    ...result.scenarios.map(
      (s) =>
        `| ${s.name} | ${figures(s.product, s.unit)} | ${figures(s.baseline, s.unit)} | ${s.ratio} | ${s.goal} | ${s.met ? 'yes' : 'no'} |`,
    ),
  ].join('\n');
}
