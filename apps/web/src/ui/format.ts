/** Numbers, percentages, dates and months as Vietnamese documents write them, in Vietnam's time zone. */
const TIME_ZONE = 'Asia/Ho_Chi_Minh';

const integer = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('vi-VN', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const upToOneDecimal = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 1 });

/** 1234567 → "1.234.567". */
export function formatNumber(value: number): string {
  return integer.format(value);
}

/** Non-integral figures (a percentage target such as 0,2 %) keep one decimal. */
export function formatFigure(value: number): string {
  return Number.isInteger(value) ? integer.format(value) : upToOneDecimal.format(value);
}

/** What a percentage of target says when the target is zero: there is nothing to be a percentage of. */
export const NO_TARGET = 'Không có chỉ tiêu';

/**
 * A percentage: one decimal below 10 % ("7,3 %"), whole numbers above ("302 %"), as the campaign's
 * reports write them; a missing value is an em dash. Given the target it is a percentage of, a zero
 * target reads as no target.
 */
export function formatPercent(value: number | null | undefined, target?: number | null): string {
  if (target === 0) return NO_TARGET;
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const text = Math.abs(value) < 10 ? oneDecimal.format(value) : integer.format(Math.round(value));
  return `${text}\u00a0%`;
}

const dateFormat = new Intl.DateTimeFormat('vi-VN', {
  timeZone: TIME_ZONE,
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
});
const dateTimeFormat = new Intl.DateTimeFormat('vi-VN', {
  timeZone: TIME_ZONE,
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

/** "2026-05-03" (a calendar day) → "03/05/2026". */
export function formatDay(day: string | null | undefined): string {
  if (!day) return '—';
  const [y, m, d] = day.slice(0, 10).split('-');
  return `${d}/${m}/${y}`;
}

/** An instant, in Vietnam's time: "03/05/2026 14:05". */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const parts = Object.fromEntries(dateTimeFormat.formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
  return `${parts.day}/${parts.month}/${parts.year} ${parts.hour}:${parts.minute}`;
}

/** An instant's calendar day in Vietnam's time. */
export function formatDate(iso: string): string {
  return dateFormat.format(new Date(iso));
}

/** "2026-05" → "Tháng 5/2026"; `short` → "T5". */
export function formatMonth(month: string, short = false): string {
  const [y, m] = month.split('-');
  return short ? `T${Number(m)}` : `Tháng ${Number(m)}/${y}`;
}

/** The calendar day before a day (YYYY-MM-DD). */
export function dayBefore(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}

/** Today's date in Vietnam, as YYYY-MM-DD. */
export function vietnamToday(now = new Date()): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone: TIME_ZONE,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    })
      .formatToParts(now)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}`;
}

const ROMAN = ['I', 'II', 'III', 'IV'];

/** One side of a span: a year, quarter, month or day. */
function formatPiece(code: string): string {
  const quarter = /^(\d{4})-Q([1-4])$/.exec(code);
  if (quarter) return `quý ${ROMAN[Number(quarter[2]) - 1]}/${quarter[1]}`;
  if (/^\d{4}-\d{2}-\d{2}$/.test(code)) return formatDay(code);
  if (/^\d{4}-\d{2}$/.test(code)) return formatMonth(code).toLowerCase();
  return `năm ${code}`;
}

/**
 * A KPI period code as people say it: "2026" → "Năm 2026", "2026-Q2" → "Quý II/2026", "2026-05" →
 * "Tháng 5/2026", "2028..2030" → "Từ năm 2028 đến năm 2030", "..2030" → "Lũy kế đến hết năm 2030",
 * "P2" → "Giai đoạn 2" (the pages that have the program's phases name them).
 */
export function formatPeriod(code: string): string {
  const phase = /^P(\d)$/.exec(code);
  if (phase) return `Giai đoạn ${phase[1]}`;
  const dots = code.indexOf('..');
  if (dots === 0) {
    const end = code.slice(2);
    return /^\d{4}-\d{2}-\d{2}$/.test(end)
      ? `Lũy kế đến ngày ${formatDay(end)}`
      : `Lũy kế đến hết ${formatPiece(end)}`;
  }
  if (dots > 0) return `Từ ${formatPiece(code.slice(0, dots))} đến ${formatPiece(code.slice(dots + 2))}`;
  const piece = formatPiece(code);
  return piece.charAt(0).toUpperCase() + piece.slice(1);
}

/** The year a period is mostly about, for choices that depend on it (this year for a phase). */
export function periodYear(code: string, fallback: string): string {
  const years = code.match(/\d{4}/g);
  return years ? years[years.length - 1] : fallback;
}
