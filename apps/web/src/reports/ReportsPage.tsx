import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, asApiError, data, download, type ApiError, type Schemas } from '../api';
import { hasRole, useMe } from '../auth';
import { CampaignPage, QueryProblem, useCampaign, type Campaign } from '../campaign';
import {
  Dialog,
  Empty,
  formatDateTime,
  formatDay,
  formatNumber,
  formatPeriod,
  FormError,
  Loading,
  Pager,
  SelectField,
  Tabs,
  TextArea,
} from '../ui';
import { ApprovalChain } from './ApprovalChain';
import { ConsolidatedReport } from './ConsolidatedReport';
import { previousQuarter, quarters } from './periods';

type Report = Schemas['ReportDto'];
type Tab = 'submitted' | 'missing' | 'overdue' | 'all';

const STATUS: Record<string, [string, string]> = {
  draft: ['Bản nháp', 'badge'],
  submitted: ['Chờ duyệt', 'badge'],
  approved: ['Đã duyệt', 'badge ok'],
  returned: ['Bị trả lại', 'badge bad'],
  missing: ['Chưa lập', 'badge bad'],
};

const VERBS = { approve: 'Duyệt', return: 'Trả lại', reopen: 'Mở lại' } as const;

/** Whether the level the report waits at is the last of its chain (approving then locks it). */
function isLastLevel(report: Report): boolean {
  const awaiting = report.approvals.findIndex((s) => s.state === 'awaiting');
  return awaiting === -1 || awaiting === report.approvals.length - 1;
}

function ReviewForm({
  report,
  mode,
  onDone,
}: {
  report: Report;
  mode: 'approve' | 'return' | 'reopen';
  onDone: () => void;
}) {
  const queryClient = useQueryClient();
  const [comment, setComment] = useState('');
  const review = useMutation({
    mutationFn: () =>
      mode === 'approve'
        ? data(
            api.POST('/api/v1/reports/{id}/approve', {
              params: { path: { id: report.id } },
              body: comment ? { comment } : {},
            }),
          )
        : mode === 'reopen'
          ? data(
              api.POST('/api/v1/reports/{id}/reopen', {
                params: { path: { id: report.id } },
                body: { reason: comment },
              }),
            )
          : data(
              api.POST('/api/v1/reports/{id}/return', {
                params: { path: { id: report.id } },
                body: { comment },
              }),
            ),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['reports'] });
      await queryClient.invalidateQueries({ queryKey: ['kpi'] });
      onDone();
    },
  });
  const error = review.error ? asApiError(review.error) : null;
  function submit(event: FormEvent) {
    event.preventDefault();
    review.mutate();
  }
  return (
    <form onSubmit={submit} noValidate>
      <p>
        {VERBS[mode]} báo cáo {formatPeriod(report.period)} của{' '}
        <strong>{report.organisation?.name ?? report.unit.fullName}</strong>.
        {mode === 'approve' &&
          (isLastLevel(report)
            ? ' Đây là cấp duyệt cuối cùng: báo cáo sẽ bị khóa và số liệu được cộng vào chỉ tiêu "theo báo cáo".'
            : ' Báo cáo sẽ được chuyển lên cấp duyệt tiếp theo.')}
        {mode === 'reopen' && ' Báo cáo sẽ được trả về đơn vị để sửa; việc mở lại được ghi vào nhật ký.'}
      </p>
      <TextArea
        label={
          mode === 'approve'
            ? 'Nhận xét (không bắt buộc)'
            : mode === 'reopen'
              ? 'Lý do mở lại'
              : 'Lý do trả lại'
        }
        required={mode !== 'approve'}
        hint={mode === 'return' ? 'Đơn vị sẽ thấy nhận xét này để sửa và nộp lại.' : undefined}
        value={comment}
        onChange={(e) => setComment(e.target.value)}
        error={error?.field(mode === 'reopen' ? 'reason' : 'comment')}
      />
      <FormError
        message={error && !error.field(mode === 'reopen' ? 'reason' : 'comment') ? error.message : null}
      />
      <div className="form-actions">
        <button
          type="submit"
          className={mode === 'approve' ? 'button primary' : 'button danger'}
          disabled={review.isPending}
        >
          {review.isPending ? 'Đang gửi…' : `${VERBS[mode]} báo cáo`}
        </button>
      </div>
    </form>
  );
}

function ReportCard({ report, canReview, inbox }: { report: Report; canReview: boolean; inbox: boolean }) {
  const [review, setReview] = useState<'approve' | 'return' | 'reopen' | null>(null);
  const [downloadError, setDownloadError] = useState<ApiError | null>(null);
  const [label, badge] = STATUS[report.status] ?? [report.status, 'badge'];
  const name = report.organisation
    ? `${report.organisation.name} — ${report.unit.fullName}`
    : report.unit.fullName;
  const extra = Object.entries(report.indicators ?? {});
  return (
    <li className="card" aria-labelledby={`report-${report.id}`}>
      <h3 id={`report-${report.id}`}>
        {name} · {formatPeriod(report.period)} <span className={badge}>{label}</span>
      </h3>
      <dl className="facts">
        <dt>Tổng số người</dt>
        <dd>{report.headcount === null ? '—' : formatNumber(report.headcount)}</dd>
        <dt>Đã được tập huấn</dt>
        <dd>{report.trained === null ? '—' : formatNumber(report.trained)}</dd>
        <dt>Thành thạo, ứng dụng AI</dt>
        <dd>{report.proficient === null ? '—' : formatNumber(report.proficient)}</dd>
        {extra.map(([code, value]) => (
          <div key={code} className="contents">
            <dt>{code === 'ai_clubs' ? 'Câu lạc bộ AI' : code}</dt>
            <dd>{formatNumber(value)}</dd>
          </div>
        ))}
        <dt>Người lập</dt>
        <dd>{report.authorName ?? '—'}</dd>
        {report.submittedAt && (
          <>
            <dt>Nộp lúc</dt>
            <dd>{formatDateTime(report.submittedAt)}</dd>
          </>
        )}
        {report.reviewComment && (
          <>
            <dt>Nhận xét</dt>
            <dd>{report.reviewComment}</dd>
          </>
        )}
      </dl>
      {report.notes && <p>{report.notes}</p>}
      <ApprovalChain report={report} />
      <FormError message={downloadError?.message ?? null} />
      <div className="form-actions">
        {inbox && report.status === 'submitted' && (
          <>
            <button type="button" className="button primary" onClick={() => setReview('approve')}>
              Duyệt
            </button>
            <button type="button" className="button danger" onClick={() => setReview('return')}>
              Trả lại
            </button>
          </>
        )}
        {canReview && report.status === 'approved' && (
          <button type="button" className="button secondary" onClick={() => setReview('reopen')}>
            Mở lại
          </button>
        )}
        <button
          type="button"
          className="button ghost"
          onClick={() =>
            void download(`/api/v1/reports/${report.id}/pdf`, `bao-cao-${report.period}.pdf`).catch(
              (e: unknown) => setDownloadError(asApiError(e)),
            )
          }
        >
          Tải văn bản (PDF)
        </button>
      </div>
      <Dialog
        open={review !== null}
        title={review ? `${VERBS[review]} báo cáo` : ''}
        onClose={() => setReview(null)}
      >
        {review && <ReviewForm report={report} mode={review} onDone={() => setReview(null)} />}
      </Dialog>
    </li>
  );
}

/** Reports in the unit's subtree; the inbox holds those waiting at a level where the caller approves. */
function ReportList({ campaign, inbox = false }: { campaign: Campaign; inbox?: boolean }) {
  const me = useMe();
  const [offset, setOffset] = useState(0);
  const list = useQuery({
    queryKey: ['reports', campaign.programId, campaign.unit, inbox ? 'inbox' : 'all', offset],
    queryFn: () =>
      data(
        api.GET('/api/v1/reports', {
          params: {
            query: {
              programId: campaign.programId,
              unit: campaign.unit,
              limit: 20,
              offset,
              ...(inbox ? { awaitingMe: true } : {}),
            },
          },
        }),
      ),
    placeholderData: keepPreviousData,
  });
  if (list.isError) return <QueryProblem error={list.error} onRetry={() => void list.refetch()} />;
  if (list.isPending) return <Loading />;
  if (!list.data.items.length)
    return <Empty>{inbox ? 'Không có báo cáo nào đang chờ bạn duyệt.' : 'Chưa có báo cáo nào.'}</Empty>;
  const canReview = hasRole(me.data, 'admin', 'steering');
  return (
    <>
      <ul className="items">
        {list.data.items.map((r) => (
          <ReportCard key={r.id} report={r} canReview={canReview} inbox={inbox && canReview} />
        ))}
      </ul>
      <Pager page={list.data} onChange={setOffset} />
    </>
  );
}

function Expected({ campaign, kind }: { campaign: Campaign; kind: 'missing' | 'overdue' }) {
  const { program, params, change } = useCampaign();
  const quarter = params.get('quarter') ?? previousQuarter();
  const list = useQuery({
    queryKey: ['reports', kind, campaign.programId, campaign.unit, kind === 'missing' ? quarter : ''],
    queryFn: () =>
      kind === 'missing'
        ? data(
            api.GET('/api/v1/reports/missing', {
              params: { query: { programId: campaign.programId, unit: campaign.unit, period: quarter } },
            }),
          )
        : data(
            api.GET('/api/v1/reports/overdue', {
              params: { query: { programId: campaign.programId, unit: campaign.unit } },
            }),
          ),
  });
  return (
    <>
      {kind === 'missing' && program && (
        <div className="table-tools">
          <SelectField
            label="Kỳ báo cáo"
            value={quarter}
            onChange={(e) => change({}, { quarter: e.target.value })}
          >
            {quarters(program).map((q) => (
              <option key={q} value={q}>
                {formatPeriod(q)}
              </option>
            ))}
          </SelectField>
        </div>
      )}
      {list.isError ? (
        <QueryProblem error={list.error} onRetry={() => void list.refetch()} />
      ) : list.isPending ? (
        <Loading />
      ) : list.data.length === 0 ? (
        <Empty>
          {kind === 'missing' ? 'Mọi đơn vị đã nộp báo cáo của kỳ này.' : 'Không có báo cáo nào quá hạn.'}
        </Empty>
      ) : (
        <div
          className="table-scroll"
          tabIndex={0}
          role="region"
          aria-label={kind === 'missing' ? 'Đơn vị chưa nộp báo cáo' : 'Báo cáo quá hạn'}
        >
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Đơn vị, cơ quan</th>
                <th scope="col">Kỳ</th>
                <th scope="col">Tình trạng</th>
                <th scope="col">Hạn nộp</th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((e) => {
                const [label, badge] = STATUS[e.status] ?? [e.status, 'badge'];
                return (
                  <tr key={`${e.kind}-${e.id}-${e.period}`}>
                    <th scope="row">{e.name}</th>
                    <td>{formatPeriod(e.period)}</td>
                    <td>
                      <span className={badge}>{label}</span>
                    </td>
                    <td>
                      {formatDay(e.dueOn)} {e.overdue && <span className="badge bad">Quá hạn</span>}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

const TABS: [Tab, string][] = [
  ['submitted', 'Chờ tôi duyệt'],
  ['missing', 'Chưa nộp'],
  ['overdue', 'Quá hạn'],
  ['all', 'Tất cả báo cáo'],
];

function Reports({ campaign }: { campaign: Campaign }) {
  const { params, change } = useCampaign();
  const tab = TABS.find(([t]) => t === params.get('tab'))?.[0] ?? 'submitted';
  return (
    <div data-ready="true">
      <ConsolidatedReport campaign={campaign} />
      <Tabs label="Báo cáo tiến độ" tabs={TABS} selected={tab} onSelect={(next) => change({}, { tab: next })}>
        {tab === 'submitted' && <ReportList campaign={campaign} inbox />}
        {tab === 'all' && <ReportList campaign={campaign} />}
        {(tab === 'missing' || tab === 'overdue') && <Expected campaign={campaign} kind={tab} />}
      </Tabs>
    </div>
  );
}

export default function ReportsPage() {
  return (
    <CampaignPage title="Báo cáo tiến độ" showView={false} showPeriod={false}>
      {(campaign) => <Reports campaign={campaign} />}
    </CampaignPage>
  );
}
