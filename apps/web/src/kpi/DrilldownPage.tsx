import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { api, data, type Schemas } from '../api';
import {
  CampaignPage,
  campaignSearch,
  QueryProblem,
  useCampaign,
  type Campaign,
  unitQuery,
} from '../campaign';
import { PeopleTable, type DrilldownPerson } from '../people';
import {
  Empty,
  formatDateTime,
  formatDay,
  formatFigure,
  formatNumber,
  formatPeriod,
  Loading,
  Pager,
} from '../ui';
import { useKpi } from './queries';

const PAGE_SIZE = 50;

type Row<K extends keyof Schemas> = Schemas[K];

function Table({ caption, head, rows }: { caption: string; head: string[]; rows: ReactNode[][] }) {
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label={caption}>
      <table className="data">
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            {head.map((h) => (
              <th key={h} scope="col">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((cells, i) => (
            <tr key={i}>
              {cells.map((cell, j) =>
                j === 0 ? (
                  <th key={j} scope="row">
                    {cell}
                  </th>
                ) : (
                  <td key={j}>{cell}</td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const TIERS: Record<string, string> = {
  provincial_core: 'Nòng cốt cấp tỉnh',
  commune_core: 'Nòng cốt cấp xã',
  organisation: 'Của cơ quan, tổ chức',
};

/** The rows of a drill-down page, laid out by the kind of record they are. */
function Records({ page, caption }: { page: Schemas['DrilldownPageDto']; caption: string }) {
  const items = page.items;
  switch (page.kind) {
    case 'people':
      return <PeopleTable people={items as DrilldownPerson[]} caption={caption} offset={page.offset} />;
    case 'classes':
      return (
        <Table
          caption={caption}
          head={['Lớp học', 'Cấp độ', 'Loại lớp', 'Ngày kết thúc', 'Đơn vị', 'Giảng viên', 'Học viên']}
          rows={(items as Row<'DrilldownClassDto'>[]).map((c) => [
            c.title,
            c.level,
            c.kind === 'training_of_trainers' ? 'Đào tạo giảng viên' : 'Lớp người dân',
            formatDay(c.heldOn),
            c.unitName,
            c.leadTrainerName,
            formatNumber(c.enrolledCount),
          ])}
        />
      );
    case 'certificates':
      return (
        <Table
          caption={caption}
          head={['Số hiệu', 'Người được cấp', 'Cấp độ', 'Ngày cấp']}
          rows={(items as Row<'DrilldownCertificateDto'>[]).map((c) => [
            c.serial,
            c.fullName,
            `${c.level}${c.levelTitle ? ` — ${c.levelTitle}` : ''}`,
            formatDay(c.issuedOn),
          ])}
        />
      );
    case 'trainers':
      return (
        <Table
          caption={caption}
          head={[
            'Giảng viên',
            'Loại',
            'Đơn vị',
            'Đã tiếp cận',
            'Chỉ tiêu',
            '4 tuần gần nhất',
            'Ngày công nhận',
          ]}
          rows={(items as Row<'DrilldownTrainerDto'>[]).map((t) => [
            t.fullName,
            TIERS[t.tier] ?? t.tier,
            t.homeUnitName,
            formatNumber(t.directReach),
            formatNumber(t.quota),
            formatNumber(t.lastFourWeeks),
            formatDay(t.registeredOn),
          ])}
        />
      );
    case 'materials':
      return (
        <Table
          caption={caption}
          head={['Học liệu', 'Cấp độ', 'Loại', 'Ngày công bố']}
          rows={(items as Row<'DrilldownMaterialDto'>[]).map((m) => [
            <a key={m.id} href={m.url} rel="noopener noreferrer" target="_blank">
              {m.title}
            </a>,
            m.level,
            m.kind,
            formatDay(m.publishedOn),
          ])}
        />
      );
    case 'reports':
      return (
        <Table
          caption={caption}
          head={['Đơn vị báo cáo', 'Kỳ', 'Số liệu', 'Ngày duyệt']}
          rows={(items as Row<'DrilldownReportDto'>[]).map((r) => [
            r.organisationName ? `${r.organisationName} (${r.unitName})` : r.unitName,
            formatPeriod(r.period),
            formatNumber(r.value),
            formatDateTime(r.approvedAt),
          ])}
        />
      );
    case 'contest_entries':
      return (
        <Table
          caption={caption}
          head={['Hội thi', 'Người, lớp hoặc cơ quan dự thi', 'Đơn vị', 'Ngày kết thúc', 'Điểm', 'Hạng']}
          rows={(items as Row<'DrilldownContestEntryDto'>[]).map((e) => [
            e.contestName,
            e.winner ? `${e.name} (đạt giải)` : e.name,
            e.unitName,
            formatDay(e.endsOn),
            e.total === null ? '—' : formatFigure(e.total),
            e.rank ?? '—',
          ])}
        />
      );
  }
}

function Drilldown({ campaign }: { campaign: Campaign }) {
  const { params, change } = useCampaign();
  const indicator = params.get('indicator') ?? 'learners_reached';
  const offset = Math.max(0, Number(params.get('offset') ?? 0) || 0);
  const kpi = useKpi(campaign);
  const page = useQuery({
    queryKey: ['drilldown', campaign, indicator, offset],
    queryFn: () =>
      data(
        api.GET('/api/v1/programs/{id}/kpi/drilldown', {
          params: {
            path: { id: campaign.programId },
            query: {
              ...unitQuery(campaign),
              period: campaign.period,
              view: campaign.view,
              indicator,
              offset,
              limit: PAGE_SIZE,
            },
          },
        }),
      ),
    placeholderData: keepPreviousData,
  });
  const figure = kpi.data?.indicators.find((i) => i.code === indicator);
  if (page.isError) return <QueryProblem error={page.error} onRetry={() => void page.refetch()} />;
  if (page.isPending || !kpi.data) return <Loading />;
  const caption = `${figure?.name ?? indicator} — ${kpi.data.unit.fullName}, ${kpi.data.period.label}`;
  return (
    <div data-ready={page.isFetching ? undefined : 'true'}>
      <p>
        <Link to={{ pathname: '/tong-quan', search: campaignSearch(campaign) }}>‹ Về tổng quan</Link>
      </p>
      <h2>{caption}</h2>
      <p className="lead">
        {formatNumber(page.data.total)} {figure?.unitOfMeasure ?? 'bản ghi'} — đúng bằng số liệu trên tổng
        quan
        {figure && figure.actual !== page.data.total ? ` (${formatNumber(figure.actual)})` : ''}. Mỗi người
        chỉ được đếm một lần.
      </p>
      {page.data.total === 0 ? (
        <Empty>Không có bản ghi nào đứng sau số liệu này trong kỳ.</Empty>
      ) : (
        <>
          <Records page={page.data} caption={caption} />
          <Pager page={page.data} onChange={(next) => change({}, { offset: String(next) })} />
        </>
      )}
    </div>
  );
}

export default function DrilldownPage() {
  return (
    <CampaignPage title="Danh sách đứng sau số liệu">
      {(campaign) => <Drilldown campaign={campaign} />}
    </CampaignPage>
  );
}
