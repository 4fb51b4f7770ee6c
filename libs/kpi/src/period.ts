import { DomainError } from '../../platform/src';

/** A reporting period: a year (2026), a quarter (2026-Q2) or a month (2026-05), as Vietnamese calendar days. */
export interface Period {
  code: string;
  kind: 'year' | 'quarter' | 'month';
  year: number;
  /** First day, inclusive (YYYY-MM-DD). */
  from: string;
  /** Day after the last, exclusive. */
  to: string;
  /** The months it spans (YYYY-MM), for trends. */
  months: string[];
  /** Vietnamese label: "năm 2026", "quý II năm 2026", "tháng 5 năm 2026". */
  label: string;
}

export const PERIOD_PATTERN = /^\d{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?$/;
const ROMAN = ['I', 'II', 'III', 'IV'];

const month = (year: number, m: number) =>
  `${year + Math.floor((m - 1) / 12)}-${String(((m - 1) % 12) + 1).padStart(2, '0')}`;

export function parsePeriod(code: string): Period {
  if (!PERIOD_PATTERN.test(code)) {
    throw new DomainError('VALIDATION_FAILED', 400, 'Kỳ báo cáo không hợp lệ.', {}, [
      { field: 'period', reason: 'phải có dạng 2026, 2026-Q2 hoặc 2026-05' },
    ]);
  }
  const year = Number(code.slice(0, 4));
  let first = 1;
  let count = 12;
  let kind: Period['kind'] = 'year';
  let label = `năm ${year}`;
  if (code.includes('-Q')) {
    const q = Number(code.slice(-1));
    first = (q - 1) * 3 + 1;
    count = 3;
    kind = 'quarter';
    label = `quý ${ROMAN[q - 1]} năm ${year}`;
  } else if (code.length === 7) {
    first = Number(code.slice(5));
    count = 1;
    kind = 'month';
    label = `tháng ${first} năm ${year}`;
  }
  const months = Array.from({ length: count }, (_, i) => month(year, first + i));
  return { code, kind, year, from: `${months[0]}-01`, to: `${month(year, first + count)}-01`, months, label };
}

/** The last day of the period (for "as of" questions). */
export function lastDay(period: Period): string {
  return new Date(Date.parse(`${period.to}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}

/**
 * The report periods a period's reported figures are made of: itself, and for a year its quarters and
 * months, for a quarter its months (reportsSource decides which of them count), the latest-ending first.
 */
export function reportPeriods(period: Period): string[] {
  if (period.kind === 'month') return [period.code];
  const quarters = period.kind === 'year' ? [1, 2, 3, 4].map((q) => `${period.year}-Q${q}`) : [];
  return [period.code, ...quarters, ...period.months]
    .map((code) => parsePeriod(code))
    .sort((a, b) => b.to.localeCompare(a.to))
    .map((p) => p.code);
}
