import { useState } from 'react';
import { CampaignPage, QueryProblem, useCampaign, type Campaign } from '../campaign';
import { Empty, formatFigure, formatNumber, formatPercent, Loading, Pager, SelectField, Tabs } from '../ui';
import { CascadeTree } from './CascadeTree';
import { TIER_NAMES } from './messages';
import { useLeaderboard, type LeaderboardSort } from './queries';

const SORTS: [LeaderboardSort, string][] = [
  ['reach', 'Số người đã tiếp cận'],
  ['quota', '% chỉ tiêu'],
  ['pace', 'Tốc độ 4 tuần gần nhất'],
];

function Leaderboard({ campaign }: { campaign: Campaign }) {
  const { params, change } = useCampaign();
  const sort = SORTS.find(([s]) => s === params.get('sort'))?.[0] ?? 'reach';
  const offset = Math.max(0, Number(params.get('offset') ?? 0) || 0);
  const behindOnly = params.get('behind') === '1';
  const board = useLeaderboard(campaign.programId, campaign.unit, sort, offset, behindOnly);
  const behind = useLeaderboard(campaign.programId, campaign.unit, sort, 0, true);
  if (board.isError) return <QueryProblem error={board.error} onRetry={() => void board.refetch()} />;
  if (board.isPending) return <Loading />;
  const rows = board.data.items;
  return (
    <section aria-labelledby="board-title">
      <h2 id="board-title">Bảng xếp hạng giảng viên</h2>
      <div className="table-tools">
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
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager
        total={board.data.total}
        limit={board.data.limit}
        offset={board.data.offset}
        onChange={(next) => change({}, { offset: String(next) })}
      />
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
