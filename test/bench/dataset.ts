/** What the benchmark generator builds and the harness reads back: one definition for both. */
import { parseArgs } from 'node:util';

export const BENCH_PROVINCE = '66';
export const BENCH_PROGRAM = 'BM';
export const BENCH_PERIOD = '2026';
export const BENCH_ADMIN = { login: 'bench@lantoa.vn', password: 'Bench-Password-2026' };
export const DEFAULT_BENCH_URL = 'postgres://postgres@127.0.0.1:5432/lantoa_bench';

/** Sizes of DESIGN §5 at scale 1. */
export function sizes(scale: number) {
  const at = (n: number, min: number) => Math.max(min, Math.round(n * scale));
  return {
    communes: Math.min(100, at(100, 5)),
    provincialTrainers: at(300, 2),
    communeTrainers: at(3_000, 6),
    learners: at(2_000_000, 200),
    classes: at(100_000, 20),
    /** Classes with enrolments and no marks yet, for the attendance-sync scenario. */
    syncClasses: at(1_000, 4),
  };
}

/** A deterministic UUID for the i-th record of a kind, so passes and the harness agree without lookups. */
export function uuidFor(kind: number, i: number): string {
  return `${kind.toString(16).padStart(8, '0')}-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;
}

export const KIND = { person: 1, class: 2, session: 3, enrolment: 4, trainer: 5 } as const;

export function benchArgs(
  extra: Record<string, { type: 'string' | 'boolean'; default?: string | boolean }> = {},
) {
  const { values } = parseArgs({
    options: {
      url: { type: 'string', default: process.env.BENCH_DATABASE_URL ?? DEFAULT_BENCH_URL },
      scale: { type: 'string', default: '1' },
      seed: { type: 'string', default: '20261201' },
      ...extra,
    },
  });
  return {
    values: values as Record<string, string | boolean | undefined>,
    url: String(values.url),
    scale: Number(values.scale),
    seed: Number(values.seed),
  };
}

/** Progress for long steps: a bar on a terminal, a line every tenth otherwise. */
export class Progress {
  private readonly started = Date.now();
  private lastShown = -1;

  constructor(
    private readonly label: string,
    private readonly total: number,
  ) {}

  update(done: number): void {
    const tenth = Math.floor((done / this.total) * 10);
    if (process.stdout.isTTY) {
      if (done !== this.total && done % 5000 !== 0) return;
      const width = 30;
      const filled = Math.round((done / this.total) * width);
      process.stdout.write(
        `\r${this.label.padEnd(14)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done.toLocaleString('en')}/${this.total.toLocaleString('en')}`,
      );
    } else if (tenth !== this.lastShown) {
      this.lastShown = tenth;
      console.log(`${this.label}: ${done.toLocaleString('en')}/${this.total.toLocaleString('en')}`);
    }
  }

  done(rows = this.total): { rows: number; seconds: number; perSecond: number } {
    const seconds = (Date.now() - this.started) / 1000;
    const perSecond = Math.round(rows / Math.max(seconds, 0.001));
    if (process.stdout.isTTY) process.stdout.write('\n');
    console.log(
      `${this.label}: ${rows.toLocaleString('en')} rows in ${seconds.toFixed(1)} s (${perSecond.toLocaleString('en')}/s)`,
    );
    return { rows, seconds, perSecond };
  }
}
