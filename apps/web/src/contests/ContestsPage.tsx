import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, asApiError, data, type Schemas } from '../api';
import { hasRole, useMe } from '../auth';
import { CampaignPage, QueryProblem, useCampaign, type Campaign } from '../campaign';
import {
  Dialog,
  Empty,
  formatDay,
  formatNumber,
  FormError,
  Loading,
  Pager,
  SelectField,
  TextArea,
  TextField,
} from '../ui';

type Contest = Schemas['ContestDto'];
type Entry = Schemas['ContestEntryDto'];
type Kind = Entry['kind'];

export const KINDS: Record<Kind, string> = {
  person: 'Cá nhân (người học)',
  trainer: 'Giảng viên',
  class: 'Lớp học',
  organisation: 'Cơ quan, tổ chức',
};

/** Scores keep their two decimals ("87,25"). */
const points = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 2 });
export const formatPoints = (value: number | null): string => (value === null ? '—' : points.format(value));

interface CriterionInput {
  name: string;
  weight: string;
  maxPoints: string;
}

function CreateContestForm({ campaign, onDone }: { campaign: Campaign; onDone: (id: string) => void }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [period, setPeriod] = useState(campaign.period);
  const [winners, setWinners] = useState('3');
  const [criteria, setCriteria] = useState<CriterionInput[]>([{ name: '', weight: '100', maxPoints: '10' }]);
  const create = useMutation({
    mutationFn: () =>
      data(
        api.POST('/api/v1/contests', {
          body: {
            programId: campaign.programId,
            unit: campaign.unit,
            name,
            ...(description ? { description } : {}),
            period,
            winners: Number(winners),
            criteria: criteria.map((c) => ({
              name: c.name,
              weight: Number(c.weight),
              maxPoints: Number(c.maxPoints),
            })),
          },
        }),
      ),
    onSuccess: async (contest) => {
      await queryClient.invalidateQueries({ queryKey: ['contests'] });
      onDone(contest.id);
    },
  });
  const error = create.error ? asApiError(create.error) : null;
  const named = ['name', 'description', 'period', 'winners', 'criteria'];
  const criterionFields = criteria.flatMap((_c, i) =>
    ['name', 'weight', 'maxPoints'].map((f) => `criteria[${i}].${f}`),
  );
  const unplaced = error?.fields.some((f) => !named.includes(f.field) && !criterionFields.includes(f.field));
  const set = (i: number, change: Partial<CriterionInput>) =>
    setCriteria(criteria.map((c, j) => (j === i ? { ...c, ...change } : c)));
  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate();
  }
  return (
    <form onSubmit={submit} noValidate>
      <TextField
        label="Tên hội thi"
        required
        data-autofocus
        value={name}
        onChange={(e) => setName(e.target.value)}
        error={error?.field('name')}
      />
      <TextArea
        label="Mô tả (không bắt buộc)"
        value={description}
        onChange={(e) => setDescription(e.target.value)}
        error={error?.field('description')}
      />
      <div className="form-row">
        <TextField
          label="Kỳ tổ chức"
          required
          hint="Năm (2026), quý (2026-Q4), tháng (2026-11) hoặc giai đoạn của chương trình (P2)"
          value={period}
          onChange={(e) => setPeriod(e.target.value)}
          error={error?.field('period')}
        />
        <TextField
          label="Số giải"
          type="number"
          inputMode="numeric"
          min={1}
          max={100}
          hint="Các bài xếp hạng từ 1 đến số này đạt giải"
          value={winners}
          onChange={(e) => setWinners(e.target.value)}
          error={error?.field('winners')}
        />
      </div>
      <fieldset>
        <legend>Tiêu chí chấm điểm</legend>
        {error?.field('criteria') && <p className="field-error">{error.field('criteria')}</p>}
        {criteria.map((c, i) => (
          <div className="form-row" key={i}>
            <TextField
              label={`Tiêu chí ${i + 1}`}
              required
              value={c.name}
              onChange={(e) => set(i, { name: e.target.value })}
              error={error?.field(`criteria[${i}].name`)}
            />
            <TextField
              label={`Trọng số tiêu chí ${i + 1}`}
              type="number"
              inputMode="numeric"
              min={1}
              max={100}
              value={c.weight}
              onChange={(e) => set(i, { weight: e.target.value })}
              error={error?.field(`criteria[${i}].weight`)}
            />
            <TextField
              label={`Điểm tối đa tiêu chí ${i + 1}`}
              type="number"
              inputMode="numeric"
              min={1}
              max={1000}
              value={c.maxPoints}
              onChange={(e) => set(i, { maxPoints: e.target.value })}
              error={error?.field(`criteria[${i}].maxPoints`)}
            />
          </div>
        ))}
        <div className="form-actions">
          <button
            type="button"
            className="button secondary"
            onClick={() => setCriteria([...criteria, { name: '', weight: '', maxPoints: '10' }])}
          >
            Thêm tiêu chí
          </button>
          {criteria.length > 1 && (
            <button type="button" className="button ghost" onClick={() => setCriteria(criteria.slice(0, -1))}>
              Bỏ tiêu chí cuối
            </button>
          )}
        </div>
      </fieldset>
      <FormError message={error && (unplaced || !error.fields.length) ? error.message : null} />
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={create.isPending}>
          {create.isPending ? 'Đang tạo…' : 'Tạo hội thi'}
        </button>
      </div>
    </form>
  );
}

function AddEntryForm({ contest, onDone }: { contest: Contest; onDone: () => void }) {
  const queryClient = useQueryClient();
  const [kind, setKind] = useState<Kind>('person');
  const [search, setSearch] = useState('');
  const [subjectId, setSubjectId] = useState('');
  const [title, setTitle] = useState('');
  const candidates = useQuery({
    queryKey: ['contests', contest.id, 'candidates', kind, search],
    queryFn: () =>
      data(
        api.GET('/api/v1/contests/{id}/candidates', {
          params: { path: { id: contest.id }, query: { kind, ...(search ? { q: search } : {}) } },
        }),
      ),
    // While typing a name the last list stays; another kind never shows the previous kind's list.
    placeholderData: (previous, query) => (query?.queryKey[3] === kind ? previous : undefined),
  });
  const add = useMutation({
    mutationFn: () =>
      data(
        api.POST('/api/v1/contests/{id}/entries', {
          params: { path: { id: contest.id } },
          body: { kind, subjectId, ...(title ? { title } : {}) },
        }),
      ),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['contests'] });
      await queryClient.invalidateQueries({ queryKey: ['kpi'] });
      onDone();
    },
  });
  const error = add.error ? asApiError(add.error) : null;
  const options = candidates.data ?? [];
  function submit(event: FormEvent) {
    event.preventDefault();
    add.mutate();
  }
  return (
    <form onSubmit={submit} noValidate>
      <SelectField
        label="Dự thi với tư cách"
        data-autofocus
        value={kind}
        onChange={(e) => {
          setKind(e.target.value as Kind);
          setSubjectId('');
        }}
        error={error?.field('kind')}
      >
        {Object.entries(KINDS).map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </SelectField>
      <TextField
        label="Tìm theo tên"
        type="search"
        value={search}
        onChange={(e) => setSearch(e.target.value)}
        hint={`Chỉ gồm những ai thuộc địa bàn ${contest.unit.fullName} và chương trình, chưa dự thi.`}
      />
      <SelectField
        label="Người, lớp hoặc cơ quan dự thi"
        required
        value={subjectId}
        onChange={(e) => setSubjectId(e.target.value)}
        error={error?.field('subjectId')}
      >
        <option value="">
          {candidates.isPending ? 'Đang tải…' : options.length ? '— Chọn —' : 'Không có ai phù hợp'}
        </option>
        {options.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name} — {c.unit.fullName}
          </option>
        ))}
      </SelectField>
      <TextField
        label="Tên bài dự thi (không bắt buộc)"
        value={title}
        onChange={(e) => setTitle(e.target.value)}
        error={error?.field('title')}
      />
      <FormError message={error && !error.fields.length ? error.message : null} />
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={add.isPending}>
          {add.isPending ? 'Đang thêm…' : 'Thêm bài dự thi'}
        </button>
      </div>
    </form>
  );
}

function ScoreForm({ contest, entry, onDone }: { contest: Contest; entry: Entry; onDone: () => void }) {
  const queryClient = useQueryClient();
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(
      contest.criteria.map((c) => [
        c.id,
        entry.myScores[c.id] === undefined ? '' : String(entry.myScores[c.id]),
      ]),
    ),
  );
  const given = contest.criteria.filter((c) => values[c.id] !== '');
  const score = useMutation({
    mutationFn: () =>
      data(
        api.PUT('/api/v1/contests/{id}/entries/{entryId}/scores', {
          params: { path: { id: contest.id, entryId: entry.id } },
          body: {
            scores: given.map((c) => ({ criterionId: c.id, points: Number(values[c.id].replace(',', '.')) })),
          },
        }),
      ),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['contests'] });
      onDone();
    },
  });
  const error = score.error ? asApiError(score.error) : null;
  function submit(event: FormEvent) {
    event.preventDefault();
    score.mutate();
  }
  return (
    <form onSubmit={submit} noValidate>
      <p>
        Chấm bài của <strong>{entry.name}</strong>
        {entry.title ? ` — ${entry.title}` : ''}. Tổng điểm là trung bình các giám khảo, quy về thang 100 theo
        trọng số.
      </p>
      {contest.criteria.map((c) => {
        const index = given.findIndex((g) => g.id === c.id);
        return (
          <TextField
            key={c.id}
            label={`${c.name} (tối đa ${formatNumber(c.maxPoints)} điểm, trọng số ${c.weight})`}
            inputMode="decimal"
            value={values[c.id]}
            onChange={(e) => setValues({ ...values, [c.id]: e.target.value })}
            error={
              index >= 0
                ? (error?.field(`scores[${index}].points`) ?? error?.field(`scores.${index}.points`))
                : undefined
            }
          />
        );
      })}
      <FormError
        message={error && !given.some((_g, i) => error.field(`scores[${i}].points`)) ? error.message : null}
      />
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={score.isPending || !given.length}>
          {score.isPending ? 'Đang lưu…' : 'Lưu điểm'}
        </button>
      </div>
    </form>
  );
}

function EntriesTable({ contest, onScore }: { contest: Contest; onScore: ((entry: Entry) => void) | null }) {
  const published = contest.status === 'published';
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label="Bài dự thi">
      <table className="data">
        <caption>{published ? 'Kết quả hội thi' : 'Bài dự thi (điểm tạm tính)'}</caption>
        <thead>
          <tr>
            {published && <th scope="col">Hạng</th>}
            <th scope="col">Người, lớp hoặc cơ quan dự thi</th>
            <th scope="col">Loại</th>
            <th scope="col">Đơn vị</th>
            <th scope="col">Số giám khảo</th>
            <th scope="col">Tổng điểm</th>
            {onScore && <th scope="col">Chấm điểm</th>}
          </tr>
        </thead>
        <tbody>
          {contest.entries.map((e) => (
            <tr key={e.id}>
              {published && <td>{e.rank ?? '—'}</td>}
              <th scope="row">
                {e.name}
                {e.winner && (
                  <>
                    {' '}
                    <span className="badge ok">Đạt giải</span>
                  </>
                )}
                {e.title && <div className="muted">{e.title}</div>}
              </th>
              <td>{KINDS[e.kind]}</td>
              <td>{e.unit.fullName}</td>
              <td>{formatNumber(e.judges)}</td>
              <td>{e.scored ? formatPoints(e.total) : 'Chưa chấm đủ'}</td>
              {onScore && (
                <td>
                  <button
                    type="button"
                    className="button small secondary"
                    aria-label={`Chấm điểm ${e.name}`}
                    onClick={() => onScore(e)}
                  >
                    Chấm điểm
                  </button>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ContestDetail({ id }: { id: string }) {
  const queryClient = useQueryClient();
  const [adding, setAdding] = useState(false);
  const [scoring, setScoring] = useState<Entry | null>(null);
  const [confirming, setConfirming] = useState(false);
  const contest = useQuery({
    queryKey: ['contests', id],
    queryFn: () => data(api.GET('/api/v1/contests/{id}', { params: { path: { id } } })),
  });
  const publish = useMutation({
    mutationFn: () => data(api.POST('/api/v1/contests/{id}/publish', { params: { path: { id } } })),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['contests'] });
      await queryClient.invalidateQueries({ queryKey: ['kpi'] });
      setConfirming(false);
    },
  });
  if (contest.isError) return <QueryProblem error={contest.error} onRetry={() => void contest.refetch()} />;
  if (contest.isPending) return <Loading />;
  const c = contest.data;
  const open = c.status === 'open';
  const publishError = publish.error ? asApiError(publish.error) : null;
  return (
    <section aria-labelledby="contest-title" className="card" data-ready="true">
      <h2 id="contest-title">
        {c.name}{' '}
        <span className={open ? 'badge' : 'badge ok'}>{open ? 'Đang chấm' : 'Đã công bố kết quả'}</span>
      </h2>
      {c.description && <p>{c.description}</p>}
      <dl className="facts">
        <dt>Đơn vị tổ chức</dt>
        <dd>{c.unit.fullName}</dd>
        <dt>Kỳ</dt>
        <dd>
          {c.periodLabel} ({formatDay(c.startsOn)} – {formatDay(c.endsOn)})
        </dd>
        <dt>Số giải</dt>
        <dd>{formatNumber(c.winners)}</dd>
        <dt>Tiêu chí</dt>
        <dd>
          <ul>
            {c.criteria.map((k) => (
              <li key={k.id}>
                {k.name}: trọng số {k.weight}, tối đa {formatNumber(k.maxPoints)} điểm
              </li>
            ))}
          </ul>
        </dd>
      </dl>
      {open && c.canJudge && (
        <div className="form-actions">
          <button type="button" className="button secondary" onClick={() => setAdding(true)}>
            Thêm bài dự thi
          </button>
          <button type="button" className="button primary" onClick={() => setConfirming(true)}>
            Công bố kết quả
          </button>
        </div>
      )}
      {c.entries.length ? (
        <EntriesTable contest={c} onScore={open && c.canJudge ? setScoring : null} />
      ) : (
        <Empty>Chưa có bài dự thi nào.</Empty>
      )}
      <Dialog open={adding} title="Thêm bài dự thi" onClose={() => setAdding(false)}>
        {adding && <AddEntryForm contest={c} onDone={() => setAdding(false)} />}
      </Dialog>
      <Dialog open={scoring !== null} title="Chấm điểm" onClose={() => setScoring(null)}>
        {scoring && <ScoreForm contest={c} entry={scoring} onDone={() => setScoring(null)} />}
      </Dialog>
      <Dialog
        open={confirming}
        title="Công bố kết quả"
        onClose={() => {
          setConfirming(false);
          publish.reset();
        }}
      >
        <p>
          Khi công bố, tổng điểm và thứ hạng được chốt; không thể thêm bài hay sửa điểm nữa. Các bài xếp hạng
          từ 1 đến {formatNumber(c.winners)} đạt giải và được tính vào chỉ tiêu &ldquo;Bài đạt giải các hội
          thi&rdquo;.
        </p>
        <FormError message={publishError?.message} />
        <div className="form-actions">
          <button
            type="button"
            className="button primary"
            data-autofocus
            disabled={publish.isPending}
            onClick={() => publish.mutate()}
          >
            {publish.isPending ? 'Đang công bố…' : 'Công bố'}
          </button>
        </div>
      </Dialog>
    </section>
  );
}

function Contests({ campaign }: { campaign: Campaign }) {
  const me = useMe();
  const { params, change } = useCampaign();
  const [offset, setOffset] = useState(0);
  const [creating, setCreating] = useState(false);
  const selected = params.get('contest');
  const list = useQuery({
    queryKey: ['contests', 'list', campaign.programId, campaign.unit, offset],
    queryFn: () =>
      data(
        api.GET('/api/v1/contests', {
          params: { query: { programId: campaign.programId, unit: campaign.unit, limit: 20, offset } },
        }),
      ),
    placeholderData: keepPreviousData,
  });
  const canCreate = hasRole(me.data, 'admin', 'steering');
  if (list.isError) return <QueryProblem error={list.error} onRetry={() => void list.refetch()} />;
  if (list.isPending) return <Loading />;
  return (
    <div data-ready={selected ? undefined : 'true'}>
      {canCreate && (
        <div className="form-actions">
          <button type="button" className="button primary" onClick={() => setCreating(true)}>
            Tạo hội thi
          </button>
        </div>
      )}
      {list.data.items.length ? (
        <div className="table-scroll" tabIndex={0} role="region" aria-label="Các hội thi">
          <table className="data">
            <caption>Các hội thi của đơn vị và các đơn vị trực thuộc</caption>
            <thead>
              <tr>
                <th scope="col">Hội thi</th>
                <th scope="col">Đơn vị tổ chức</th>
                <th scope="col">Kỳ</th>
                <th scope="col">Bài dự thi</th>
                <th scope="col">Tình trạng</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((c) => (
                <tr key={c.id} aria-current={c.id === selected ? 'true' : undefined}>
                  <th scope="row">
                    <button type="button" className="link" onClick={() => change({}, { contest: c.id })}>
                      {c.name}
                    </button>
                  </th>
                  <td>{c.unit.fullName}</td>
                  <td>{c.periodLabel}</td>
                  <td>{formatNumber(c.entryCount)}</td>
                  <td>
                    <span className={c.status === 'open' ? 'badge' : 'badge ok'}>
                      {c.status === 'open' ? 'Đang chấm' : 'Đã công bố'}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <Empty>Chưa có hội thi nào.</Empty>
      )}
      <Pager page={list.data} onChange={setOffset} />
      {selected && <ContestDetail key={selected} id={selected} />}
      <Dialog open={creating} title="Tạo hội thi" onClose={() => setCreating(false)}>
        {creating && (
          <CreateContestForm
            campaign={campaign}
            onDone={(id) => {
              setCreating(false);
              change({}, { contest: id });
            }}
          />
        )}
      </Dialog>
    </div>
  );
}

export default function ContestsPage() {
  return (
    <CampaignPage title="Hội thi" showView={false} showPeriod={false}>
      {(campaign) => <Contests campaign={campaign} />}
    </CampaignPage>
  );
}
