import { formatNumber } from './format';

/** How many rows a list has: "hơn 1.000" when it counted only up to a cap. */
export function countText(total: number, totalCapped?: boolean): string {
  return totalCapped ? `hơn ${formatNumber(total)}` : formatNumber(total);
}

/**
 * Previous / next over a paged list, with where the reader stands; over a list counted only up to a cap
 * (`totalCapped`), the page number and "hơn 1.000 dòng", and a next page while there are more.
 */
export function Pager({
  page: { total, totalCapped = false, limit, offset },
  onChange,
  label = 'Phân trang',
}: {
  /** Where the list stands, as the API pages it. */
  page: { total: number; totalCapped?: boolean; limit: number; offset: number };
  onChange: (offset: number) => void;
  label?: string;
}) {
  if (total <= limit && !totalCapped) return null;
  const current = Math.floor(offset / limit) + 1;
  const pages = Math.ceil(total / limit);
  return (
    <nav className="pager" aria-label={label}>
      <button
        type="button"
        className="button secondary"
        disabled={offset === 0}
        onClick={() => onChange(Math.max(0, offset - limit))}
      >
        ‹ Trang trước
      </button>
      <span aria-live="polite">
        {totalCapped
          ? `Trang ${formatNumber(current)} · hơn ${formatNumber(total)} dòng`
          : `Trang ${formatNumber(current)}/${formatNumber(pages)} · ${formatNumber(total)} dòng`}
      </span>
      <button
        type="button"
        className="button secondary"
        disabled={!totalCapped && offset + limit >= total}
        onClick={() => onChange(offset + limit)}
      >
        Trang sau ›
      </button>
    </nav>
  );
}
