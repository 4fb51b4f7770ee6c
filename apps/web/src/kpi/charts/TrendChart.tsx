import { useId } from 'react';
import { formatMonth, formatNumber } from '../../ui';

export interface TrendPoint {
  month: string;
  cumulative: number;
}

function niceMax(value: number): number {
  if (value <= 0) return 10;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 2.5, 5, 10].find((s) => s * magnitude >= value / 4)! * magnitude;
  return Math.ceil(value / step) * step;
}

/**
 * Cumulative figure by month against the target: a line with a dashed target line, drawn as SVG that
 * scales with its box. The table under it says the same in words for screen readers and for reading.
 */
export function TrendChart({
  title,
  points,
  target,
  unit,
}: {
  title: string;
  points: TrendPoint[];
  target: number | null;
  unit: string;
}) {
  const id = useId();
  const width = 640;
  const height = 260;
  const pad = { left: 56, right: 16, top: 16, bottom: 32 };
  const max = niceMax(Math.max(target ?? 0, ...points.map((p) => p.cumulative)));
  const x = (i: number) =>
    pad.left + (points.length <= 1 ? 0 : (i * (width - pad.left - pad.right)) / (points.length - 1));
  const y = (v: number) => pad.top + (1 - v / max) * (height - pad.top - pad.bottom);
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => f * max);
  const path = points
    .map((p, i) => `${i ? 'L' : 'M'}${x(i).toFixed(1)},${y(p.cumulative).toFixed(1)}`)
    .join(' ');
  const last = points.at(-1);
  const summary = `${title}: đến ${last ? formatMonth(last.month) : ''} đạt ${formatNumber(last?.cumulative ?? 0)} ${unit}${
    target !== null ? `, chỉ tiêu ${formatNumber(target)} ${unit}` : ''
  }.`;

  return (
    <figure className="chart">
      <figcaption id={`${id}-title`}>{title}</figcaption>
      <svg
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-labelledby={`${id}-title`}
        aria-describedby={`${id}-desc`}
      >
        <desc id={`${id}-desc`}>{summary}</desc>
        {ticks.map((t) => (
          <g key={t} className="chart-grid">
            <line x1={pad.left} x2={width - pad.right} y1={y(t)} y2={y(t)} />
            <text x={pad.left - 6} y={y(t) + 4} textAnchor="end">
              {formatNumber(t)}
            </text>
          </g>
        ))}
        {points.map((p, i) => (
          <text key={p.month} className="chart-axis" x={x(i)} y={height - 10} textAnchor="middle">
            {formatMonth(p.month, true)}
          </text>
        ))}
        {target !== null && (
          <g className="chart-target">
            <line x1={pad.left} x2={width - pad.right} y1={y(target)} y2={y(target)} />
            <text x={width - pad.right} y={y(target) - 6} textAnchor="end">
              Chỉ tiêu {formatNumber(target)}
            </text>
          </g>
        )}
        <path className="chart-line" d={path} />
        {points.map((p, i) => (
          <circle key={p.month} className="chart-dot" cx={x(i)} cy={y(p.cumulative)} r={3.5} />
        ))}
      </svg>
      <details className="chart-table">
        <summary>Xem bảng số liệu</summary>
        <table>
          <caption className="sr-only">{title}</caption>
          <thead>
            <tr>
              <th scope="col">Tháng</th>
              <th scope="col" className="num">
                Lũy kế ({unit})
              </th>
              {target !== null && (
                <th scope="col" className="num">
                  Chỉ tiêu
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {points.map((p) => (
              <tr key={p.month}>
                <th scope="row">{formatMonth(p.month)}</th>
                <td className="num">{formatNumber(p.cumulative)}</td>
                {target !== null && <td className="num">{formatNumber(target)}</td>}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
