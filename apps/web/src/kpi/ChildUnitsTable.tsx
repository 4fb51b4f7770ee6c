import { useState } from 'react';
import { foldVietnamese, vietnameseSortKey } from '@lantoa/text';
import { formatShare, type UnitSplit } from '../flags';
import { dayBefore, formatNumber, formatPercent } from '../ui';
import type { Kpi } from './queries';

type Child = Kpi['byChild'][number];
type SplitFigure = UnitSplit['figures'][number];

const COLUMNS: { code: string; label: string; withTarget?: boolean }[] = [
  { code: 'learners_reached', label: 'Người học', withTarget: true },
  { code: 'completions', label: 'Hoàn thành' },
  { code: 'proficient_learners', label: 'Ứng dụng AI' },
  { code: 'classes_held', label: 'Lớp học', withTarget: true },
  { code: 'certificates_issued', label: 'Giấy chứng nhận' },
  { code: 'commune_core_trainers', label: 'GV nòng cốt xã' },
];

type SortKey = 'name' | 'flagged' | `${string}:actual` | `${string}:percent`;

function sortValue(child: Child, key: SortKey, flagged?: Map<string, SplitFigure>): string | number {
  if (key === 'name') return vietnameseSortKey(child.unit.fullName);
  if (key === 'flagged') return flagged?.get(child.unit.code)?.flaggedShare ?? -1;
  const [code, what] = key.split(':');
  const figure = child.indicators[code];
  return (what === 'percent' ? figure?.percentOfTarget : figure?.actual) ?? -1;
}

/** A unit's share of flagged learners, with how many of them are verified. */
function FlaggedCell({ figure }: { figure?: SplitFigure }) {
  if (!figure) return <td className="num">—</td>;
  return (
    <td className="num">
      {formatShare(figure.flaggedShare)}
      <span className="muted"> · {formatNumber(figure.verified)} đã xác minh</span>
    </td>
  );
}

/**
 * The units under the one shown, one row each: sortable by any column, filtered by name without
 * diacritics, and each row opens that unit. People are counted once per unit, so rows do not add up to
 * the unit's own figure (the note says so).
 */
export function ChildUnitsTable({
  children,
  onOpen,
  caption,
  flagged,
}: {
  children: Child[];
  /**
   * Each current unit's learners reached as all / verified / flagged / excluded people, by unit code: the
   * share of flagged records is a column (an ended unit has none).
   */
  flagged?: Map<string, SplitFigure>;
  /** Opens a child unit; `asOf`, a day it carried its code, for one that has ended. */
  onOpen: (code: string, asOf?: string) => void;
  caption: string;
}) {
  const [filter, setFilter] = useState('');
  const [sort, setSort] = useState<{ key: SortKey; descending: boolean }>({ key: 'name', descending: false });
  const folded = foldVietnamese(filter);
  const rows = children
    .filter(
      (c) =>
        !folded || foldVietnamese(c.unit.fullName).includes(folded) || c.unit.code.startsWith(filter.trim()),
    )
    .sort((a, b) => {
      const x = sortValue(a, sort.key, flagged);
      const y = sortValue(b, sort.key, flagged);
      const order = x < y ? -1 : x > y ? 1 : 0;
      return sort.descending ? -order : order;
    });

  function header(key: SortKey, label: string) {
    const active = sort.key === key;
    return (
      <th
        key={key}
        scope="col"
        className={key === 'name' ? undefined : 'num'}
        aria-sort={active ? (sort.descending ? 'descending' : 'ascending') : 'none'}
      >
        <button
          type="button"
          className="sort"
          onClick={() => setSort({ key, descending: active ? !sort.descending : key !== 'name' })}
        >
          {label}
          <span aria-hidden="true">{active ? (sort.descending ? ' ▼' : ' ▲') : ' ↕'}</span>
        </button>
      </th>
    );
  }

  return (
    <div className="table-block">
      <div className="table-tools">
        <label htmlFor="child-filter">Lọc theo tên đơn vị</label>
        <input
          id="child-filter"
          type="search"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          placeholder="ví dụ: phu binh"
          aria-describedby="child-filter-count"
        />
        <span id="child-filter-count" className="muted" aria-live="polite">
          {formatNumber(rows.length)}/{formatNumber(children.length)} đơn vị
        </span>
      </div>
      <div className="table-scroll" tabIndex={0} role="region" aria-label={caption}>
        <table className="data">
          <caption className="sr-only">{caption}</caption>
          <thead>
            <tr>
              {header('name', 'Đơn vị')}
              {COLUMNS.map((c) => header(`${c.code}:actual`, c.label))}
              {header('learners_reached:percent', '% chỉ tiêu người học')}
              {flagged && header('flagged', 'Người học bị cảnh báo')}
            </tr>
          </thead>
          <tbody>
            {rows.map((child) => (
              <tr key={child.unit.code}>
                <th scope="row">
                  <button
                    type="button"
                    className="link"
                    onClick={() =>
                      onOpen(child.unit.code, child.unit.validTo ? dayBefore(child.unit.validTo) : undefined)
                    }
                  >
                    {child.unit.fullName}
                  </button>
                  {!child.unit.current && <span className="badge"> đã sáp nhập / chia tách</span>}
                </th>
                {COLUMNS.map((c) => {
                  const f = child.indicators[c.code];
                  return (
                    <td key={c.code} className="num">
                      {formatNumber(f?.actual ?? 0)}
                      {c.withTarget && f?.target ? (
                        <span className="muted"> / {formatNumber(f.target)}</span>
                      ) : null}
                    </td>
                  );
                })}
                <td className="num">
                  {formatPercent(
                    child.indicators.learners_reached?.percentOfTarget,
                    child.indicators.learners_reached?.target,
                  )}
                </td>
                {flagged && <FlaggedCell figure={flagged.get(child.unit.code)} />}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
