import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, ApiError, asApiError, data, download, type Schemas } from '../api';
import { CampaignPage, type Campaign } from '../campaign';
import { formatDateTime, formatNumber, formatPeriod, FormError } from '../ui';

type Job = Schemas['JobDto'];

type Format = 'xlsx' | 'pdf';
type Started = { job: Job; label: string };
const STARTED = ['exports', 'started'];
type Sheet = 'summary' | 'trainers' | 'classes' | 'learners';

const SHEETS: [Sheet, string][] = [
  ['summary', 'Tổng hợp theo đơn vị'],
  ['trainers', 'Giảng viên và tiến độ'],
  ['classes', 'Lớp học'],
  ['learners', 'Người học'],
];

const STATUS: Record<string, string> = {
  queued: 'Đang chờ',
  running: 'Đang xuất',
  succeeded: 'Đã xong',
  failed: 'Không thành công',
};

function JobProgress({ job: first, label }: { job: Job; label: string }) {
  const job = useQuery({
    queryKey: ['export', first.id],
    queryFn: () => data(api.GET('/api/v1/exports/{id}', { params: { path: { id: first.id } } })),
    initialData: first,
    refetchInterval: (query) =>
      ['succeeded', 'failed'].includes(query.state.data?.status ?? '') ? false : 1000,
  });
  const [downloadError, setDownloadError] = useState<ApiError | null>(null);
  const j = job.data;
  const done = j.status === 'succeeded';
  const percent = j.total ? Math.min(100, Math.round((j.progress / j.total) * 100)) : done ? 100 : 0;
  return (
    <li className="card" aria-labelledby={`job-${j.id}`}>
      <h3 id={`job-${j.id}`}>{label}</h3>
      <p role="status">
        {STATUS[j.status] ?? j.status}
        {j.total ? ` — ${formatNumber(j.progress)}/${formatNumber(j.total)} dòng` : ''} · bắt đầu{' '}
        {formatDateTime(j.createdAt)}
      </p>
      <progress max={100} value={percent} aria-label={`Tiến độ xuất: ${percent} %`}>
        {percent} %
      </progress>
      {j.status === 'failed' && <FormError message={j.error ?? 'Xuất không thành công.'} />}
      {done && (
        <div className="form-actions">
          <button
            type="button"
            className="button primary"
            onClick={() => {
              setDownloadError(null);
              download(`/api/v1/exports/${j.id}/file`, 'bao-cao-kpi').catch((e: unknown) =>
                setDownloadError(asApiError(e)),
              );
            }}
          >
            Tải tệp về
          </button>
        </div>
      )}
      <FormError message={downloadError?.message} />
    </li>
  );
}

function Exports({ campaign }: { campaign: Campaign }) {
  const [format, setFormat] = useState<Format>('xlsx');
  const [sheets, setSheets] = useState<Sheet[]>(SHEETS.map(([s]) => s));
  // The exports started in this visit stay listed when the user leaves the page and comes back.
  const queryClient = useQueryClient();
  const started = useQuery({
    queryKey: STARTED,
    queryFn: () => [] as Started[],
    staleTime: Infinity,
    gcTime: Infinity,
  });
  const jobs = started.data ?? [];
  const setJobs = (update: (list: Started[]) => Started[]) =>
    queryClient.setQueryData<Started[]>(STARTED, (list) => update(list ?? []));
  const start = useMutation({
    mutationFn: async () => {
      const {
        data: body,
        error,
        response,
      } = await api.POST('/api/v1/exports', {
        body: { ...campaign, format, delivery: 'job', ...(format === 'xlsx' ? { sheets } : {}) },
        parseAs: 'json',
      });
      if (!response.ok) throw ApiError.fromResponse(response, error);
      return body as Job;
    },
    onSuccess: (job) =>
      setJobs((list) => [
        {
          job,
          label: `${format === 'xlsx' ? 'Sổ tính Excel' : 'Báo cáo PDF'} — ${formatPeriod(campaign.period)}, đơn vị mã ${campaign.unit}`,
        },
        ...list,
      ]),
  });
  const error = start.error ? asApiError(start.error) : null;
  function submit(event: FormEvent) {
    event.preventDefault();
    start.mutate();
  }
  return (
    <div data-ready="true">
      <form onSubmit={submit} className="card" noValidate>
        <fieldset className="checks">
          <legend>Định dạng</legend>
          <label>
            <input
              type="radio"
              name="format"
              checked={format === 'xlsx'}
              onChange={() => setFormat('xlsx')}
            />
            Sổ tính Excel (biểu mẫu chính thức)
          </label>
          <label>
            <input type="radio" name="format" checked={format === 'pdf'} onChange={() => setFormat('pdf')} />
            Báo cáo tóm tắt PDF (có biểu đồ)
          </label>
        </fieldset>
        {format === 'xlsx' && (
          <fieldset className="checks">
            <legend>Các trang tính</legend>
            {SHEETS.map(([sheet, label]) => (
              <label key={sheet}>
                <input
                  type="checkbox"
                  checked={sheets.includes(sheet)}
                  onChange={(e) =>
                    setSheets((list) =>
                      e.target.checked ? [...list, sheet] : list.filter((s) => s !== sheet),
                    )
                  }
                />
                {label}
              </label>
            ))}
            {error?.field('sheets') && <p className="field-error">{error.field('sheets')}</p>}
          </fieldset>
        )}
        <FormError message={error && !error.field('sheets') ? error.message : null} />
        <div className="form-actions">
          <button type="submit" className="button primary" disabled={start.isPending}>
            {start.isPending ? 'Đang gửi yêu cầu…' : 'Bắt đầu xuất'}
          </button>
        </div>
        <p className="muted">
          Tệp được tạo ở chế độ chạy nền: bạn có thể chuyển sang trang khác rồi quay lại. Người học trong tệp
          được che dữ liệu cá nhân theo vai trò của bạn.
        </p>
      </form>
      {jobs.length > 0 && (
        <section aria-labelledby="jobs-title">
          <h2 id="jobs-title">Các lần xuất</h2>
          <ul className="items">
            {jobs.map(({ job, label }) => (
              <JobProgress key={job.id} job={job} label={label} />
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}

export default function ExportsPage() {
  return <CampaignPage title="Xuất báo cáo">{(campaign) => <Exports campaign={campaign} />}</CampaignPage>;
}
