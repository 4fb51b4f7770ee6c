import { useState } from 'react';
import type { Schemas } from '../api';
import { formatDay, formatNumber, SelectField } from '../ui';

type Preview = Schemas['ReorgPreviewDto'];
type State = Schemas['PreviewStateDto'];
type Kpi = Schemas['PreviewKpiDto'];

const STOCKS: [keyof Pick<State, 'people' | 'classes' | 'trainers'>, string][] = [
  ['people', 'Người cư trú trong danh sách'],
  ['classes', 'Lớp học'],
  ['trainers', 'Giảng viên đang hoạt động'],
];

const FIGURES: [keyof Omit<Kpi, 'programId' | 'programName' | 'view'>, string][] = [
  ['learnersReached', 'Người học được tiếp cận'],
  ['completions', 'Hoàn thành khóa học'],
  ['proficientLearners', 'Ứng dụng được công cụ AI'],
  ['classesHeld', 'Lớp đã kết thúc'],
  ['certificatesIssued', 'Giấy chứng nhận'],
];

const VIEWS: [Kpi['view'], string][] = [
  ['current', 'Theo địa giới hiện nay'],
  ['recorded', 'Theo địa bàn lúc ghi nhận'],
];

function Change({ before, after }: { before: number | null; after: number }) {
  const delta = after - (before ?? 0);
  if (!delta) return <td className="num">{formatNumber(after)}</td>;
  return (
    <td className="num changed">
      {formatNumber(after)}{' '}
      <span className="delta">
        ({delta > 0 ? '+' : '−'}
        {formatNumber(Math.abs(delta))})
      </span>
    </td>
  );
}

/**
 * The figures a reorganisation would move, unit by unit: before and after, read from the change applied in a
 * transaction the server rolled back (so "after" is what confirming gives).
 */
export function ReorgPreview({ preview }: { preview: Preview }) {
  const programs = [
    ...new Map(preview.units.flatMap((u) => u.after.kpi).map((k) => [k.programId, k.programName] as const)),
  ];
  const [programId, setProgramId] = useState(programs[0]?.[0] ?? '');
  const kpiOf = (state: State | null, view: Kpi['view']) =>
    state?.kpi.find((k) => k.programId === programId && k.view === view);
  return (
    <section className="reorg-preview" aria-label="Xem trước số liệu" data-ready="true">
      <h3>Số liệu trước và sau khi áp dụng (ngày hiệu lực {formatDay(preview.effectiveDate)})</h3>
      {preview.notes.map((n) => (
        <p key={n} className="muted">
          {n}
        </p>
      ))}
      {programs.length > 1 && (
        <SelectField
          label="Số liệu KPI của chương trình"
          value={programId}
          onChange={(e) => setProgramId(e.target.value)}
        >
          {programs.map(([id, name]) => (
            <option key={id} value={id}>
              {name}
            </option>
          ))}
        </SelectField>
      )}
      <div className="preview-units">
        {preview.units.map((u) => (
          <div
            key={u.code}
            className="table-scroll"
            tabIndex={0}
            role="region"
            aria-label={`Số liệu ${u.fullName}`}
          >
            <table className="data preview-table" data-unit={u.code}>
              <caption>
                {u.fullName} <span className="mono">({u.code})</span>{' '}
                {!u.before ? (
                  <span className="badge ok">Đơn vị mới</span>
                ) : !u.after.current && u.before.current ? (
                  <span className="badge bad">Hết hiệu lực</span>
                ) : u.before.parentCode !== u.after.parentCode ? (
                  <span className="badge">Đổi đơn vị cấp trên</span>
                ) : !u.named ? (
                  <span className="badge">Cấp trên</span>
                ) : null}
              </caption>
              <thead>
                <tr>
                  <th scope="col">Chỉ số</th>
                  <th scope="col" className="num">
                    Trước
                  </th>
                  <th scope="col" className="num">
                    Sau
                  </th>
                </tr>
              </thead>
              <tbody data-view="stocks">
                {STOCKS.map(([key, label]) => (
                  <tr key={key} data-figure={key}>
                    <th scope="row">{label}</th>
                    <td className="num">{u.before ? formatNumber(u.before[key]) : '—'}</td>
                    <Change before={u.before?.[key] ?? null} after={u.after[key]} />
                  </tr>
                ))}
              </tbody>
              {programId &&
                VIEWS.map(([view, title]) => (
                  <tbody key={view} data-view={view}>
                    <tr>
                      <th scope="colgroup" colSpan={3} className="group">
                        {title}
                      </th>
                    </tr>
                    {FIGURES.map(([key, label]) => {
                      const before = kpiOf(u.before, view);
                      const after = kpiOf(u.after, view);
                      return (
                        <tr key={key} data-figure={key}>
                          <th scope="row">{label}</th>
                          <td className="num">{before ? formatNumber(before[key]) : '—'}</td>
                          <Change before={before?.[key] ?? null} after={after?.[key] ?? 0} />
                        </tr>
                      );
                    })}
                  </tbody>
                ))}
            </table>
          </div>
        ))}
      </div>
    </section>
  );
}
