import { formatNumber } from './format';

/** Previous / next over a paged list, with where the reader stands. */
export function Pager({
  total,
  limit,
  offset,
  onChange,
  label = 'Phân trang',
}: {
  total: number;
  limit: number;
  offset: number;
  onChange: (offset: number) => void;
  label?: string;
}) {
  if (total <= limit) return null;
  const page = Math.floor(offset / limit) + 1;
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
        Trang {formatNumber(page)}/{formatNumber(pages)} · {formatNumber(total)} dòng
      </span>
      <button
        type="button"
        className="button secondary"
        disabled={offset + limit >= total}
        onClick={() => onChange(offset + limit)}
      >
        Trang sau ›
      </button>
    </nav>
  );
}
