import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, data, type Schemas } from '../api';
import { CampaignPage, QueryProblem, unitQuery, type Campaign } from '../campaign';
import { Empty, formatFigure, formatNumber, formatPercent, Loading } from '../ui';

type PlanLine = Schemas['PlanLineDto'];
type Status = PlanLine['status'];

/** Each status in words, and whether it is good news (never shown by colour alone: the words say it). */
const STATUS: Record<Status, { label: string; tone: '' | 'ok' | 'bad' }> = {
  achieved: { label: 'Đã đạt', tone: 'ok' },
  on_track: { label: 'Kịp tiến độ', tone: 'ok' },
  behind: { label: 'Chậm tiến độ', tone: 'bad' },
  in_progress: { label: 'Đang thực hiện', tone: '' },
  upcoming: { label: 'Chưa đến kỳ', tone: '' },
  missed: { label: 'Hết kỳ, chưa đạt', tone: 'bad' },
  no_target: { label: 'Chưa quy ra số (thiếu số liệu dân số)', tone: '' },
};

function usePlan(c: Campaign) {
  return useQuery({
    queryKey: ['plan', c.programId, c.unit, c.unitAsOf ?? null, c.view],
    queryFn: () =>
      data(
        api.GET('/api/v1/programs/{id}/plan', {
          params: { path: { id: c.programId }, query: { ...unitQuery(c), view: c.view } },
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

/** "2.500", "1 % của Tổng dân số", "80 % của Người hoàn thành khóa học". */
function assigned(line: PlanLine): string {
  if (line.kind === 'absolute') return formatFigure(line.value);
  const of = line.targetBasis?.ofName.toLowerCase() ?? '';
  return `${formatFigure(line.value)} % ${of}`.trim();
}

function Plan({ campaign }: { campaign: Campaign }) {
  const plan = usePlan(campaign);
  if (plan.isError) return <QueryProblem error={plan.error} onRetry={() => void plan.refetch()} />;
  if (plan.isPending) return <Loading />;
  const { lines, unit, paceWindowDays } = plan.data;
  return (
    <section aria-labelledby="plan-title" data-ready="true">
      <h2 id="plan-title">Kế hoạch của {unit.fullName}</h2>
      <p className="lead">
        Mỗi chỉ tiêu đã giao cho đơn vị, với số thực hiện trong đúng kỳ của nó (theo năm, lũy kế, giai đoạn…).
        Tốc độ hiện nay là bình quân mỗi tuần trong {formatNumber(paceWindowDays)} ngày gần nhất.
      </p>
      {lines.length === 0 ? (
        <Empty>Đơn vị chưa có chỉ tiêu nào. Giao chỉ tiêu ở trang Chỉ tiêu.</Empty>
      ) : (
        <div className="table-scroll" tabIndex={0} role="region" aria-label="Kế hoạch và thực hiện">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Chỉ tiêu</th>
                <th scope="col">Kỳ</th>
                <th scope="col" className="num">
                  Thực hiện
                </th>
                <th scope="col" className="num">
                  % kế hoạch
                </th>
                <th scope="col">Tình trạng</th>
                <th scope="col" className="num">
                  Giao
                </th>
                <th scope="col" className="num">
                  Quy ra số
                </th>
                <th scope="col" className="num">
                  Cần mỗi tuần
                </th>
                <th scope="col" className="num">
                  Mỗi tuần hiện nay
                </th>
              </tr>
            </thead>
            <tbody>
              {lines.map((line) => {
                const status = STATUS[line.status];
                return (
                  <tr key={line.targetId}>
                    <th scope="row">
                      {line.indicatorName}
                      {line.segmentName && <span className="muted"> — {line.segmentName}</span>}
                    </th>
                    <td>{line.period.label}</td>
                    <td className="num">{formatNumber(line.actual)}</td>
                    <td className="num">{formatPercent(line.percentOfTarget, line.target)}</td>
                    <td>
                      <span className={`badge ${status.tone}`}>{status.label}</span>
                      {line.pace && line.pace.remaining > 0 && (
                        <span className="muted"> còn {formatFigure(line.pace.remaining)}</span>
                      )}
                    </td>
                    <td className="num">{assigned(line)}</td>
                    <td className="num">{line.target === null ? '—' : formatFigure(line.target)}</td>
                    <td className="num">{line.pace ? formatFigure(line.pace.neededPerWeek) : '—'}</td>
                    <td className="num">{line.pace ? formatFigure(line.pace.recentPerWeek) : '—'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export default function PlanPage() {
  return (
    <CampaignPage title="Kế hoạch" showPeriod={false}>
      {(campaign) => <Plan campaign={campaign} />}
    </CampaignPage>
  );
}
