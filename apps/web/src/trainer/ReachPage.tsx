import { useQuery } from '@tanstack/react-query';
import { api, data } from '../api';
import { Empty, ErrorState, formatDay, formatNumber, Loading, Page } from '../ui';
import { Leaderboard } from './Leaderboard';
import { MyFlags } from './MyFlags';
import { useMyTrainer } from './queries';

/** My reach: distinct people reached against the quota, the pace still needed, my cascade, my standing. */
export default function ReachPage() {
  const { program, trainer, isPending, error } = useMyTrainer();
  const programId = program?.id ?? '';
  const trainerId = trainer?.id ?? '';
  const reach = useQuery({
    queryKey: ['reach', programId, trainerId],
    enabled: !!trainer,
    queryFn: () =>
      data(
        api.GET('/api/v1/programs/{id}/trainers/{trainerId}/reach', {
          params: { path: { id: programId, trainerId } },
        }),
      ),
    gcTime: 24 * 60 * 60_000,
  });
  const trainees = useQuery({
    queryKey: ['trainees', programId, trainerId],
    enabled: !!trainer,
    queryFn: () =>
      data(
        api.GET('/api/v1/programs/{id}/trainers/{trainerId}/trainees', {
          params: { path: { id: programId, trainerId }, query: { limit: 500 } },
        }),
      ),
    gcTime: 24 * 60 * 60_000,
  });
  const standing = useQuery({
    queryKey: ['standing', programId, trainerId],
    enabled: !!trainer,
    queryFn: () =>
      data(
        api.GET('/api/v1/programs/{id}/trainers/{trainerId}/standing', {
          params: { path: { id: programId, trainerId } },
        }),
      ),
    gcTime: 24 * 60 * 60_000,
  });
  if (isPending) return <Loading />;
  if (error) return <ErrorState error={error} />;
  if (!trainer)
    return (
      <Page title="Tiếp cận của tôi">
        <Empty>Tài khoản của bạn chưa gắn với giảng viên nào của chương trình.</Empty>
      </Page>
    );
  const r = reach.data;
  const share = r ? Math.min(100, Math.round((r.directReach / Math.max(1, r.quota)) * 100)) : 0;
  return (
    <Page title="Tiếp cận của tôi">
      {reach.isPending && <Loading />}
      {reach.isError && <ErrorState error={reach.error} />}
      {r && (
        <div data-ready="true">
          <section className="card reach-card" aria-labelledby="reach-h">
            <h2 id="reach-h">Người đã tiếp cận</h2>
            <p className="figure" data-testid="direct-reach">
              {formatNumber(r.directReach)} <span className="muted">/ {formatNumber(r.quota)} người</span>
            </p>
            <div className="meter" role="img" aria-label={`Đạt ${share}% chỉ tiêu`}>
              <span style={{ width: `${share}%` }} />
            </div>
            <p>
              Còn {formatNumber(r.remaining)} người. Cần {formatNumber(r.neededPacePerWeek)} người mỗi tuần để
              xong trước {formatDay(r.programEndsOn)}; bốn tuần qua trung bình{' '}
              {formatNumber(r.currentPacePerWeek)} người/tuần.
            </p>
            <p className={r.behindSchedule ? 'badge bad' : 'badge ok'}>
              {r.behindSchedule ? 'Đang chậm so với tiến độ' : 'Đúng tiến độ'}
            </p>
            {r.projectedCompletionDate && (
              <p>Theo nhịp hiện tại, đạt chỉ tiêu ngày {formatDay(r.projectedCompletionDate)}.</p>
            )}
          </section>
          {standing.data && standing.data.standings.length > 0 && (
            <section aria-labelledby="standing-h">
              <h2 id="standing-h">Thứ hạng của tôi</h2>
              <ul className="standing" data-testid="standing">
                {standing.data.standings.map((s) => (
                  <li key={s.unit.code}>
                    <strong>
                      Hạng {formatNumber(s.rank)}/{formatNumber(s.of)}
                    </strong>{' '}
                    trong {s.unit.fullName}
                  </li>
                ))}
              </ul>
              <p className="muted">Xếp theo số người đã tiếp cận; bằng nhau thì cùng hạng.</p>
              {standing.data.standings.map((s) => (
                <Leaderboard key={s.unit.code} programId={programId} trainerId={trainerId} unit={s.unit} />
              ))}
            </section>
          )}
          <section aria-labelledby="cascade-h">
            <h2 id="cascade-h">Lan tỏa của tôi</h2>
            <p>
              {formatNumber(r.downstreamTrainers)} giảng viên do tôi và họ đào tạo; cả cây đã tiếp cận{' '}
              {formatNumber(r.cascadeReach)} người.
            </p>
            {trainees.data && trainees.data.items.length > 0 && (
              <div className="table-scroll" tabIndex={0} role="region" aria-label="Giảng viên tôi đã đào tạo">
                <table className="data">
                  <caption className="sr-only">Giảng viên tôi đã đào tạo</caption>
                  <thead>
                    <tr>
                      <th scope="col">Giảng viên tôi đã đào tạo</th>
                      <th scope="col">Đơn vị</th>
                      <th scope="col" className="num">
                        Đã tiếp cận
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {trainees.data.items.map((t) => (
                      <tr key={t.id}>
                        <td>{t.person.fullName}</td>
                        <td>{t.homeUnit.fullName}</td>
                        <td className="num">{formatNumber(t.directReach)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
          <MyFlags programId={programId} />
          <p className="muted">Số liệu đến ngày {formatDay(r.asOf)}.</p>
        </div>
      )}
    </Page>
  );
}
