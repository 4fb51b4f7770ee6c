import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, asApiError, data, download, type ApiError } from '../api';
import { QueryProblem, type Program } from '../campaign';
import { ApprovalChain, previousQuarter, quarters } from '../reports';
import {
  Dialog,
  Empty,
  ErrorState,
  formatDateTime,
  formatNumber,
  formatPeriod,
  FormError,
  Loading,
  Page,
  SelectField,
  TextArea,
  TextField,
} from '../ui';
import { REPORT_STATUS, useOrganisationContext, type OrganisationRef, type Report } from './organisation';

type FormState = Record<string, string>;

const FIELDS: [string, string][] = [
  ['headcount', 'Tổng số người của đơn vị'],
  ['trained', 'Số người đã được tập huấn'],
  ['proficient', 'Số người thành thạo, ứng dụng được công cụ AI'],
];

function toNumber(value: string): number | undefined {
  const trimmed = value.replace(/\./g, '').trim();
  return trimmed === '' ? undefined : Number(trimmed);
}

/** The figures and narrative of a report: a new draft (with its period) or a draft or returned report. */
function ReportForm({
  organisation,
  program,
  report,
  onDone,
}: {
  organisation: OrganisationRef;
  program: Program;
  report: Report | null;
  onDone: () => void;
}) {
  const queryClient = useQueryClient();
  const [period, setPeriod] = useState(report?.period ?? previousQuarter());
  const [form, setForm] = useState<FormState>(() => {
    const initial: FormState = {
      headcount: report?.headcount?.toString() ?? '',
      trained: report?.trained?.toString() ?? '',
      proficient: report?.proficient?.toString() ?? '',
      notes: report?.notes ?? '',
    };
    for (const i of program.reportedIndicators)
      initial[`i.${i.code}`] = report?.indicators[i.code]?.toString() ?? '';
    return initial;
  });
  const records = useQuery({
    queryKey: ['organisation-figures', organisation.id, program.id, period],
    queryFn: () =>
      data(
        api.GET('/api/v1/organisations/{id}/figures', {
          params: { path: { id: organisation.id }, query: { programId: program.id, period } },
        }),
      ),
  });
  const save = useMutation({
    mutationFn: () => {
      const indicators: Record<string, number> = {};
      for (const i of program.reportedIndicators) {
        const value = toNumber(form[`i.${i.code}`]);
        if (value !== undefined) indicators[i.code] = value;
      }
      const figures = {
        headcount: toNumber(form.headcount),
        trained: toNumber(form.trained),
        proficient: toNumber(form.proficient),
        indicators,
        notes: form.notes,
      };
      return report
        ? data(api.PATCH('/api/v1/reports/{id}', { params: { path: { id: report.id } }, body: figures }))
        : data(
            api.POST('/api/v1/reports', {
              body: { ...figures, programId: program.id, organisationId: organisation.id, period },
            }),
          );
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['reports'] });
      onDone();
    },
  });
  const error = save.error ? asApiError(save.error) : null;
  const known = new Set([
    'period',
    'notes',
    ...FIELDS.map(([f]) => f),
    ...program.reportedIndicators.map((i) => `indicators.${i.code}`),
  ]);
  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate();
  }
  const r = records.data?.figures;
  return (
    <form onSubmit={submit} noValidate>
      {!report && (
        <SelectField
          label="Kỳ báo cáo"
          value={period}
          onChange={(e) => setPeriod(e.target.value)}
          error={error?.field('period')}
        >
          {quarters(program).map((q) => (
            <option key={q} value={q}>
              {formatPeriod(q)}
            </option>
          ))}
        </SelectField>
      )}
      {r && (
        <p className="notice">
          Theo hồ sơ trên hệ thống đến hết kỳ: {formatNumber(r.members)} người có hồ sơ,{' '}
          {formatNumber(r.trained)} đã dự học, {formatNumber(r.completed)} đã hoàn thành,{' '}
          {formatNumber(r.proficient)} ứng dụng được AI. Số liệu này được chốt cùng báo cáo khi nộp.
        </p>
      )}
      {FIELDS.map(([field, label], i) => (
        <TextField
          key={field}
          label={label}
          inputMode="numeric"
          autoComplete="off"
          data-autofocus={i === 0 ? true : undefined}
          value={form[field]}
          onChange={(e) => setForm({ ...form, [field]: e.target.value })}
          error={error?.field(field)}
        />
      ))}
      {program.reportedIndicators.map((i) => (
        <TextField
          key={i.code}
          label={i.name}
          inputMode="numeric"
          autoComplete="off"
          value={form[`i.${i.code}`]}
          onChange={(e) => setForm({ ...form, [`i.${i.code}`]: e.target.value })}
          error={error?.field(`indicators.${i.code}`)}
        />
      ))}
      <TextArea
        label="Tình hình thực hiện, kiến nghị"
        rows={4}
        value={form.notes}
        onChange={(e) => setForm({ ...form, notes: e.target.value })}
        error={error?.field('notes')}
      />
      <FormError message={error && !error.fields.some((f) => known.has(f.field)) ? error.message : null} />
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={save.isPending}>
          {save.isPending ? 'Đang lưu…' : 'Lưu bản nháp'}
        </button>
      </div>
    </form>
  );
}

function figure(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : formatNumber(value);
}

function ReportCard({
  report,
  organisation,
  program,
}: {
  report: Report;
  organisation: OrganisationRef;
  program: Program;
}) {
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [downloadError, setDownloadError] = useState<ApiError | null>(null);
  const submit = useMutation({
    mutationFn: () => data(api.POST('/api/v1/reports/{id}/submit', { params: { path: { id: report.id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['reports'] }),
  });
  const submitError = submit.error ? asApiError(submit.error) : null;
  const [label, badge] = REPORT_STATUS[report.status] ?? [report.status, 'badge'];
  const editable = report.status === 'draft' || report.status === 'returned';
  return (
    <li className="card" aria-labelledby={`report-${report.id}`}>
      <h3 id={`report-${report.id}`}>
        Báo cáo {formatPeriod(report.period)} <span className={badge}>{label}</span>
      </h3>
      {report.status === 'returned' && report.reviewComment && (
        <p className="form-error" role="note">
          Cấp trên trả lại: “{report.reviewComment}”
        </p>
      )}
      <dl className="facts">
        <dt>Tổng số người</dt>
        <dd>{figure(report.headcount)}</dd>
        <dt>Đã được tập huấn</dt>
        <dd>{figure(report.trained)}</dd>
        <dt>Thành thạo, ứng dụng AI</dt>
        <dd>{figure(report.proficient)}</dd>
        {program.reportedIndicators.map((i) => (
          <div key={i.code} className="contents">
            <dt>{i.name}</dt>
            <dd>{figure(report.indicators[i.code])}</dd>
          </div>
        ))}
        {report.recordFigures && (
          <>
            <dt>Theo hồ sơ (chốt khi nộp)</dt>
            <dd>
              {formatNumber(report.recordFigures.trained)} dự học,{' '}
              {formatNumber(report.recordFigures.completed)} hoàn thành,{' '}
              {formatNumber(report.recordFigures.proficient)} ứng dụng AI
            </dd>
          </>
        )}
        {report.submittedAt && (
          <>
            <dt>Nộp lúc</dt>
            <dd>{formatDateTime(report.submittedAt)}</dd>
          </>
        )}
      </dl>
      {report.notes && <p>{report.notes}</p>}
      <ApprovalChain report={report} />
      <FormError
        message={
          submitError
            ? `${submitError.message}${submitError.fields.length ? ' ' + submitError.fields.map((f) => f.reason).join('; ') : ''}`
            : (downloadError?.message ?? null)
        }
      />
      <div className="form-actions">
        {editable && (
          <>
            <button type="button" className="button secondary" onClick={() => setEditing(true)}>
              Sửa báo cáo
            </button>
            <button
              type="button"
              className="button primary"
              disabled={submit.isPending}
              onClick={() => submit.mutate()}
            >
              {report.status === 'returned' ? 'Nộp lại' : 'Nộp báo cáo'}
            </button>
          </>
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
        open={editing}
        title={`Sửa báo cáo ${formatPeriod(report.period)}`}
        onClose={() => setEditing(false)}
      >
        {editing && (
          <ReportForm
            organisation={organisation}
            program={program}
            report={report}
            onDone={() => setEditing(false)}
          />
        )}
      </Dialog>
    </li>
  );
}

function Reports({ organisation, program }: { organisation: OrganisationRef; program: Program }) {
  const [creating, setCreating] = useState(false);
  const reports = useQuery({
    queryKey: ['reports', 'organisation', organisation.id, program.id],
    queryFn: () =>
      data(api.GET('/api/v1/reports', { params: { query: { programId: program.id, limit: 100 } } })),
  });
  if (reports.isError) return <QueryProblem error={reports.error} onRetry={() => void reports.refetch()} />;
  if (reports.isPending) return <Loading />;
  const mine = reports.data.items.filter((r) => r.organisation?.id === organisation.id);
  return (
    <div data-ready="true">
      <p className="lead">
        {organisation.name} · {program.name}. Báo cáo được duyệt lần lượt từng cấp; khi cấp cuối cùng duyệt,
        báo cáo bị khóa.
      </p>
      <div className="form-actions">
        <button type="button" className="button primary" onClick={() => setCreating(true)}>
          Lập báo cáo mới
        </button>
      </div>
      {mine.length ? (
        <ul className="items">
          {mine.map((r) => (
            <ReportCard key={r.id} report={r} organisation={organisation} program={program} />
          ))}
        </ul>
      ) : (
        <Empty>Đơn vị chưa lập báo cáo nào.</Empty>
      )}
      <Dialog open={creating} title="Lập báo cáo tiến độ" onClose={() => setCreating(false)}>
        {creating && (
          <ReportForm
            organisation={organisation}
            program={program}
            report={null}
            onDone={() => setCreating(false)}
          />
        )}
      </Dialog>
    </div>
  );
}

/** A department head's progress reports: write, submit, follow up the chain of approvals, print. */
export default function OrganisationReportsPage() {
  const { organisation, program, loading, error } = useOrganisationContext();
  return (
    <Page title="Báo cáo của đơn vị">
      {loading ? (
        <Loading />
      ) : error ? (
        <ErrorState error={error} />
      ) : !organisation ? (
        <Empty>Tài khoản của bạn chưa được giao làm thủ trưởng cơ quan, đơn vị nào.</Empty>
      ) : !program ? (
        <Empty>Chưa có chương trình nào.</Empty>
      ) : (
        <Reports organisation={organisation} program={program} />
      )}
    </Page>
  );
}
