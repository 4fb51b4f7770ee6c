import { formatNumber } from '../ui';
import { formatShare, type TrainerSplit } from './queries';

/** Trainers ranked on their reach, with the verified part, the share of flagged records and open flags. */
export function TrainerSplitTable({ rows, label }: { rows: TrainerSplit[]; label: string }) {
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label={label}>
      <table className="data">
        <caption className="sr-only">{label}</caption>
        <thead>
          <tr>
            <th scope="col" className="num">
              Hạng
            </th>
            <th scope="col">Giảng viên</th>
            <th scope="col" className="num">
              Mọi bản ghi
            </th>
            <th scope="col" className="num">
              Đã xác minh
            </th>
            <th scope="col" className="num">
              Tỷ lệ bị cảnh báo
            </th>
            <th scope="col" className="num">
              Cảnh báo đang mở
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.trainerId}>
              <td className="num">{formatNumber(r.rank)}</td>
              <th scope="row">
                {r.fullName}
                <br />
                <small>{r.unitName}</small>
              </th>
              <td className="num">{formatNumber(r.reachAll)}</td>
              <td className="num">{formatNumber(r.reachVerified)}</td>
              <td className="num">{formatShare(r.flaggedShare)}</td>
              <td className="num">{formatNumber(r.openFlags)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
