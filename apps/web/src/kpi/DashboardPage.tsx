import { asApiError } from '../api';
import { CampaignPage, QueryProblem, useCampaign, type Campaign } from '../campaign';
import { SplitTable, useUnitSplit, type UnitSplit } from '../flags';
import { Empty, formatDay, Loading } from '../ui';
import { BarChart } from './charts/BarChart';
import { TrendChart } from './charts/TrendChart';
import { ChildUnitsTable } from './ChildUnitsTable';
import { IndicatorCards } from './IndicatorCards';
import { VIEW_NAMES } from './messages';
import { useKpi, type Kpi } from './queries';

function Charts({ kpi }: { kpi: Kpi }) {
  const learners = kpi.indicators.find((i) => i.code === 'learners_reached');
  const completions = kpi.indicators.find((i) => i.code === 'completions');
  const proficient = kpi.indicators.find((i) => i.code === 'proficient_learners');
  return (
    <section className="charts" aria-labelledby="charts-title">
      <h2 id="charts-title">Biểu đồ</h2>
      <div className="chart-grid-2">
        {learners && (
          <TrendChart
            title={`Người học được tiếp cận, lũy kế theo tháng — ${kpi.period.label}`}
            points={learners.trend}
            target={learners.target}
            unit="người"
          />
        )}
        <BarChart
          title="Kết quả đầu ra"
          unit="người"
          series={[{ key: 'value', label: 'Số người' }]}
          rows={[
            { label: 'Được tiếp cận', values: { value: learners?.actual ?? 0 } },
            { label: 'Hoàn thành khóa học', values: { value: completions?.actual ?? 0 } },
            { label: 'Ứng dụng được công cụ AI', values: { value: proficient?.actual ?? 0 } },
          ]}
        />
        <BarChart
          title="Theo cấp độ của chương trình"
          unit="số lượng"
          series={[
            { key: 'classes', label: 'Lớp học' },
            { key: 'certificates', label: 'Người được cấp giấy chứng nhận' },
          ]}
          rows={kpi.byLevel.map((l) => ({
            label: `Cấp độ ${l.level}: ${l.title}`,
            values: { classes: l.classes, certificates: l.certificates },
          }))}
        />
        <BarChart
          title="Theo đối tượng người học"
          unit="người"
          series={[
            { key: 'reached', label: 'Được tiếp cận' },
            { key: 'completed', label: 'Hoàn thành' },
            { key: 'proficient', label: 'Ứng dụng AI' },
          ]}
          rows={[...kpi.bySegment]
            .sort((a, b) => b.reached - a.reached)
            .map((s) => ({
              label: s.name,
              values: { reached: s.reached, completed: s.completed, proficient: s.proficient },
            }))}
        />
      </div>
    </section>
  );
}

/**
 * The unit's figures as all records, verified only, flagged and excluded (the data-honesty split, as people),
 * from the same KPI facts as the figures above.
 */
function Verified({ split }: { split: ReturnType<typeof useUnitSplit> }) {
  if (split.isPending) return <Loading label="Đang tính số liệu đã xác minh…" />;
  if (split.error) return asApiError(split.error).isForbidden ? null : <QueryProblem error={split.error} />;
  const s = split.data;
  return (
    <section aria-labelledby="verified-title">
      <h2 id="verified-title">Số liệu đã xác minh — {s.period}</h2>
      <p className="muted">
        Mỗi người chỉ tính một lần. “Đã xác minh”: không có cảnh báo dữ liệu nào đang mở hay bị loại; “Bị cảnh
        báo”: có cảnh báo chờ xem xét; “Đã loại”: người xem xét đã loại khỏi số liệu đã xác minh. Tỷ lệ bị
        cảnh báo của từng đơn vị trực thuộc ở bảng dưới; xem và xử lý các cảnh báo ở trang Cảnh báo dữ liệu.
      </p>
      <SplitTable label="Số liệu đã xác minh" units={[s]} withUnit={false} />
    </section>
  );
}

/** Each child unit's learners-reached split, by unit code. */
function childSplits(split: UnitSplit[] | undefined) {
  return new Map(
    (split ?? []).flatMap((u) => {
      const f = u.figures.find((x) => x.code === 'learners_reached');
      return f ? [[u.unitCode, f] as const] : [];
    }),
  );
}

function Dashboard({ campaign }: { campaign: Campaign }) {
  const kpi = useKpi(campaign);
  // The split is of current units: an ended one (a merged commune) has none.
  const split = useUnitSplit(campaign, !campaign.unitAsOf);
  const { change } = useCampaign();
  if (kpi.isPending) return <Loading label="Đang tính số liệu…" />;
  if (kpi.isError) return <QueryProblem error={kpi.error} onRetry={() => void kpi.refetch()} />;
  const k = kpi.data;
  const fetching = kpi.isFetching || split.isFetching;
  return (
    <div data-ready={fetching ? undefined : 'true'} aria-busy={fetching}>
      <p className="lead">
        {k.unit.fullName} · {k.period.label} · {VIEW_NAMES[k.view]} · số liệu tính đến ngày{' '}
        {formatDay(k.asOf)}
      </p>
      <IndicatorCards indicators={k.indicators} campaign={campaign} />
      {!campaign.unitAsOf && <Verified split={split} />}
      <Charts kpi={k} />
      <section aria-labelledby="children-title">
        <h2 id="children-title">Các đơn vị trực thuộc</h2>
        {k.byChild.length ? (
          <ChildUnitsTable
            children={k.byChild}
            caption={`Số liệu các đơn vị trực thuộc ${k.unit.fullName}, ${k.period.label}`}
            onOpen={(unit, asOf) => change({ unit }, { unitAsOf: asOf ?? null })}
            flagged={split.data ? childSplits(split.data.children) : undefined}
          />
        ) : (
          <Empty>{k.unit.fullName} không có đơn vị trực thuộc.</Empty>
        )}
      </section>
      <section className="notes" aria-labelledby="notes-title">
        <h2 id="notes-title">Ghi chú</h2>
        <ul>
          {k.notes.map((note) => (
            <li key={note}>{note}</li>
          ))}
        </ul>
      </section>
    </div>
  );
}

export default function DashboardPage() {
  return (
    <CampaignPage title="Tổng quan chiến dịch">
      {(campaign) => <Dashboard campaign={campaign} />}
    </CampaignPage>
  );
}
