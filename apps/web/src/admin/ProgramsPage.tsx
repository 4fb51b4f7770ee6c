import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, asApiError, data, type ApiError, type Schemas } from '../api';
import { hasRole, useMe } from '../auth';
import { QueryProblem } from '../campaign';
import {
  DateField,
  Dialog,
  Empty,
  formatDay,
  formatNumber,
  FormError,
  Loading,
  Page,
  Pager,
  SelectField,
  TextArea,
  TextField,
} from '../ui';
import './admin.css';

type Program = Schemas['ProgramDto'];

interface PhaseForm {
  name: string;
  startsOn: string;
  endsOn: string;
}
interface LevelForm {
  level: number;
  title: string;
  description: string;
}

/** The program's curriculum has five levels; a new program starts with the campaign's own five. */
const LEVELS = [1, 2, 3, 4, 5];

function ruleText(rule: Program['completionRule']): string {
  return rule.minSessions !== undefined
    ? `Dự ít nhất ${formatNumber(rule.minSessions)} buổi`
    : `Dự ít nhất ${Math.round((rule.minShare ?? 0) * 100)}% số buổi`;
}

/** "12" (sessions) or "67" (%), as typed: a number, or the text itself for the server to refuse. */
function typedNumber(text: string): number {
  const trimmed = text.trim().replace(',', '.');
  return trimmed !== '' && !Number.isNaN(Number(trimmed)) ? Number(trimmed) : (text as never);
}

/** Creates a program, or edits one: name, dates, quota, completion rule, phases and the five levels. */
function ProgramForm({ program, onDone }: { program?: Program; onDone: (message: string) => void }) {
  const queryClient = useQueryClient();
  const rule = program?.completionRule;
  const [form, setForm] = useState({
    code: program?.code ?? '',
    name: program?.name ?? '',
    ownerUnitCode: program?.ownerUnit.code ?? '',
    startsOn: program?.startsOn ?? '',
    endsOn: program?.endsOn ?? '',
    defaultQuota: String(program?.defaultQuota ?? 1500),
    ruleKind: rule?.minShare !== undefined ? 'share' : 'sessions',
    ruleValue:
      rule?.minShare !== undefined ? String(Math.round(rule.minShare * 100)) : String(rule?.minSessions ?? 2),
  });
  const [phases, setPhases] = useState<PhaseForm[]>(
    program?.phases.map((p) => ({ ...p })) ?? [{ name: '', startsOn: '', endsOn: '' }],
  );
  const [levels, setLevels] = useState<LevelForm[]>(() =>
    program
      ? program.levels.map((l) => ({ level: l.level, title: l.title, description: l.description ?? '' }))
      : [],
  );
  const save = useMutation({
    mutationFn: () => {
      const completionRule =
        form.ruleKind === 'share'
          ? { minShare: typedNumber(form.ruleValue) / 100 }
          : { minSessions: typedNumber(form.ruleValue) };
      const body = {
        name: form.name,
        startsOn: form.startsOn,
        endsOn: form.endsOn,
        defaultQuota: typedNumber(form.defaultQuota),
        completionRule,
        phases: phases.filter((p) => p.name || p.startsOn || p.endsOn),
        ...(levels.length
          ? {
              levels: levels.map((l) => ({
                level: l.level,
                title: l.title,
                ...(l.description ? { description: l.description } : {}),
              })),
            }
          : {}),
      };
      return program
        ? data(api.PATCH('/api/v1/programs/{id}', { params: { path: { id: program.id } }, body }))
        : data(
            api.POST('/api/v1/programs', {
              body: { ...body, code: form.code, ownerUnitCode: form.ownerUnitCode },
            }),
          );
    },
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: ['programs'] });
      onDone(program ? `Đã lưu chương trình ${saved.name}.` : `Đã thêm chương trình ${saved.name}.`);
    },
  });
  const error = save.error ? asApiError(save.error) : null;
  const shown = new Set<string>();
  const fieldError = (name: string) => {
    shown.add(name);
    return error?.field(name);
  };
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) => {
    setForm({ ...form, [key]: e.target.value });
  };
  const setPhase = (i: number, patch: Partial<PhaseForm>) =>
    setPhases(phases.map((p, k) => (k === i ? { ...p, ...patch } : p)));
  const setLevel = (i: number, patch: Partial<LevelForm>) =>
    setLevels(levels.map((l, k) => (k === i ? { ...l, ...patch } : l)));
  const fields = (
    <>
      {!program && (
        <div className="form-row">
          <TextField
            label="Mã chương trình"
            required
            hint="Chữ in hoa và chữ số, tối đa 10 ký tự; dùng trong số hiệu giấy chứng nhận (ví dụ TN)."
            data-autofocus
            value={form.code}
            onChange={(e) => setForm({ ...form, code: e.target.value.toUpperCase() })}
            error={fieldError('code')}
          />
          <TextField
            label="Mã đơn vị chủ trì"
            required
            inputMode="numeric"
            hint="Mã tỉnh (2 chữ số) hoặc xã, phường (5 chữ số) trong phạm vi của bạn."
            value={form.ownerUnitCode}
            onChange={set('ownerUnitCode')}
            error={fieldError('ownerUnitCode')}
          />
        </div>
      )}
      <TextField
        label="Tên chương trình"
        required
        value={form.name}
        onChange={set('name')}
        error={fieldError('name')}
      />
      <div className="form-row">
        <DateField
          label="Ngày bắt đầu"
          value={form.startsOn}
          onChange={(v) => setForm({ ...form, startsOn: v })}
          error={fieldError('startsOn')}
        />
        <DateField
          label="Ngày kết thúc"
          value={form.endsOn}
          onChange={(v) => setForm({ ...form, endsOn: v })}
          error={fieldError('endsOn')}
        />
      </div>
      <div className="form-row">
        <TextField
          label="Chỉ tiêu mặc định mỗi giảng viên (người)"
          inputMode="numeric"
          value={form.defaultQuota}
          onChange={set('defaultQuota')}
          error={fieldError('defaultQuota')}
        />
      </div>
      <fieldset>
        <legend>Điều kiện hoàn thành lớp học</legend>
        <div className="form-row">
          <SelectField label="Tính theo" value={form.ruleKind} onChange={set('ruleKind')}>
            <option value="sessions">Số buổi tối thiểu</option>
            <option value="share">Tỷ lệ buổi tối thiểu (%)</option>
          </SelectField>
          <TextField
            label={form.ruleKind === 'share' ? 'Tỷ lệ buổi phải dự (%)' : 'Số buổi phải dự'}
            inputMode="numeric"
            value={form.ruleValue}
            onChange={set('ruleValue')}
            error={
              fieldError('completionRule') ??
              fieldError(form.ruleKind === 'share' ? 'completionRule.minShare' : 'completionRule.minSessions')
            }
          />
        </div>
      </fieldset>
      <fieldset>
        <legend>Các giai đoạn</legend>
        {phases.map((phase, i) => (
          <div key={i} className="split-part">
            <TextField
              label={`Giai đoạn ${i + 1}: tên`}
              value={phase.name}
              onChange={(e) => setPhase(i, { name: e.target.value })}
              error={fieldError(`phases[${i}].name`) ?? fieldError(`phases[${i}]`)}
            />
            <div className="form-row">
              <DateField
                label={`Giai đoạn ${i + 1}: từ ngày`}
                value={phase.startsOn}
                onChange={(v) => setPhase(i, { startsOn: v })}
                error={fieldError(`phases[${i}].startsOn`)}
              />
              <DateField
                label={`Giai đoạn ${i + 1}: đến ngày`}
                value={phase.endsOn}
                onChange={(v) => setPhase(i, { endsOn: v })}
                error={fieldError(`phases[${i}].endsOn`)}
              />
            </div>
            <button
              type="button"
              className="button small secondary"
              onClick={() => setPhases(phases.filter((_p, k) => k !== i))}
            >
              Bỏ giai đoạn {i + 1}
            </button>
          </div>
        ))}
        <div className="form-actions">
          <button
            type="button"
            className="button secondary"
            disabled={phases.length >= 10}
            onClick={() => setPhases([...phases, { name: '', startsOn: '', endsOn: '' }])}
          >
            Thêm giai đoạn
          </button>
        </div>
      </fieldset>
      <fieldset>
        <legend>Các cấp độ bài học</legend>
        {levels.length === 0 ? (
          <p className="muted">
            Chương trình mới dùng 5 cấp độ của Bình dân học AI.{' '}
            <button
              type="button"
              className="button small secondary"
              onClick={() => setLevels(LEVELS.map((level) => ({ level, title: '', description: '' })))}
            >
              Tự đặt tên 5 cấp độ
            </button>
          </p>
        ) : (
          levels.map((l, i) => (
            <div key={l.level} className="split-part">
              <TextField
                label={`Cấp độ ${l.level}: tên bài`}
                value={l.title}
                onChange={(e) => setLevel(i, { title: e.target.value })}
                error={fieldError(`levels[${i}].title`)}
              />
              <TextArea
                label={`Cấp độ ${l.level}: mô tả`}
                rows={2}
                value={l.description}
                onChange={(e) => setLevel(i, { description: e.target.value })}
                error={fieldError(`levels[${i}].description`)}
              />
            </div>
          ))
        )}
        {fieldError('levels') && <FormError message={error?.field('levels')} />}
      </fieldset>
    </>
  );
  return (
    <form
      noValidate
      className="admin-form"
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      {fields}
      <FormError message={otherProblems(error, shown)} />
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={save.isPending}>
          {save.isPending ? 'Đang lưu…' : program ? 'Lưu chương trình' : 'Thêm chương trình'}
        </button>
      </div>
    </form>
  );
}

/** The refusal's message and the reasons of fields the form does not show (listed, so none is lost). */
function otherProblems(error: ApiError | null, shown: Set<string>): string | null {
  if (!error) return null;
  const others = error.fields.filter((f) => !shown.has(f.field));
  if (!others.length) return error.fields.length ? null : error.message;
  return `${error.message} ${others.map((f) => `${f.field}: ${f.reason}`).join('; ')}`;
}

/**
 * The programs (campaigns) and, for administrators and steering members of the owning unit, their settings:
 * dates, the trainer quota, the completion rule, the phases and the five levels. Viewers read them; the
 * server checks who may change which.
 */
export default function ProgramsPage() {
  const me = useMe();
  const canEdit = hasRole(me.data, 'admin', 'steering');
  const [offset, setOffset] = useState(0);
  const [editing, setEditing] = useState<Program | 'new' | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const list = useQuery({
    queryKey: ['programs', 'admin', offset],
    queryFn: () => data(api.GET('/api/v1/programs', { params: { query: { limit: 20, offset } } })),
    placeholderData: keepPreviousData,
  });
  return (
    <Page
      title="Chương trình"
      actions={
        canEdit && (
          <button type="button" className="button primary" onClick={() => setEditing('new')}>
            Thêm chương trình
          </button>
        )
      }
    >
      {done && (
        <p className="notice" role="status">
          {done}
        </p>
      )}
      {list.isError ? (
        <QueryProblem error={list.error} onRetry={() => void list.refetch()} />
      ) : list.isPending ? (
        <Loading />
      ) : !list.data.items.length ? (
        <Empty>Chưa có chương trình nào.</Empty>
      ) : (
        <div data-ready="true">
          <div className="table-scroll" tabIndex={0} role="region" aria-label="Các chương trình">
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">Chương trình</th>
                  <th scope="col">Đơn vị chủ trì</th>
                  <th scope="col">Thời gian</th>
                  <th scope="col" className="num">
                    Chỉ tiêu mỗi giảng viên
                  </th>
                  <th scope="col">Hoàn thành</th>
                  <th scope="col">Giai đoạn</th>
                  {canEdit && <th scope="col">Thao tác</th>}
                </tr>
              </thead>
              <tbody>
                {list.data.items.map((p) => (
                  <tr key={p.id}>
                    <th scope="row">
                      {p.name} <span className="muted">({p.code})</span>
                    </th>
                    <td>{p.ownerUnit.fullName}</td>
                    <td>
                      {formatDay(p.startsOn)} – {formatDay(p.endsOn)}
                    </td>
                    <td className="num">{formatNumber(p.defaultQuota)}</td>
                    <td>{ruleText(p.completionRule)}</td>
                    <td>
                      {p.phases.length ? (
                        <ol className="items">
                          {p.phases.map((phase) => (
                            <li key={phase.name + phase.startsOn}>
                              {phase.name} ({formatDay(phase.startsOn)} – {formatDay(phase.endsOn)})
                            </li>
                          ))}
                        </ol>
                      ) : (
                        <span className="muted">Chưa chia giai đoạn</span>
                      )}
                    </td>
                    {canEdit && (
                      <td>
                        <button
                          type="button"
                          className="button small secondary"
                          aria-label={`Sửa ${p.name}`}
                          onClick={() => {
                            setDone(null);
                            setEditing(p);
                          }}
                        >
                          Sửa
                        </button>
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager page={list.data} onChange={setOffset} />
        </div>
      )}
      <Dialog
        open={editing !== null}
        title={editing === 'new' ? 'Thêm chương trình' : 'Sửa chương trình'}
        onClose={() => setEditing(null)}
      >
        {editing && (
          <ProgramForm
            key={editing === 'new' ? 'new' : editing.id}
            program={editing === 'new' ? undefined : editing}
            onDone={(message) => {
              setEditing(null);
              setDone(message);
            }}
          />
        )}
      </Dialog>
    </Page>
  );
}
