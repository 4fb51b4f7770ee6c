import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { api, data, download, type Schemas } from '../api';
import { hasRole, useMe } from '../auth';
import { QueryProblem } from '../campaign';
import { Empty, formatDateTime, formatNumber, Loading, Page, Pager, SelectField } from '../ui';
import './admin.css';

type Job = Schemas['JobListItemDto'];
type Status = Job['status'];

/** What each kind of job does, as a person reads it (an unknown kind is shown by its code). */
const KINDS: Record<string, string> = {
  'kpi.export': 'Xuất báo cáo KPI (Excel)',
  'certificates.class-batch': 'In giấy chứng nhận cả lớp',
  'kpi.rebuild': 'Tính lại số liệu KPI',
  'attendance.derive': 'Tổng hợp điểm danh gửi từ điện thoại',
  'flags.detect': 'Rà soát điểm danh bất thường',
  'webhooks.deliver': 'Gửi thông báo cho đối tác',
};

const STATUSES: Record<Status, string> = {
  queued: 'Đang chờ',
  running: 'Đang chạy',
  succeeded: 'Đã xong',
  failed: 'Thất bại',
};

const BADGE: Record<Status, string> = { queued: '', running: '', succeeded: 'ok', failed: 'bad' };

/** While a job waits or runs the list asks again, so its progress moves on screen. */
const REFRESH_MS = 3_000;
const LIMIT = 20;

function Progress({ job }: { job: Job }) {
  if (job.total === null || job.total === 0) {
    return <>{job.status === 'succeeded' ? 'Hoàn tất' : `${formatNumber(job.progress)} phần việc`}</>;
  }
  const share = Math.min(100, Math.round((job.progress / job.total) * 100));
  return (
    <>
      <progress
        max={job.total}
        value={job.progress}
        aria-label={`${KINDS[job.kind] ?? job.kind}: ${formatNumber(job.progress)}/${formatNumber(job.total)}`}
      />{' '}
      {formatNumber(job.progress)}/{formatNumber(job.total)} ({share}%)
    </>
  );
}

/**
 * Background jobs (exports, certificate batches, recalculations) with their progress and errors: the caller's
 * own, or every job for an administrator. The list refreshes by itself while any shown job is not finished.
 */
export default function JobsPage() {
  const me = useMe();
  const admin = hasRole(me.data, 'admin');
  const [params, setParams] = useSearchParams();
  const status = (params.get('status') ?? '') as Status | '';
  const kind = params.get('kind') ?? '';
  const offset = Number(params.get('offset') ?? 0) || 0;
  const set = (patch: Record<string, string>) => {
    const next = { ...(status ? { status } : {}), ...(kind ? { kind } : {}), ...patch };
    setParams(Object.fromEntries(Object.entries(next).filter(([, v]) => v !== '')));
  };
  const list = useQuery({
    queryKey: ['jobs', status, kind, offset],
    queryFn: () =>
      data(
        api.GET('/api/v1/jobs', {
          params: {
            query: { limit: LIMIT, offset, ...(status ? { status } : {}), ...(kind ? { kind } : {}) },
          },
        }),
      ),
    placeholderData: keepPreviousData,
    refetchInterval: (query) =>
      query.state.data?.items.some((j) => j.status === 'queued' || j.status === 'running')
        ? REFRESH_MS
        : false,
  });
  const unfinished =
    list.data?.items.filter((j) => j.status === 'queued' || j.status === 'running').length ?? 0;
  return (
    <Page title="Tác vụ nền">
      <p className="lead">
        {admin
          ? 'Mọi tác vụ chạy nền của hệ thống: xuất báo cáo, in giấy chứng nhận hàng loạt, tính lại số liệu.'
          : 'Các tác vụ chạy nền bạn đã yêu cầu: xuất báo cáo, in giấy chứng nhận hàng loạt.'}
      </p>
      <section className="context-bar" aria-label="Lọc tác vụ">
        <div className="context-controls">
          <SelectField
            label="Trạng thái"
            value={status}
            onChange={(e) => set({ status: e.target.value, offset: '' })}
          >
            <option value="">Tất cả</option>
            {Object.entries(STATUSES).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </SelectField>
          <SelectField
            label="Loại tác vụ"
            value={kind}
            onChange={(e) => set({ kind: e.target.value, offset: '' })}
          >
            <option value="">Tất cả</option>
            {Object.entries(KINDS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </SelectField>
        </div>
      </section>
      {list.isError ? (
        <QueryProblem error={list.error} onRetry={() => void list.refetch()} />
      ) : list.isPending ? (
        <Loading />
      ) : !list.data.items.length ? (
        <Empty>Không có tác vụ nào.</Empty>
      ) : (
        <div data-ready="true">
          <p className="muted" role="status">
            {formatNumber(list.data.total)} tác vụ
            {unfinished > 0 && ` · ${formatNumber(unfinished)} đang chờ hoặc đang chạy, tự cập nhật`}
          </p>
          <div className="table-scroll" tabIndex={0} role="region" aria-label="Các tác vụ nền">
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">Tác vụ</th>
                  <th scope="col">Trạng thái</th>
                  <th scope="col">Tiến độ</th>
                  <th scope="col">Tạo lúc</th>
                  <th scope="col">Xong lúc</th>
                  {admin && <th scope="col">Người tạo</th>}
                  <th scope="col">Kết quả</th>
                </tr>
              </thead>
              <tbody>
                {list.data.items.map((job) => (
                  <tr key={job.id}>
                    <th scope="row">{KINDS[job.kind] ?? job.kind}</th>
                    <td>
                      <span className={`badge ${BADGE[job.status]}`}>{STATUSES[job.status]}</span>
                    </td>
                    <td>
                      <Progress job={job} />
                    </td>
                    <td>{formatDateTime(job.createdAt)}</td>
                    <td>{formatDateTime(job.finishedAt)}</td>
                    {admin && <td>{job.createdByName ?? <span className="muted">Hệ thống</span>}</td>}
                    <td>
                      {job.error ? (
                        <span className="field-error">{job.error}</span>
                      ) : job.downloadUrl ? (
                        <button
                          type="button"
                          className="button small secondary"
                          aria-label={`Tải tệp: ${KINDS[job.kind] ?? job.kind}, ${formatDateTime(job.createdAt)}`}
                          onClick={() => void download(job.downloadUrl!, `tac-vu-${job.id}`)}
                        >
                          Tải tệp
                        </button>
                      ) : (
                        <span className="muted">—</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager page={list.data} onChange={(next) => set({ offset: next ? String(next) : '' })} />
        </div>
      )}
    </Page>
  );
}
