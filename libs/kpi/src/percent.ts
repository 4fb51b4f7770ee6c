/** What a percentage of target says when the target is zero: there is nothing to be a percentage of. */
export const NO_TARGET = 'Không có chỉ tiêu';

/** A percentage keeps one decimal below 10 % ("7,3 %") and none above ("302 %"), as the plans write them. */
export const percentDecimals = (value: number): number => (Math.abs(value) < 10 ? 1 : 0);

/** A percentage of target as text: the no-target words for a zero target, an em dash when there is none. */
export function formatPercent(percent: number | null, target?: number | null): string {
  if (target === 0) return NO_TARGET;
  if (percent === null || !Number.isFinite(percent)) return '—';
  const digits = percentDecimals(percent);
  const text = percent.toLocaleString('vi-VN', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
  return `${text}\u00a0%`;
}

/** The number format of a percentage cell in a workbook (the value itself keeps its precision). */
export const percentFormat = (value: number): string => (percentDecimals(value) ? '0.0' : '0');

/** `actual` as a percentage of `target`, to one decimal; none for a missing or zero target. */
export const percentOf = (actual: number, target: number | null): number | null =>
  target ? Math.round((actual / target) * 1000) / 10 : null;
