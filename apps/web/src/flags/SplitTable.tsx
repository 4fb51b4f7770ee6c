import { formatNumber } from '../ui';
import { formatShare, type UnitSplit } from './queries';

/**
 * Figures of units as all / verified / flagged / excluded people. `withUnit` false: the figures of one unit,
 * each row headed by the figure (narrower, for a page that already names the unit).
 */
export function SplitTable({
  label,
  units,
  only,
  withUnit = true,
}: {
  label: string;
  units: UnitSplit[];
  only?: string;
  withUnit?: boolean;
}) {
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label={label}>
      <table className="data">
        <caption className="sr-only">{label}: mọi bản ghi, đã xác minh, bị cảnh báo và đã loại</caption>
        <thead>
          <tr>
            {withUnit && <th scope="col">Đơn vị</th>}
            <th scope="col">Chỉ tiêu</th>
            <th scope="col" className="num">
              Mọi bản ghi
            </th>
            <th scope="col" className="num">
              Đã xác minh
            </th>
            <th scope="col" className="num">
              Bị cảnh báo
            </th>
            <th scope="col" className="num">
              Đã loại
            </th>
            <th scope="col" className="num">
              Tỷ lệ bị cảnh báo
            </th>
          </tr>
        </thead>
        <tbody>
          {units.flatMap((u) =>
            u.figures
              .filter((f) => !only || f.code === only)
              .map((f) => (
                <tr key={`${u.unitCode}-${f.code}`}>
                  {withUnit ? (
                    <>
                      <th scope="row">{u.unitName}</th>
                      <td>{f.label}</td>
                    </>
                  ) : (
                    <th scope="row">{f.label}</th>
                  )}
                  <td className="num">{formatNumber(f.all)}</td>
                  <td className="num">{formatNumber(f.verified)}</td>
                  <td className="num">{formatNumber(f.flagged)}</td>
                  <td className="num">{formatNumber(f.excluded)}</td>
                  <td className="num">{formatShare(f.flaggedShare)}</td>
                </tr>
              )),
          )}
        </tbody>
      </table>
    </div>
  );
}
