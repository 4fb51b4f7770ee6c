import { CampaignPage, QueryProblem, useCampaign, type Campaign } from '../campaign';
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

function Dashboard({ campaign }: { campaign: Campaign }) {
  const kpi = useKpi(campaign);
  const { change } = useCampaign();
  if (kpi.isPending) return <Loading label="Đang tính số liệu…" />;
  if (kpi.isError) return <QueryProblem error={kpi.error} onRetry={() => void kpi.refetch()} />;
  const k = kpi.data;
  return (
    <div data-ready={kpi.isFetching ? undefined : 'true'} aria-busy={kpi.isFetching}>
      <p className="lead">
        {k.unit.fullName} · {k.period.label} · {VIEW_NAMES[k.view]} · số liệu tính đến ngày{' '}
        {formatDay(k.asOf)}
      </p>
      <IndicatorCards indicators={k.indicators} campaign={campaign} />
      <Charts kpi={k} />
      <section aria-labelledby="children-title">
        <h2 id="children-title">Các đơn vị trực thuộc</h2>
        {k.byChild.length ? (
          <ChildUnitsTable
            children={k.byChild}
            caption={`Số liệu các đơn vị trực thuộc ${k.unit.fullName}, ${k.period.label}`}
            onOpen={(unit, asOf) => change({ unit }, { unitAsOf: asOf ?? null })}
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
