import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { addDays, DomainError, formatDate } from '../../platform/src';

/**
 * A period figures and targets are asked for, as Vietnamese calendar days [from, to):
 * - a year (`2026`), a quarter (`2026-Q2`) or a month (`2026-05`) — the periods reports are made for;
 * - a span (`2028..2030`, `2026-Q3..2027-Q2`, `2025-03-01..2025-04-24`): from the start of the first to the
 *   end of the second;
 * - a cumulative span (`..2030`, `..2027-Q2`, `..2026-05-20`): from the program's start to the end of that;
 * - a phase of the program (`P1`, `P2` …, in the program's order of phases).
 */
export const PERIOD_KINDS = ['year', 'quarter', 'month', 'span', 'cumulative', 'phase'] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];

export interface Period {
  code: string;
  kind: PeriodKind;
  /** The year of the last day (population figures are read as of that year). */
  year: number;
  /** First day, inclusive (YYYY-MM-DD). */
  from: string;
  /** Day after the last, exclusive. */
  to: string;
  /** The months it spans, wholly or partly (YYYY-MM), for trends. */
  months: string[];
  /** Vietnamese label: "năm 2026", "quý II năm 2026", "lũy kế đến hết năm 2030" … */
  label: string;
}

/** What a program contributes to its periods: where "cumulative" starts, and its phases. */
export interface PeriodContext {
  startsOn: string;
  phases: { name: string; startsOn: string; endsOn: string }[];
}

const STANDARD = '\\d{4}(?:-Q[1-4]|-(?:0[1-9]|1[0-2]))?';
const PIECE = '\\d{4}(?:-Q[1-4]|-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\\d|3[01]))?)?';

/** The periods progress reports are made for: a year, a quarter or a month. */
export const CALENDAR_PERIOD_PATTERN = new RegExp(`^${STANDARD}$`);
/** Every period code figures and targets accept (see Period). */
export const PERIOD_PATTERN = new RegExp(`^(?:${STANDARD}|(?:${PIECE})?\\.\\.${PIECE}|P[1-9])$`);
export const PERIOD_MAX_LENGTH = 22;
export const CALENDAR_PERIOD_MESSAGE = 'phải có dạng 2026, 2026-Q2 hoặc 2026-05';
export const PERIOD_MESSAGE =
  'phải có dạng 2026, 2026-Q2, 2026-05, một khoảng (2028..2030, 2025-03-01..2025-04-24), ' +
  'lũy kế từ đầu chương trình (..2030) hoặc một giai đoạn của chương trình (P1)';

const ROMAN = ['I', 'II', 'III', 'IV'];

const month = (year: number, m: number) =>
  `${year + Math.floor((m - 1) / 12)}-${String(((m - 1) % 12) + 1).padStart(2, '0')}`;

function invalid(reason: string): DomainError {
  return new DomainError('VALIDATION_FAILED', 400, 'Kỳ báo cáo không hợp lệ.', {}, [
    { field: 'period', reason },
  ]);
}

interface Piece {
  kind: 'year' | 'quarter' | 'month' | 'day';
  from: string;
  to: string;
  label: string;
}

/** One calendar piece of a code: a year, quarter, month or day. */
function piece(code: string): Piece {
  const year = Number(code.slice(0, 4));
  if (code.length === 4) {
    return { kind: 'year', from: `${year}-01-01`, to: `${year + 1}-01-01`, label: `năm ${year}` };
  }
  if (code.includes('-Q')) {
    const q = Number(code.slice(-1));
    const first = (q - 1) * 3 + 1;
    return {
      kind: 'quarter',
      from: `${month(year, first)}-01`,
      to: `${month(year, first + 3)}-01`,
      label: `quý ${ROMAN[q - 1]} năm ${year}`,
    };
  }
  const m = Number(code.slice(5, 7));
  if (code.length === 7) {
    return {
      kind: 'month',
      from: `${code}-01`,
      to: `${month(year, m + 1)}-01`,
      label: `tháng ${m} năm ${year}`,
    };
  }
  const parsed = new Date(`${code}T00:00:00Z`);
  if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== code) {
    throw invalid(`không có ngày ${code}`);
  }
  return { kind: 'day', from: code, to: addDays(code, 1), label: `ngày ${formatDate(code)}` };
}

/** The months [from, to) touches. */
function monthsOf(from: string, to: string): string[] {
  const months: string[] = [];
  const year = Number(from.slice(0, 4));
  let m = Number(from.slice(5, 7));
  while (`${month(year, m)}-01` < to) {
    months.push(month(year, m));
    m++;
  }
  return months;
}

function period(code: string, kind: PeriodKind, from: string, to: string, label: string): Period {
  if (from >= to) throw invalid('ngày bắt đầu phải trước ngày kết thúc');
  const last = addDays(to, -1);
  return { code, kind, year: Number(last.slice(0, 4)), from, to, months: monthsOf(from, to), label };
}

/**
 * Reads a period code. Cumulative spans and phases belong to a program: without `context` they are refused,
 * as they are when the program has no such phase or the span ends before the program starts.
 */
export function parsePeriod(code: string, context?: PeriodContext): Period {
  if (!PERIOD_PATTERN.test(code)) throw invalid(PERIOD_MESSAGE);
  if (code.startsWith('P')) {
    const n = Number(code.slice(1));
    const phase = context?.phases[n - 1];
    if (!phase) throw invalid(`chương trình không có giai đoạn ${n}`);
    return period(
      code,
      'phase',
      phase.startsOn,
      addDays(phase.endsOn, 1),
      `giai đoạn ${n}: ${phase.name} (${formatDate(phase.startsOn)} – ${formatDate(phase.endsOn)})`,
    );
  }
  const dots = code.indexOf('..');
  if (dots < 0) {
    const p = piece(code);
    return period(code, p.kind as PeriodKind, p.from, p.to, p.label);
  }
  const end = piece(code.slice(dots + 2));
  const endLabel = end.kind === 'day' ? `ngày ${formatDate(end.from)}` : `hết ${end.label}`;
  if (dots === 0) {
    if (!context) throw invalid('kỳ lũy kế chỉ dùng được trong một chương trình');
    if (context.startsOn >= end.to) throw invalid('kỳ lũy kế kết thúc trước khi chương trình bắt đầu');
    return period(code, 'cumulative', context.startsOn, end.to, `lũy kế đến ${endLabel}`);
  }
  const start = piece(code.slice(0, dots));
  const label =
    start.kind === end.kind && start.kind !== 'day'
      ? `từ ${start.label} đến ${end.label}`
      : `từ ngày ${formatDate(start.from)} đến ngày ${formatDate(addDays(end.to, -1))}`;
  return period(code, 'span', start.from, end.to, label);
}

/** A period code as a file name can carry it: `..2030` → `luy-ke-2030`, `2028..2030` → `2028-den-2030`. */
export function periodSlug(code: string): string {
  return code.startsWith('..') ? `luy-ke-${code.slice(2)}` : code.replace('..', '-den-');
}

/** The last day of the period (for "as of" questions). */
export function lastDay(period: Period): string {
  return addDays(period.to, -1);
}

/**
 * The report periods (years, quarters, months) that lie wholly inside a period — the reports its reported
 * figures are made of (reportsSource decides which of them count) — the latest-ending first, and of those
 * ending together the longest first (a year, then its last quarter, then its last month).
 */
export function reportPeriods(period: Period): string[] {
  const codes: Period[] = [];
  for (let year = Number(period.from.slice(0, 4)); `${year}-01-01` < period.to; year++) {
    const candidates = [
      String(year),
      ...[1, 2, 3, 4].map((q) => `${year}-Q${q}`),
      ...Array.from({ length: 12 }, (_, i) => month(year, i + 1)),
    ];
    for (const code of candidates) {
      const p = parsePeriod(code);
      if (p.from >= period.from && p.to <= period.to) codes.push(p);
    }
  }
  return codes.sort((a, b) => b.to.localeCompare(a.to) || a.from.localeCompare(b.from)).map((p) => p.code);
}

/**
 * A period as the monthly sums can serve it: the whole months inside it [monthsFrom, monthsTo), and the
 * partial months at its edges as day ranges (read from the facts themselves). A calendar period has no edges.
 */
export function monthlyWindow(period: Period): {
  monthsFrom: string;
  monthsTo: string;
  edges: [string, string][];
} {
  const firstWhole = period.from.endsWith('-01') ? period.from : `${nextMonth(period.from)}-01`;
  const endWhole = `${period.to.slice(0, 7)}-01`;
  if (firstWhole >= endWhole) {
    return { monthsFrom: period.from, monthsTo: period.from, edges: [[period.from, period.to]] };
  }
  const edges: [string, string][] = [];
  if (period.from < firstWhole) edges.push([period.from, firstWhole]);
  if (endWhole < period.to) edges.push([endWhole, period.to]);
  return { monthsFrom: firstWhole, monthsTo: endWhole, edges };
}

const nextMonth = (day: string) => month(Number(day.slice(0, 4)), Number(day.slice(5, 7)) + 1);

const PERIOD_DESCRIPTION =
  'Năm (2026), quý (2026-Q2), tháng (2026-05); khoảng thời gian (2028..2030, 2026-Q3..2027-Q2, ' +
  '2025-03-01..2025-04-24); lũy kế từ đầu chương trình đến hết một kỳ hoặc một ngày (..2030); ' +
  'giai đoạn của chương trình theo thứ tự (P1, P2, …)';

/** A period field of a query or body: any period code (see Period), documented with its pattern. */
export function PeriodField(options: { optional?: boolean } = {}): PropertyDecorator {
  const doc = { example: '2026', pattern: PERIOD_PATTERN.source, description: PERIOD_DESCRIPTION };
  return applyDecorators(
    ...(options.optional ? [ApiPropertyOptional(doc), IsOptional()] : [ApiProperty(doc)]),
    Matches(PERIOD_PATTERN, { message: PERIOD_MESSAGE }),
  );
}

/** A report period field: a year, a quarter or a month. */
export function ReportPeriodField(options: { optional?: boolean } = {}): PropertyDecorator {
  const doc = {
    example: '2026-Q2',
    pattern: CALENDAR_PERIOD_PATTERN.source,
    description: 'Năm (2026), quý (2026-Q2) hoặc tháng (2026-05)',
  };
  return applyDecorators(
    ...(options.optional ? [ApiPropertyOptional(doc), IsOptional()] : [ApiProperty(doc)]),
    Matches(CALENDAR_PERIOD_PATTERN, { message: CALENDAR_PERIOD_MESSAGE }),
  );
}
