import { useState } from 'react';
import { foldVietnamese } from '@lantoa/text';
import { Dialog, Loading } from '../ui';
import { useChildUnits, useUnit, useUnitSearch } from './units';

interface UnitRef {
  code: string;
  fullName: string;
}

/**
 * Where the page stands in the hierarchy: breadcrumbs from the top of the caller's scope down to the unit
 * shown, and a dialog to choose another unit by browsing the children or searching without diacritics
 * ("dong hy" finds "Đồng Hỷ"), within the caller's scope only. The server checks scope again.
 */
export function UnitPicker({
  unit,
  asOf,
  roots,
  onChange,
}: {
  unit: string;
  /** A day the unit carried its code, for a unit that has since ended. */
  asOf?: string;
  /** The top units the caller may read; null for an administrator. */
  roots: UnitRef[] | null;
  onChange: (code: string) => void;
}) {
  const [open, setOpen] = useState(false);
  const detail = useUnit(unit, asOf);
  const rootCodes = roots?.map((r) => r.code) ?? null;
  const chain = detail.data ? [...detail.data.ancestors, detail.data] : [];
  const inScope = (code: string) =>
    rootCodes === null ||
    chain.slice(0, chain.findIndex((u) => u.code === code) + 1).some((u) => rootCodes.includes(u.code));

  return (
    <div className="unit-picker">
      <nav aria-label="Đơn vị đang xem" className="breadcrumbs">
        <ol>
          {chain.map((u, i) => (
            <li key={u.code}>
              {i === chain.length - 1 ? (
                <span aria-current="page">{u.fullName}</span>
              ) : inScope(u.code) ? (
                <button type="button" className="link" onClick={() => onChange(u.code)}>
                  {u.fullName}
                </button>
              ) : (
                <span className="muted">{u.fullName}</span>
              )}
            </li>
          ))}
          {!detail.data && <li>{detail.isError ? unit : 'Đang tải…'}</li>}
        </ol>
      </nav>
      <button type="button" className="button secondary small" onClick={() => setOpen(true)}>
        Chọn đơn vị khác
      </button>
      <Dialog open={open} title="Chọn đơn vị" onClose={() => setOpen(false)}>
        <UnitChooser
          current={unit}
          roots={roots}
          onPick={(code) => {
            setOpen(false);
            onChange(code);
          }}
        />
      </Dialog>
    </div>
  );
}

function UnitChooser({
  current,
  roots,
  onPick,
}: {
  current: string;
  roots: UnitRef[] | null;
  onPick: (code: string) => void;
}) {
  const [q, setQ] = useState('');
  const within = roots?.length === 1 ? roots[0].code : null;
  const search = useUnitSearch(q, within);
  const browseFrom = roots && roots.length === 1 ? roots[0].code : null;
  const children = useChildUnits(browseFrom);
  const folded = foldVietnamese(q);
  const browse: UnitRef[] = roots && roots.length > 1 ? roots : (children.data?.items ?? []);
  const searching = q.trim().length >= 2;
  const results: UnitRef[] = searching
    ? (search.data?.items ?? [])
    : browse.filter((u) => foldVietnamese(u.fullName).includes(folded));
  const top = roots?.length === 1 ? roots[0] : null;

  return (
    <div className="unit-chooser">
      <label htmlFor="unit-search">Tìm theo tên (không cần gõ dấu)</label>
      <input
        id="unit-search"
        data-autofocus
        type="search"
        value={q}
        autoComplete="off"
        placeholder="ví dụ: dong hy"
        onChange={(e) => setQ(e.target.value)}
        aria-describedby="unit-search-count"
      />
      <p id="unit-search-count" className="muted" aria-live="polite">
        {searching && search.isFetching ? 'Đang tìm…' : `${results.length} đơn vị`}
      </p>
      {top && !searching && (
        <button
          type="button"
          className="unit-option strong"
          onClick={() => onPick(top.code)}
          aria-current={current === top.code}
        >
          {top.fullName} (toàn bộ)
        </button>
      )}
      {children.isPending && !searching && !roots?.length ? <Loading /> : null}
      <ul className="unit-options">
        {results.map((u) => (
          <li key={u.code}>
            <button
              type="button"
              className="unit-option"
              aria-current={current === u.code ? 'true' : undefined}
              onClick={() => onPick(u.code)}
            >
              {u.fullName}
              <span className="muted"> · mã {u.code}</span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
