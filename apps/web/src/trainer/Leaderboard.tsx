import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, data, type Schemas } from '../api';
import { ErrorState, formatNumber, Loading } from '../ui';

const PAGE = 20;

type Peer = Schemas['PeerDto'];

/**
 * The whole leaderboard of one unit of the trainer's standing (their commune, their province): every active
 * trainer there by people reached, the trainer's own row marked; longer boards show more on request.
 */
export function Leaderboard({
  programId,
  trainerId,
  unit,
}: {
  programId: string;
  trainerId: string;
  unit: { code: string; fullName: string };
}) {
  const [limit, setLimit] = useState(PAGE);
  const board = useQuery({
    queryKey: ['leaderboard', programId, trainerId, unit.code, limit],
    queryFn: () =>
      data(
        api.GET('/api/v1/programs/{id}/trainers/{trainerId}/leaderboard', {
          params: { path: { id: programId, trainerId }, query: { unit: unit.code, limit } },
        }),
      ),
    placeholderData: (previous) => previous,
    gcTime: 24 * 60 * 60_000,
  });
  // Below the first rows: the few rows around the trainer's own, after an ellipsis.
  const shownMe = board.data?.items.some((p) => p.me);
  const around = useQuery({
    queryKey: ['leaderboard', programId, trainerId, unit.code, 'me'],
    enabled: !!board.data && !shownMe,
    queryFn: () =>
      data(
        api.GET('/api/v1/programs/{id}/trainers/{trainerId}/leaderboard', {
          params: {
            path: { id: programId, trainerId },
            query: { unit: unit.code, limit: 5, aroundMe: true },
          },
        }),
      ),
    gcTime: 24 * 60 * 60_000,
  });
  const tail = shownMe ? [] : (around.data?.items ?? []);
  const row = (p: Peer) => (
    <tr key={p.trainerId} className={p.me ? 'me' : undefined} aria-current={p.me ? 'true' : undefined}>
      <td className="num">{formatNumber(p.rank)}</td>
      <td>{p.me ? <strong>{p.fullName} (tôi)</strong> : p.fullName}</td>
      <td>{p.homeUnit.fullName}</td>
      <td className="num">{formatNumber(p.directReach)}</td>
    </tr>
  );
  const headingId = `board-${unit.code}`;
  return (
    <section aria-labelledby={headingId} data-testid="leaderboard">
      <h3 id={headingId}>Bảng xếp hạng {unit.fullName}</h3>
      {board.isPending && <Loading />}
      {board.isError && <ErrorState error={board.error} onRetry={() => void board.refetch()} />}
      {board.data && (
        <>
          <div
            className="table-scroll"
            tabIndex={0}
            role="region"
            aria-label={`Bảng xếp hạng ${unit.fullName}`}
          >
            <table className="data">
              <caption className="sr-only">
                Giảng viên của {unit.fullName} xếp theo số người đã tiếp cận
              </caption>
              <thead>
                <tr>
                  <th scope="col" className="num">
                    Hạng
                  </th>
                  <th scope="col">Giảng viên</th>
                  <th scope="col">Đơn vị</th>
                  <th scope="col" className="num">
                    Đã tiếp cận
                  </th>
                </tr>
              </thead>
              <tbody>
                {board.data.items.map(row)}
                {tail.length > 0 && (
                  <tr>
                    <td colSpan={4} className="muted">
                      …
                    </td>
                  </tr>
                )}
                {tail.map(row)}
              </tbody>
            </table>
          </div>
          <p className="muted">
            {formatNumber(Math.min(board.data.items.length, board.data.total))}/
            {formatNumber(board.data.total)} giảng viên.
          </p>
          {board.data.items.length < board.data.total && (
            <button
              type="button"
              className="button secondary small"
              disabled={board.isFetching}
              onClick={() => setLimit((l) => l + PAGE * 5)}
            >
              Xem thêm <span className="sr-only">trong {unit.fullName}</span>
            </button>
          )}
        </>
      )}
    </section>
  );
}
