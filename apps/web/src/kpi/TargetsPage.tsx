import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, asApiError, data, type Schemas } from '../api';
import { CampaignPage, QueryProblem, unitQuery, type Campaign, type Program } from '../campaign';
import {
  Dialog,
  Empty,
  formatFigure,
  formatNumber,
  formatPeriod,
  FormError,
  Loading,
  SelectField,
  TextField,
} from '../ui';
import { useKpi } from './queries';

type Target = Schemas['TargetDto'];
type TargetKind = Schemas['PutTargetDto']['kind'];
type SplitMethod = Schemas['SplitTargetDto']['method'];

const KINDS: [TargetKind, string][] = [
  ['absolute', 'Số tuyệt đối'],
  ['percentage', 'Tỷ lệ % của một số liệu dân số'],
  ['rate', 'Tỷ lệ % của một chỉ tiêu khác'],
];

/** The people indicators a target can be set on per learner segment. */
const SEGMENTED = ['learners_reached', 'completions', 'proficient_learners'];

/** The population figures a plan can take a percentage of, with their names. */
function usePopulationFigures() {
  return useQuery({
    queryKey: ['population-figures'],
    queryFn: () => data(api.GET('/api/v1/population-figures')),
    staleTime: 5 * 60_000,
  });
}

/** How a target was set, in words: "Số tuyệt đối", "% tổng dân số", "% người hoàn thành khóa học". */
function kindText(t: Target): string {
  if (t.kind === 'percentage')
    return `% ${(t.populationFigureName ?? t.populationFigure ?? '').toLowerCase()}`;
  if (t.kind === 'rate') return `% ${(t.baseIndicatorName ?? t.baseIndicator ?? '').toLowerCase()}`;
  return 'Số tuyệt đối';
}

function useTargets(c: Campaign) {
  return useQuery({
    queryKey: ['targets', c.programId, c.unit, c.unitAsOf ?? null, c.period],
    queryFn: () =>
      data(
        api.GET('/api/v1/programs/{id}/targets', {
          params: { path: { id: c.programId }, query: { ...unitQuery(c), period: c.period } },
        }),
      ),
  });
}

function TargetForm({
  campaign,
  program,
  indicators,
  editing,
  onDone,
}: {
  campaign: Campaign;
  program: Program;
  indicators: { code: string; name: string }[];
  editing: Target | null;
  onDone: () => void;
}) {
  const queryClient = useQueryClient();
  const figures = usePopulationFigures();
  const [indicator, setIndicator] = useState(editing?.indicator ?? indicators[0]?.code ?? '');
  const [segment, setSegment] = useState(editing?.segment ?? '');
  const [kind, setKind] = useState<TargetKind>(editing?.kind ?? 'absolute');
  const [value, setValue] = useState(editing ? String(editing.value) : '');
  const [figure, setFigure] = useState(editing?.populationFigure ?? 'total');
  const [base, setBase] = useState(editing?.baseIndicator ?? 'completions');
  const save = useMutation({
    mutationFn: () =>
      data(
        api.PUT('/api/v1/programs/{id}/targets', {
          params: { path: { id: campaign.programId } },
          body: {
            ...unitQuery(campaign),
            period: campaign.period,
            indicator,
            kind,
            value: Number(value.replace(',', '.')),
            ...(segment && SEGMENTED.includes(indicator) ? { segment } : {}),
            ...(kind === 'percentage' ? { populationFigure: figure } : {}),
            ...(kind === 'rate' ? { baseIndicator: base } : {}),
          },
        }),
      ),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['targets'] });
      await queryClient.invalidateQueries({ queryKey: ['kpi'] });
      await queryClient.invalidateQueries({ queryKey: ['plan'] });
      onDone();
    },
  });
  const error = save.error ? asApiError(save.error) : null;
  const fields = ['indicator', 'segment', 'period', 'value', 'populationFigure', 'baseIndicator'];
  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate();
  }
  return (
    <form onSubmit={submit} noValidate>
      <p>
        Kỳ: <strong>{formatPeriod(campaign.period)}</strong>
      </p>
      <FormError message={error?.field('period') ?? null} />
      <SelectField
        label="Chỉ tiêu"
        value={indicator}
        onChange={(e) => setIndicator(e.target.value)}
        disabled={!!editing}
        error={error?.field('indicator')}
      >
        {indicators.map((i) => (
          <option key={i.code} value={i.code}>
            {i.name}
          </option>
        ))}
      </SelectField>
      {SEGMENTED.includes(indicator) && (
        <SelectField
          label="Đối tượng"
          value={segment}
          onChange={(e) => setSegment(e.target.value)}
          disabled={!!editing}
          error={error?.field('segment')}
        >
          <option value="">Mọi đối tượng</option>
          {program.segments.map((s) => (
            <option key={s.code} value={s.code}>
              {s.name}
            </option>
          ))}
        </SelectField>
      )}
      <fieldset className="checks">
        <legend>Cách giao</legend>
        {KINDS.map(([k, label]) => (
          <label key={k}>
            <input type="radio" name="kind" checked={kind === k} onChange={() => setKind(k)} />
            {label}
          </label>
        ))}
      </fieldset>
      {kind === 'percentage' && (
        <SelectField
          label="Tính trên số liệu dân số"
          value={figure}
          onChange={(e) => setFigure(e.target.value)}
          error={error?.field('populationFigure')}
        >
          {(figures.data ?? []).map((f) => (
            <option key={f.code} value={f.code}>
              {f.name}
            </option>
          ))}
        </SelectField>
      )}
      {kind === 'rate' && (
        <SelectField
          label="Tính trên số thực hiện của chỉ tiêu"
          value={base}
          onChange={(e) => setBase(e.target.value)}
          error={error?.field('baseIndicator')}
        >
          {indicators
            .filter((i) => i.code !== indicator)
            .map((i) => (
              <option key={i.code} value={i.code}>
                {i.name}
              </option>
            ))}
        </SelectField>
      )}
      <TextField
        label={kind === 'absolute' ? 'Giá trị' : 'Tỷ lệ (%)'}
        inputMode="decimal"
        required
        value={value}
        onChange={(e) => setValue(e.target.value)}
        error={error?.field('value')}
        hint={
          kind === 'percentage'
            ? 'Ví dụ: 1 nghĩa là 1 % số liệu dân số của năm.'
            : kind === 'rate'
              ? 'Ví dụ: 80 nghĩa là 80 % số thực hiện của chỉ tiêu mẫu số, cùng đơn vị và kỳ.'
              : undefined
        }
      />
      <FormError message={error && !fields.some((f) => error.field(f)) ? error.message : null} />
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={save.isPending}>
          {save.isPending ? 'Đang lưu…' : 'Lưu chỉ tiêu'}
        </button>
      </div>
    </form>
  );
}

function SplitForm({ campaign, target, onDone }: { campaign: Campaign; target: Target; onDone: () => void }) {
  const queryClient = useQueryClient();
  const [method, setMethod] = useState<Exclude<SplitMethod, 'manual'>>('population');
  const figures = usePopulationFigures();
  const [figure, setFigure] = useState('total');
  const body = {
    method,
    ...(method === 'population' ? { populationFigure: figure } : {}),
  } as Schemas['SplitTargetDto'];
  const path = { id: campaign.programId, targetId: target.id };
  const preview = useMutation({
    mutationFn: () =>
      data(api.POST('/api/v1/programs/{id}/targets/{targetId}/split/preview', { params: { path }, body })),
  });
  const commit = useMutation({
    mutationFn: () =>
      data(api.POST('/api/v1/programs/{id}/targets/{targetId}/split', { params: { path }, body })),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['targets'] });
      await queryClient.invalidateQueries({ queryKey: ['kpi'] });
      onDone();
    },
  });
  const error = preview.error ?? commit.error;
  const shares = preview.data;
  const total = shares?.reduce((sum, s) => sum + s.value, 0) ?? 0;
  return (
    <div>
      <p>
        Chia chỉ tiêu <strong>{target.indicatorName}</strong> ({formatFigure(target.value)},{' '}
        {formatPeriod(target.period)}) của {target.unit.fullName} cho các đơn vị trực thuộc.
      </p>
      <fieldset className="checks">
        <legend>Cách chia</legend>
        <label>
          <input
            type="radio"
            name="method"
            checked={method === 'population'}
            onChange={() => {
              setMethod('population');
              preview.reset();
            }}
          />
          Theo dân số
        </label>
        <label>
          <input
            type="radio"
            name="method"
            checked={method === 'equal'}
            onChange={() => {
              setMethod('equal');
              preview.reset();
            }}
          />
          Chia đều
        </label>
      </fieldset>
      {method === 'population' && (
        <SelectField
          label="Theo số liệu"
          value={figure}
          onChange={(e) => {
            setFigure(e.target.value);
            preview.reset();
          }}
        >
          {(figures.data ?? []).map((f) => (
            <option key={f.code} value={f.code}>
              {f.name}
            </option>
          ))}
        </SelectField>
      )}
      <div className="form-actions">
        <button
          type="button"
          className="button secondary"
          onClick={() => preview.mutate()}
          disabled={preview.isPending}
        >
          {preview.isPending ? 'Đang tính…' : 'Xem trước'}
        </button>
        <button
          type="button"
          className="button primary"
          onClick={() => commit.mutate()}
          disabled={!shares || commit.isPending}
        >
          {commit.isPending ? 'Đang lưu…' : 'Lưu phân bổ'}
        </button>
      </div>
      {error && <FormError message={asApiError(error).message} />}
      {shares && (
        <div className="table-scroll" tabIndex={0} role="region" aria-label="Xem trước phân bổ chỉ tiêu">
          <table className="data">
            <caption>
              Xem trước: {formatNumber(shares.length)} đơn vị, tổng {formatFigure(total)}
            </caption>
            <thead>
              <tr>
                <th scope="col">Đơn vị</th>
                <th scope="col" className="num">
                  Chỉ tiêu hiện có
                </th>
                <th scope="col" className="num">
                  Sau khi chia
                </th>
              </tr>
            </thead>
            <tbody>
              {shares.map((s) => (
                <tr key={s.unit.code}>
                  <th scope="row">{s.unit.fullName}</th>
                  <td className="num">{s.currentValue === null ? '—' : formatFigure(s.currentValue)}</td>
                  <td className="num">{formatFigure(s.value)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function Targets({ campaign, program }: { campaign: Campaign; program: Program }) {
  const targets = useTargets(campaign);
  const kpi = useKpi(campaign);
  const [editing, setEditing] = useState<Target | 'new' | null>(null);
  const [splitting, setSplitting] = useState<Target | null>(null);
  if (targets.isError) return <QueryProblem error={targets.error} onRetry={() => void targets.refetch()} />;
  if (targets.isPending || kpi.isPending) return <Loading />;
  const own = targets.data.filter((t) => t.unit.code === campaign.unit && t.period === campaign.period);
  const children = targets.data.filter((t) => t.unit.code !== campaign.unit && t.period === campaign.period);
  const hasChildren = (kpi.data?.byChild.length ?? 0) > 0;
  // The children's targets as a grid: a row per unit, a column per indicator.
  const columns = [...new Map(children.map((t) => [t.indicator, t.indicatorName])).entries()];
  const units = [...new Map(children.map((t) => [t.unit.code, t.unit.fullName])).entries()];
  const byCell = new Map(children.map((t) => [`${t.unit.code}|${t.indicator}`, t]));
  const indicators = (kpi.data?.indicators ?? [])
    .filter(
      (i) =>
        i.source !== 'reports' ||
        ['reported_headcount', 'reported_trained', 'reported_proficient'].includes(i.code),
    )
    .filter((i) => i.code !== 'trainers_on_pace')
    .map((i) => ({ code: i.code, name: i.name }));
  const unitName = kpi.data?.unit.fullName ?? campaign.unit;
  return (
    <div data-ready="true">
      <div className="page-actions">
        <button type="button" className="button primary" onClick={() => setEditing('new')}>
          Đặt chỉ tiêu mới
        </button>
      </div>
      <h2>
        Chỉ tiêu của {unitName} — {kpi.data?.period.label ?? formatPeriod(campaign.period)}
      </h2>
      {own.length === 0 ? (
        <Empty>Chưa có chỉ tiêu nào cho kỳ này.</Empty>
      ) : (
        <div className="table-scroll" tabIndex={0} role="region" aria-label="Chỉ tiêu của đơn vị">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Chỉ tiêu</th>
                <th scope="col">Cách giao</th>
                <th scope="col" className="num">
                  Giá trị
                </th>
                <th scope="col" className="num">
                  Quy ra số người
                </th>
                <th scope="col">Thao tác</th>
              </tr>
            </thead>
            <tbody>
              {own.map((t) => (
                <tr key={t.id}>
                  <th scope="row">
                    {t.indicatorName}
                    {t.segment && (
                      <span className="muted">
                        {' '}
                        — {program.segments.find((x) => x.code === t.segment)?.name ?? t.segment}
                      </span>
                    )}
                    {t.splitFromId && <span className="badge"> giao từ cấp trên</span>}
                  </th>
                  <td>{kindText(t)}</td>
                  <td className="num">
                    {t.kind === 'absolute' ? formatFigure(t.value) : `${formatFigure(t.value)} %`}
                  </td>
                  <td className="num">{t.resolvedValue === null ? '—' : formatFigure(t.resolvedValue)}</td>
                  <td>
                    <div className="form-actions">
                      <button
                        type="button"
                        className="button secondary small"
                        onClick={() => setEditing(t)}
                        aria-label={`Sửa: ${t.indicatorName}`}
                      >
                        Sửa
                      </button>
                      {t.kind === 'absolute' && hasChildren && (
                        <button
                          type="button"
                          className="button secondary small"
                          onClick={() => setSplitting(t)}
                          aria-label={`Chia cho đơn vị trực thuộc: ${t.indicatorName}`}
                        >
                          Chia cho đơn vị trực thuộc
                        </button>
                      )}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {hasChildren && (
        <>
          <h2>Chỉ tiêu đã giao cho các đơn vị trực thuộc</h2>
          {children.length === 0 ? (
            <Empty>Chưa giao chỉ tiêu nào cho các đơn vị trực thuộc trong kỳ này.</Empty>
          ) : (
            <div
              className="table-scroll"
              tabIndex={0}
              role="region"
              aria-label="Chỉ tiêu của các đơn vị trực thuộc"
            >
              <table className="data">
                <thead>
                  <tr>
                    <th scope="col">Đơn vị</th>
                    {columns.map(([code, name]) => (
                      <th key={code} scope="col" className="num">
                        {name}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {units.map(([code, name]) => (
                    <tr key={code}>
                      <th scope="row">{name}</th>
                      {columns.map(([indicator]) => {
                        const t = byCell.get(`${code}|${indicator}`);
                        return (
                          <td key={indicator} className="num">
                            {t ? formatFigure(t.resolvedValue ?? t.value) : '—'}
                          </td>
                        );
                      })}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
      <Dialog
        open={editing !== null}
        title={editing === 'new' ? 'Đặt chỉ tiêu' : 'Sửa chỉ tiêu'}
        onClose={() => setEditing(null)}
      >
        {editing !== null && (
          <TargetForm
            campaign={campaign}
            program={program}
            indicators={indicators}
            editing={editing === 'new' ? null : editing}
            onDone={() => setEditing(null)}
          />
        )}
      </Dialog>
      <Dialog
        open={splitting !== null}
        title="Chia chỉ tiêu cho đơn vị trực thuộc"
        onClose={() => setSplitting(null)}
      >
        {splitting && <SplitForm campaign={campaign} target={splitting} onDone={() => setSplitting(null)} />}
      </Dialog>
    </div>
  );
}

export default function TargetsPage() {
  return (
    <CampaignPage title="Chỉ tiêu" showView={false}>
      {(campaign, program) => <Targets campaign={campaign} program={program} />}
    </CampaignPage>
  );
}
