import { useId } from 'react';
import { formatNumber } from '../../ui';

export interface BarSeries {
  key: string;
  label: string;
}

export interface BarRow {
  label: string;
  values: Record<string, number>;
}

/**
 * Horizontal bars, one group per row and one bar per series, each labelled with its number (so nothing is
 * told by colour alone; the series also differ in pattern). Long Vietnamese labels wrap above the bars,
 * which keeps the chart readable on a 360 px phone. A table gives the same figures.
 */
export function BarChart({
  title,
  series,
  rows,
  unit,
}: {
  title: string;
  series: BarSeries[];
  rows: BarRow[];
  unit: string;
}) {
  const id = useId();
  const max = Math.max(1, ...rows.flatMap((r) => series.map((s) => r.values[s.key] ?? 0)));
  return (
    <figure className="chart">
      <figcaption id={`${id}-title`}>{title}</figcaption>
      {series.length > 1 && (
        <ul className="chart-legend" aria-hidden="true">
          {series.map((s, i) => (
            <li key={s.key}>
              <span className={`swatch series-${i}`} />
              {s.label}
            </li>
          ))}
        </ul>
      )}
      <div className="bars" aria-hidden="true">
        {rows.map((row) => (
          <div key={row.label} className="bar-group">
            <div className="bar-label">{row.label}</div>
            {series.map((s, i) => {
              const value = row.values[s.key] ?? 0;
              return (
                <div key={s.key} className="bar-line">
                  <span className={`bar series-${i}`} style={{ width: `${(value / max) * 100}%` }} />
                  <span className="bar-value">{formatNumber(value)}</span>
                </div>
              );
            })}
          </div>
        ))}
      </div>
      <details className="chart-table">
        <summary>Xem bảng số liệu</summary>
        <table aria-labelledby={`${id}-title`}>
          <thead>
            <tr>
              <th scope="col">Nhóm</th>
              {series.map((s) => (
                <th key={s.key} scope="col" className="num">
                  {s.label} ({unit})
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.label}>
                <th scope="row">{row.label}</th>
                {series.map((s) => (
                  <td key={s.key} className="num">
                    {formatNumber(row.values[s.key] ?? 0)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
