import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent, type ReactNode } from 'react';
import { useSearchParams } from 'react-router';
import { api, asApiError, data, type ApiError, type Schemas } from '../api';
import { QueryProblem } from '../campaign';
import { useChildUnits, useUnit } from '../hierarchy';
import {
  Empty,
  formatDay,
  formatNumber,
  FormError,
  Loading,
  Page,
  SelectField,
  TextField,
  vietnamToday,
} from '../ui';
import { ReorgPreview } from './ReorgPreview';
import './admin.css';

type Unit = Schemas['UnitListItemDto'];
type Preview = Schemas['ReorgPreviewDto'];
type Action = 'merge' | 'split' | 'reparent';
type NewUnit = { code: string; name: string; fullName: string; type: string };

const MERGE_TARGETS = [
  ['sum', 'Cộng chỉ tiêu của các đơn vị cũ'],
  ['resplit', 'Chia lại chỉ tiêu cấp trên theo dân số'],
  ['none', 'Giữ nguyên chỉ tiêu'],
] as const;
const SPLIT_TARGETS = [
  ['population', 'Chia chỉ tiêu theo dân số'],
  ['equal', 'Chia đều chỉ tiêu'],
  ['none', 'Giữ nguyên chỉ tiêu'],
] as const;

const emptyUnit = (type = ''): NewUnit => ({ code: '', name: '', fullName: '', type });

/** The fields the forms show next to their inputs; any other refusal is shown above the buttons. */
function otherError(error: ApiError | null, shown: (field: string) => boolean): string | null {
  if (!error) return null;
  return error.fields.length && error.fields.every((f) => shown(f.field)) ? null : error.message;
}

function NewUnitFields({
  value,
  onChange,
  error,
  prefix,
  legend,
}: {
  value: NewUnit;
  onChange: (v: NewUnit) => void;
  error: ApiError | null;
  prefix: string;
  legend: string;
}) {
  const set = (key: keyof NewUnit) => (e: { target: { value: string } }) =>
    onChange({ ...value, [key]: e.target.value });
  return (
    <fieldset className="split-part">
      <legend>{legend}</legend>
      <div className="form-row four">
        <TextField
          label="Mã"
          inputMode="numeric"
          required
          value={value.code}
          onChange={set('code')}
          error={error?.field(`${prefix}.code`)}
        />
        <TextField
          label="Tên"
          required
          value={value.name}
          onChange={set('name')}
          error={error?.field(`${prefix}.name`)}
        />
        <TextField
          label="Tên đầy đủ"
          required
          value={value.fullName}
          onChange={set('fullName')}
          error={error?.field(`${prefix}.fullName`)}
        />
        <TextField
          label="Loại"
          required
          value={value.type}
          onChange={set('type')}
          error={error?.field(`${prefix}.type`)}
        />
      </div>
    </fieldset>
  );
}

/**
 * A reorganisation form: the administrator fills it in, sees the preview of how figures move, and only then
 * confirms. Any change to the form drops the preview, so what is confirmed is what was previewed.
 */
function ReorgForm({
  children,
  previewFn,
  applyFn,
  confirmLabel,
  onDone,
  shown,
}: {
  children: (error: ApiError | null, touch: () => void) => ReactNode;
  previewFn: () => Promise<Preview>;
  applyFn: () => Promise<unknown>;
  confirmLabel: string;
  onDone: () => void;
  shown: (field: string) => boolean;
}) {
  const queryClient = useQueryClient();
  const preview = useMutation({ mutationFn: previewFn });
  const apply = useMutation({
    mutationFn: applyFn,
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['units'] });
      await queryClient.invalidateQueries({ queryKey: ['unit'] });
      await queryClient.invalidateQueries({ queryKey: ['kpi'] });
      onDone();
    },
  });
  const error = apply.error ? asApiError(apply.error) : preview.error ? asApiError(preview.error) : null;
  const touch = () => {
    preview.reset();
    apply.reset();
  };
  return (
    <form
      className="admin-form"
      noValidate
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        apply.reset();
        preview.mutate();
      }}
    >
      {children(error, touch)}
      <FormError message={otherError(error, shown)} />
      <div className="form-actions">
        <button type="submit" className="button secondary" disabled={preview.isPending}>
          {preview.isPending ? 'Đang tính…' : 'Xem trước số liệu'}
        </button>
        {preview.data && (
          <button
            type="button"
            className="button primary"
            disabled={apply.isPending}
            onClick={() => apply.mutate()}
          >
            {apply.isPending ? 'Đang áp dụng…' : confirmLabel}
          </button>
        )}
      </div>
      {preview.data && <ReorgPreview preview={preview.data} />}
    </form>
  );
}

function DateField({
  value,
  onChange,
  error,
}: {
  value: string;
  onChange: (v: string) => void;
  error?: string;
}) {
  return (
    <TextField
      label="Ngày hiệu lực"
      type="date"
      required
      hint="Từ ngày này đơn vị cũ hết hiệu lực; số liệu trước ngày này vẫn xem được như lúc ghi nhận."
      value={value}
      onChange={(e) => onChange(e.target.value)}
      error={error}
    />
  );
}

/** The effective date and how the targets of running periods follow, as merge and split both ask. */
function DateAndTargets({
  date,
  targets,
  rules,
  error,
  onChange,
}: {
  date: string;
  targets: string;
  rules: readonly (readonly [string, string])[];
  error: ApiError | null;
  onChange: (next: { date?: string; targets?: string }) => void;
}) {
  return (
    <div className="form-row">
      <DateField value={date} error={error?.field('effectiveDate')} onChange={(v) => onChange({ date: v })} />
      <SelectField
        label="Chỉ tiêu của các kỳ đang chạy"
        value={targets}
        onChange={(e) => onChange({ targets: e.target.value })}
      >
        {rules.map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </SelectField>
    </div>
  );
}

function MergeForm({
  units,
  parent,
  onDone,
}: {
  units: Unit[];
  parent: string | null;
  onDone: (m: string) => void;
}) {
  const [keep, setKeep] = useState(units[0].code);
  const [mode, setMode] = useState<'existing' | 'new'>('existing');
  const [unit, setUnit] = useState<NewUnit>(emptyUnit(units[0].type));
  const [date, setDate] = useState(vietnamToday());
  const [targets, setTargets] = useState<(typeof MERGE_TARGETS)[number][0]>('sum');
  const body = (): Schemas['MergeUnitsDto'] =>
    mode === 'existing'
      ? {
          sources: units.map((u) => u.code).filter((c) => c !== keep),
          into: { code: keep },
          effectiveDate: date,
          targets,
        }
      : {
          sources: units.map((u) => u.code),
          into: { ...unit, ...(parent ? { parentCode: parent } : {}) },
          effectiveDate: date,
          targets,
        };
  const kept = () => (mode === 'existing' ? units.find((u) => u.code === keep)!.fullName : unit.fullName);
  return (
    <ReorgForm
      previewFn={() => data(api.POST('/api/v1/units/merge/preview', { body: body() }))}
      applyFn={() => data(api.POST('/api/v1/units/merge', { body: body() }))}
      confirmLabel="Xác nhận sáp nhập"
      onDone={() => onDone(`Đã sáp nhập ${units.map((u) => u.fullName).join(', ')} thành ${kept()}.`)}
      shown={(f) => f === 'effectiveDate' || f.startsWith('into.')}
    >
      {(error, touch) => (
        <>
          <p>
            Sáp nhập: <strong>{units.map((u) => u.fullName).join(', ')}</strong>.
          </p>
          <fieldset className="checks">
            <legend>Đơn vị sau sáp nhập</legend>
            <label>
              <input
                type="radio"
                name="merge-mode"
                checked={mode === 'existing'}
                onChange={() => {
                  setMode('existing');
                  touch();
                }}
              />
              Giữ một đơn vị đang có
            </label>
            <label>
              <input
                type="radio"
                name="merge-mode"
                checked={mode === 'new'}
                onChange={() => {
                  setMode('new');
                  touch();
                }}
              />
              Thành lập đơn vị mới
            </label>
          </fieldset>
          {mode === 'existing' ? (
            <SelectField
              label="Đơn vị nhận sáp nhập"
              value={keep}
              onChange={(e) => {
                setKeep(e.target.value);
                touch();
              }}
              error={error?.field('into.code')}
            >
              {units.map((u) => (
                <option key={u.code} value={u.code}>
                  {u.fullName} ({u.code})
                </option>
              ))}
            </SelectField>
          ) : (
            <NewUnitFields
              legend="Đơn vị mới"
              prefix="into"
              value={unit}
              error={error}
              onChange={(v) => {
                setUnit(v);
                touch();
              }}
            />
          )}
          <DateAndTargets
            date={date}
            targets={targets}
            rules={MERGE_TARGETS}
            error={error}
            onChange={(next) => {
              if (next.date !== undefined) setDate(next.date);
              if (next.targets !== undefined) setTargets(next.targets as typeof targets);
              touch();
            }}
          />
        </>
      )}
    </ReorgForm>
  );
}

function SplitForm({ unit, onDone }: { unit: Unit; onDone: (m: string) => void }) {
  const [parts, setParts] = useState<NewUnit[]>([emptyUnit(unit.type), emptyUnit(unit.type)]);
  const [date, setDate] = useState(vietnamToday());
  const [targets, setTargets] = useState<(typeof SPLIT_TARGETS)[number][0]>('population');
  const body = (): Schemas['SplitUnitDto'] => ({ parts, effectiveDate: date, targets });
  const path = { params: { path: { code: unit.code } } };
  return (
    <ReorgForm
      previewFn={() => data(api.POST('/api/v1/units/{code}/split/preview', { ...path, body: body() }))}
      applyFn={() => data(api.POST('/api/v1/units/{code}/split', { ...path, body: body() }))}
      confirmLabel="Xác nhận chia tách"
      onDone={() => onDone(`Đã chia tách ${unit.fullName} thành ${parts.map((p) => p.fullName).join(', ')}.`)}
      shown={(f) => f === 'effectiveDate' || /^parts\[\d+\]\./.test(f)}
    >
      {(error, touch) => (
        <>
          <p>
            Chia tách <strong>{unit.fullName}</strong> thành các đơn vị mới:
          </p>
          {parts.map((part, i) => (
            <NewUnitFields
              key={i}
              legend={`Đơn vị mới thứ ${i + 1}`}
              prefix={`parts[${i}]`}
              value={part}
              error={error}
              onChange={(v) => {
                setParts(parts.map((p, j) => (j === i ? v : p)));
                touch();
              }}
            />
          ))}
          <div className="form-actions">
            <button
              type="button"
              className="button ghost small"
              onClick={() => {
                setParts([...parts, emptyUnit(unit.type)]);
                touch();
              }}
            >
              Thêm đơn vị mới
            </button>
            {parts.length > 2 && (
              <button
                type="button"
                className="button ghost small"
                onClick={() => {
                  setParts(parts.slice(0, -1));
                  touch();
                }}
              >
                Bớt đơn vị cuối
              </button>
            )}
          </div>
          <DateAndTargets
            date={date}
            targets={targets}
            rules={SPLIT_TARGETS}
            error={error}
            onChange={(next) => {
              if (next.date !== undefined) setDate(next.date);
              if (next.targets !== undefined) setTargets(next.targets as typeof targets);
              touch();
            }}
          />
        </>
      )}
    </ReorgForm>
  );
}

function ReparentForm({ unit, onDone }: { unit: Unit; onDone: (m: string) => void }) {
  const [parentCode, setParentCode] = useState('');
  const [date, setDate] = useState(vietnamToday());
  const body = (): Schemas['ReparentUnitDto'] => ({ parentCode, effectiveDate: date });
  const path = { params: { path: { code: unit.code } } };
  return (
    <ReorgForm
      previewFn={() => data(api.POST('/api/v1/units/{code}/reparent/preview', { ...path, body: body() }))}
      applyFn={() => data(api.POST('/api/v1/units/{code}/reparent', { ...path, body: body() }))}
      confirmLabel="Xác nhận chuyển"
      onDone={() => onDone(`Đã chuyển ${unit.fullName} sang trực thuộc đơn vị mã ${parentCode}.`)}
      shown={(f) => f === 'effectiveDate' || f === 'parentCode'}
    >
      {(error, touch) => (
        <>
          <p>
            Chuyển <strong>{unit.fullName}</strong> (đang trực thuộc {unit.parentFullName ?? 'cấp trung ương'}
            ) sang trực thuộc đơn vị khác.
          </p>
          <div className="form-row">
            <TextField
              label="Mã đơn vị cấp trên mới"
              inputMode="numeric"
              required
              hint="Ví dụ 19 cho Tỉnh Thái Nguyên."
              value={parentCode}
              onChange={(e) => {
                setParentCode(e.target.value);
                touch();
              }}
              error={error?.field('parentCode')}
            />
            <DateField
              value={date}
              error={error?.field('effectiveDate')}
              onChange={(v) => {
                setDate(v);
                touch();
              }}
            />
          </div>
        </>
      )}
    </ReorgForm>
  );
}

const TITLES: Record<Action, string> = {
  merge: 'Sáp nhập đơn vị',
  split: 'Chia tách đơn vị',
  reparent: 'Chuyển đơn vị cấp trên',
};

/**
 * The administrative units: browse the tree, and merge, split or move units after a preview of how the
 * figures move (administrators only; the server refuses anyone else).
 */
export default function UnitsPage() {
  const [params, setParams] = useSearchParams();
  const parent = params.get('cha');
  const detail = useUnit(parent ?? undefined);
  const children = useChildUnits(parent);
  const [selected, setSelected] = useState<string[]>([]);
  const [action, setAction] = useState<Action | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const open = (code: string | null) => {
    setSelected([]);
    setDone(null);
    setParams(code ? { cha: code } : {});
  };
  const items = children.data?.items ?? [];
  const chosen = items.filter((u) => selected.includes(u.code));
  const chain = detail.data ? [...detail.data.ancestors, detail.data] : [];
  const finish = (message: string) => {
    setAction(null);
    setSelected([]);
    setDone(message);
  };
  return (
    <Page title="Đơn vị hành chính">
      <nav aria-label="Đơn vị đang xem" className="breadcrumbs">
        <ol>
          <li>
            {parent ? (
              <button type="button" className="link" onClick={() => open(null)}>
                Cả nước
              </button>
            ) : (
              <span aria-current="page">Cả nước</span>
            )}
          </li>
          {chain.map((u, i) => (
            <li key={u.code}>
              {i === chain.length - 1 ? (
                <span aria-current="page">{u.fullName}</span>
              ) : (
                <button type="button" className="link" onClick={() => open(u.code)}>
                  {u.fullName}
                </button>
              )}
            </li>
          ))}
        </ol>
      </nav>
      {done && (
        <p className="notice" role="status">
          {done}
        </p>
      )}
      <div className="unit-actions" role="group" aria-label="Thao tác với các đơn vị đã chọn">
        <button
          type="button"
          className="button primary"
          disabled={chosen.length < 2}
          onClick={() => setAction('merge')}
        >
          Sáp nhập{chosen.length >= 2 ? ` ${chosen.length} đơn vị` : ''}
        </button>
        <button
          type="button"
          className="button secondary"
          disabled={chosen.length !== 1}
          onClick={() => setAction('split')}
        >
          Chia tách
        </button>
        <button
          type="button"
          className="button secondary"
          disabled={chosen.length !== 1}
          onClick={() => setAction('reparent')}
        >
          Chuyển cấp trên
        </button>
      </div>
      <p className="muted" id="unit-select-hint">
        Chọn hai đơn vị trở lên để sáp nhập, hoặc một đơn vị để chia tách hay chuyển sang đơn vị cấp trên
        khác.
      </p>
      {action && (
        <section className="table-block reorg-form" aria-labelledby="reorg-title">
          <h2 id="reorg-title">{TITLES[action]}</h2>
          {action === 'merge' && chosen.length >= 2 && (
            <MergeForm units={chosen} parent={parent} onDone={finish} />
          )}
          {action === 'split' && chosen.length === 1 && <SplitForm unit={chosen[0]} onDone={finish} />}
          {action === 'reparent' && chosen.length === 1 && <ReparentForm unit={chosen[0]} onDone={finish} />}
          <div className="form-actions">
            <button type="button" className="button ghost" onClick={() => setAction(null)}>
              Hủy
            </button>
          </div>
        </section>
      )}
      {children.isError ? (
        <QueryProblem error={children.error} onRetry={() => void children.refetch()} />
      ) : children.isPending ? (
        <Loading />
      ) : !items.length ? (
        <Empty>Đơn vị này không có đơn vị trực thuộc.</Empty>
      ) : (
        <div data-ready="true">
          <p className="muted">{formatNumber(items.length)} đơn vị đang có hiệu lực.</p>
          <div className="table-scroll" tabIndex={0} role="region" aria-label="Đơn vị trực thuộc">
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">Chọn</th>
                  <th scope="col">Mã</th>
                  <th scope="col">Tên đơn vị</th>
                  <th scope="col" className="num">
                    Trực thuộc
                  </th>
                  <th scope="col">Hiệu lực từ</th>
                </tr>
              </thead>
              <tbody>
                {items.map((u) => (
                  <tr key={u.code}>
                    <td>
                      <input
                        type="checkbox"
                        aria-label={`Chọn ${u.fullName}`}
                        aria-describedby="unit-select-hint"
                        checked={selected.includes(u.code)}
                        onChange={(e) =>
                          setSelected(
                            e.target.checked ? [...selected, u.code] : selected.filter((c) => c !== u.code),
                          )
                        }
                      />
                    </td>
                    <td className="mono">{u.code}</td>
                    <th scope="row">
                      {u.childCount > 0 ? (
                        <button type="button" className="link" onClick={() => open(u.code)}>
                          {u.fullName}
                        </button>
                      ) : (
                        u.fullName
                      )}
                    </th>
                    <td className="num">{u.childCount ? formatNumber(u.childCount) : '—'}</td>
                    <td>{formatDay(u.validFrom)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
    </Page>
  );
}
