import type { Schemas } from '../api';
import { formatDay, formatNumber } from '../ui';
import { GENDER_NAMES } from './messages';

export type DrilldownPerson = Schemas['DrilldownPersonDto'];

/**
 * Distinct people behind a figure, one row each. The server has already masked CCCD, phone and birth date
 * for roles that may not see them; the table shows what it was given.
 */
export function PeopleTable({
  people,
  caption,
  offset,
}: {
  people: DrilldownPerson[];
  caption: string;
  offset: number;
}) {
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label={caption}>
      <table className="data">
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            <th scope="col" className="num">
              STT
            </th>
            <th scope="col">Họ và tên</th>
            <th scope="col">Năm sinh</th>
            <th scope="col">Giới tính</th>
            <th scope="col">Đối tượng</th>
            <th scope="col">Xã, phường cư trú</th>
            <th scope="col">CCCD</th>
            <th scope="col">Điện thoại</th>
            <th scope="col">Học lần đầu</th>
            <th scope="col">Hoàn thành</th>
            <th scope="col">Ứng dụng AI</th>
          </tr>
        </thead>
        <tbody>
          {people.map((p, i) => (
            <tr key={p.id}>
              <td className="num">{formatNumber(offset + i + 1)}</td>
              <th scope="row">{p.fullName}</th>
              <td>{p.birthDate ? formatDay(p.birthDate) : p.birthYear}</td>
              <td>{GENDER_NAMES[p.gender] ?? p.gender}</td>
              <td>{p.segmentName}</td>
              <td>{p.commune.fullName}</td>
              <td className="mono">{p.cccd ?? '—'}</td>
              <td className="mono">{p.phone ?? '—'}</td>
              <td>{formatDay(p.firstAttendedOn)}</td>
              <td>{p.completedOn ? formatDay(p.completedOn) : 'Chưa'}</td>
              <td>{p.proficient ? 'Có' : 'Chưa'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
