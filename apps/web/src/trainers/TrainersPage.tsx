import { useState } from 'react';
import { CampaignPage, QueryProblem, useCampaign, type Campaign } from '../campaign';
import { formatShare, TrainerSplitTable, useTrainerSplit, type TrainerSplit } from '../flags';
import { Empty, formatFigure, formatNumber, formatPercent, Loading, Pager, SelectField, Tabs } from '../ui';
import { CascadeTree } from './CascadeTree';
import { TIER_NAMES } from './messages';
import { useLeaderboard, type LeaderboardSort } from './queries';

const SORTS: [LeaderboardSort | 'verified', string][] = [
  ['reach', 'Số người đã tiếp cận'],
  ['verified', 'Số người đã xác minh (không bị cảnh báo)'],
  ['quota', '% chỉ tiêu'],
  ['pace', 'Tốc độ 4 tuần gần nhất'],
];

const PAGE = 50;

function SortField({ sort }: { sort: string }) {
  const { change } = useCampaign();
  return (
    <SelectField
      label="Xếp theo"
      value={sort}
      onChange={(e) => change({}, { sort: e.target.value, offset: null })}
    >
      {SORTS.map(([value, label]) => (
        <option key={value} value={value}>
          {label}
        </option>
      ))}
    </SelectField>
  );
}

/** Trainers ranked on verified reach (people with no open or excluded flag), from the data-honesty split. */
function VerifiedBoard({ campaign, offset }: { campaign: Campaign; offset: number }) {
  const { change } = useCampaign();
  const board = useTrainerSplit(campaign, { rank: 'verified', limit: PAGE, offset });
  if (board.isError) return <QueryProblem error={board.error} onRetry={() => void board.refetch()} />;
  if (board.isPending) return <Loading />;
  const rows = board.data;
  const total = rows[0]?.total ?? 0;
  return (
    <section aria-labelledby="board-title" data-board={board.isFetching ? undefined : 'verified'}>
      <h2 id="board-title">Bảng xếp hạng giảng viên</h2>
      <div className="table-tools">
        <SortField sort="verified" />
      </div>
      <p className="lead">
        Tổng cộng {formatNumber(total)} giảng viên, xếp theo số người đã xác minh: người học không có cảnh báo
        dữ liệu nào đang mở hay bị loại (lũy kế từ đầu chương trình).
      </p>
      {rows.length === 0 ? (
        <Empty>Chưa có giảng viên nào trong đơn vị này.</Empty>
      ) : (
        <TrainerSplitTable rows={rows} label="Giảng viên xếp theo số người đã xác minh" />
      )}
      <Pager
        page={{ total, limit: PAGE, offset }}
        onChange={(next) => change({}, { offset: String(next) })}
      />
    </section>
  );
}

/** A trainer's verified reach and share of flagged records, when the split has them (steering and viewers). */
function FlaggedCells({ split }: { split: TrainerSplit | undefined | null }) {
  if (split === null) return null;
  return (
    <>
      <td className="num">{split ? formatNumber(split.reachVerified) : '—'}</td>
      <td className="num">{split ? formatShare(split.flaggedShare) : '—'}</td>
    </>
  );
}

function Leaderboard({ campaign }: { campaign: Campaign }) {
  const { params, change } = useCampaign();
  const chosen = SORTS.find(([s]) => s === params.get('sort'))?.[0] ?? 'reach';
  const sort = chosen === 'verified' ? 'reach' : chosen;
  const offset = Math.max(0, Number(params.get('offset') ?? 0) || 0);
  const behindOnly = params.get('behind') === '1';
  const board = useLeaderboard(
    campaign.programId,
    campaign.unit,
    sort,
    offset,
    behindOnly,
    chosen !== 'verified',
  );
  const behind = useLeaderboard(campaign.programId, campaign.unit, sort, 0, true, chosen !== 'verified');
  const ids = board.data?.items.map((r) => r.trainer.id) ?? [];
  const split = useTrainerSplit(
    campaign,
    { rank: 'verified', limit: 100, trainerIds: ids },
    chosen !== 'verified' && ids.length > 0,
  );
  if (chosen === 'verified') return <VerifiedBoard campaign={campaign} offset={offset} />;
  if (board.isError) return <QueryProblem error={board.error} onRetry={() => void board.refetch()} />;
  if (board.isPending) return <Loading />;
  const rows = board.data.items;
  // Without the right to read flags (or while they load) the leaderboard goes without the split's columns.
  const splits = split.data ? new Map(split.data.map((t) => [t.trainerId, t])) : undefined;
  const splitOf = (id: string) => (splits ? splits.get(id) : null);
  return (
    <section
      aria-labelledby="board-title"
      data-board={board.isFetching || split.isFetching ? undefined : sort}
    >
      <h2 id="board-title">Bảng xếp hạng giảng viên</h2>
      <div className="table-tools">
        <SortField sort={sort} />
        <label className="checks">
          <input
            type="checkbox"
            checked={behindOnly}
            onChange={(e) => change({}, { behind: e.target.checked ? '1' : null, offset: null })}
          />
          Chỉ những người chậm tiến độ
        </label>
      </div>
      <p className="lead">
        {behindOnly ? 'Đang xem' : 'Tổng cộng'} {formatNumber(board.data.total)} giảng viên
        {behind.data
          ? `; ${formatNumber(behind.data.total)} người chậm so với nhịp độ cần thiết để đạt chỉ tiêu đúng hạn`
          : ''}
        .
      </p>
      {rows.length === 0 ? (
        <Empty>
          {behindOnly ? 'Không có giảng viên nào chậm tiến độ.' : 'Chưa có giảng viên nào trong đơn vị này.'}
        </Empty>
      ) : (
        <div className="table-scroll" tabIndex={0} role="region" aria-label="Bảng xếp hạng giảng viên">
          <table className="data">
            <thead>
              <tr>
                <th scope="col" className="num">
                  Hạng
                </th>
                <th scope="col">Giảng viên</th>
                <th scope="col">Đơn vị</th>
                <th scope="col" className="num">
                  Đã tiếp cận / chỉ tiêu
                </th>
                <th scope="col" className="num">
                  Đạt
                </th>
                <th scope="col" className="num">
                  Người/tuần hiện nay
                </th>
                <th scope="col" className="num">
                  Người/tuần cần đạt
                </th>
                <th scope="col">Tiến độ</th>
                {splits && (
                  <>
                    <th scope="col" className="num">
                      Đã xác minh
                    </th>
                    <th scope="col" className="num">
                      Tỷ lệ bị cảnh báo
                    </th>
                  </>
                )}
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.trainer.id}>
                  <td className="num">{formatNumber(r.rank)}</td>
                  <th scope="row">
                    {r.trainer.person.fullName}
                    <div className="muted">{TIER_NAMES[r.trainer.tier] ?? r.trainer.tier}</div>
                  </th>
                  <td>{r.trainer.homeUnit.fullName}</td>
                  <td className="num">
                    {formatNumber(r.pace.directReach)} / {formatNumber(r.pace.quota)}
                  </td>
                  <td className="num">{formatPercent(r.pace.quotaProgress * 100)}</td>
                  <td className="num">{formatFigure(r.pace.currentPacePerWeek)}</td>
                  <td className="num">{formatFigure(r.pace.neededPacePerWeek)}</td>
                  <td>
                    {r.pace.behindSchedule ? (
                      <span className="badge bad">Chậm tiến độ</span>
                    ) : (
                      <span className="badge ok">Đúng tiến độ</span>
                    )}
                  </td>
                  <FlaggedCells split={splitOf(r.trainer.id)} />
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager page={board.data} onChange={(next) => change({}, { offset: String(next) })} />
    </section>
  );
}

function Trainers({ campaign }: { campaign: Campaign }) {
  const [tab, setTab] = useState<'board' | 'tree'>('board');
  return (
    <div data-ready="true">
      <Tabs
        label="Xem giảng viên"
        tabs={[
          ['board', 'Xếp hạng và tiến độ'],
          ['tree', 'Cây lan tỏa'],
        ]}
        selected={tab}
        onSelect={setTab}
      >
        {tab === 'board' ? (
          <Leaderboard campaign={campaign} />
        ) : (
          <section aria-labelledby="tree-title">
            <h2 id="tree-title">Cây lan tỏa</h2>
            <p className="lead">
              Mỗi giảng viên nòng cốt cấp tỉnh là gốc của một cây; mở từng người để xem những giảng viên họ đã
              đào tạo. &quot;Cả cây&quot; đếm mỗi người học một lần dù họ học với nhiều giảng viên trong cây.
            </p>
            <CascadeTree programId={campaign.programId} unit={campaign.unit} />
          </section>
        )}
      </Tabs>
    </div>
  );
}

export default function TrainersPage() {
  return (
    <CampaignPage title="Giảng viên và cây lan tỏa" showView={false} showPeriod={false}>
      {(campaign) => <Trainers campaign={campaign} />}
    </CampaignPage>
  );
}
