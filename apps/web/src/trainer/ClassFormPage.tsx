import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api, ApiError, data } from '../api';
import { DateField, ErrorState, FormError, Loading, Page, SelectField, TextField, TimeField } from '../ui';
import { MODES, SEGMENTS, VENUES } from './labels';
import { useClass, useMyTrainer, type ClassItem } from './queries';
import { vnClock, vnDay, vnInstant } from './time';

interface SessionRow {
  day: string;
  from: string;
  to: string;
}

interface Form {
  level: string;
  kind: string;
  title: string;
  venueType: string;
  venueAddress: string;
  mode: string;
  capacity: string;
  targetSegment: string;
  sessions: SessionRow[];
}

function addDays(day: string, n: number): string {
  const d = new Date(`${day}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** A new class: level 1 for the people of the commune, two sessions a week apart from tomorrow, 8:00–9:30. */
function defaults(): Form {
  const tomorrow = addDays(vnDay(new Date()), 1);
  return {
    level: '1',
    kind: 'citizen',
    title: '',
    venueType: 'cultural_house',
    venueAddress: '',
    mode: 'in_person',
    capacity: '30',
    targetSegment: '',
    sessions: [
      { day: tomorrow, from: '08:00', to: '09:30' },
      { day: addDays(tomorrow, 7), from: '08:00', to: '09:30' },
    ],
  };
}

function fromClass(c: ClassItem): Form {
  return {
    level: String(c.level),
    kind: c.kind,
    title: c.title,
    venueType: c.venueType,
    venueAddress: c.venueAddress ?? '',
    mode: c.mode,
    capacity: String(c.capacity),
    targetSegment: c.targetSegment ?? '',
    sessions: c.sessions.map((s) => ({
      day: vnDay(s.startsAt),
      from: vnClock(s.startsAt),
      to: vnClock(s.endsAt),
    })),
  };
}

function ClassForm({ initial, existing }: { initial: Form; existing?: ClassItem }) {
  const [form, setForm] = useState(initial);
  const navigate = useNavigate();
  const client = useQueryClient();
  const { program, trainer, isPending } = useMyTrainer();
  const set = (patch: Partial<Form>) => setForm((f) => ({ ...f, ...patch }));
  const setSession = (i: number, patch: Partial<SessionRow>) =>
    set({ sessions: form.sessions.map((s, j) => (j === i ? { ...s, ...patch } : s)) });

  const save = useMutation({
    mutationFn: async () => {
      const sessions = form.sessions.map((s) => ({
        startsAt: vnInstant(s.day, s.from),
        endsAt: vnInstant(s.day, s.to),
      }));
      // An edit sends the sessions only when they changed: the server replaces them (new ids), which it
      // refuses once attendance has been taken.
      const sessionsChanged = !existing || JSON.stringify(form.sessions) !== JSON.stringify(initial.sessions);
      const common = {
        title: form.title,
        venueType: form.venueType,
        ...(form.venueAddress ? { venueAddress: form.venueAddress } : {}),
        mode: form.mode,
        capacity: Number(form.capacity),
        ...(sessionsChanged ? { sessions } : {}),
      };
      if (existing)
        return data(
          api.PATCH('/api/v1/classes/{id}', { params: { path: { id: existing.id } }, body: common as never }),
        );
      if (!program || !trainer)
        throw new ApiError(403, 'NOT_TRAINER', 'Tài khoản chưa gắn với giảng viên nào.');
      return data(
        api.POST('/api/v1/classes', {
          body: {
            ...common,
            programId: program.id,
            level: Number(form.level),
            kind: form.kind as 'citizen',
            leadTrainerId: trainer.id,
            unitCode: trainer.homeUnit.code,
            ...(form.targetSegment ? { targetSegment: form.targetSegment } : {}),
          } as never,
        }),
      );
    },
    onSuccess: (c) => {
      void client.invalidateQueries({ queryKey: ['classes'] });
      void client.invalidateQueries({ queryKey: ['class', c.id] });
      void navigate(`/lop/${c.id}`);
    },
  });
  const problem = save.error ? (save.error instanceof ApiError ? save.error : ApiError.network()) : null;
  const err = (field: string) => problem?.field(field);

  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate();
  }

  if (!existing && isPending) return <Loading />;
  if (!existing && !trainer)
    return (
      <p className="notice">
        Tài khoản của bạn chưa gắn với giảng viên nào của chương trình, nên chưa mở lớp được.
      </p>
    );

  return (
    <form className="class-form" onSubmit={submit} noValidate data-ready="true">
      <TextField
        label="Tên lớp"
        value={form.title}
        required
        onChange={(e) => set({ title: e.target.value })}
        error={err('title')}
        hint="Ví dụ: Lớp Bình dân học AI — thôn Làng Mới"
      />
      {!existing && (
        <div className="form-row">
          <SelectField
            label="Loại lớp"
            value={form.kind}
            onChange={(e) => set({ kind: e.target.value })}
            error={err('kind')}
          >
            <option value="citizen">Lớp cho người dân</option>
            <option value="training_of_trainers">Lớp đào tạo giảng viên</option>
          </SelectField>
          <SelectField
            label="Cấp độ"
            value={form.level}
            onChange={(e) => set({ level: e.target.value })}
            error={err('level')}
          >
            {[1, 2, 3, 4, 5].map((l) => (
              <option key={l} value={l}>
                Cấp độ {l}
              </option>
            ))}
          </SelectField>
        </div>
      )}
      <fieldset className="sessions">
        <legend>Các buổi học</legend>
        {err('sessions') && <p className="field-error">{err('sessions')}</p>}
        {form.sessions.map((s, i) => (
          <div key={i} className="session-row">
            <DateField
              label={`Buổi ${i + 1}: ngày`}
              value={s.day}
              onChange={(day) => setSession(i, { day })}
              error={err(`sessions[${i}].startsAt`)}
            />
            <TimeField label="Từ" value={s.from} onChange={(from) => setSession(i, { from })} />
            <TimeField
              label="Đến"
              value={s.to}
              onChange={(to) => setSession(i, { to })}
              error={err(`sessions[${i}].endsAt`)}
            />
          </div>
        ))}
        <div className="form-actions">
          {form.sessions.length < 4 && (
            <button
              type="button"
              className="button secondary small"
              onClick={() => {
                const last = form.sessions.at(-1)!;
                set({ sessions: [...form.sessions, { ...last, day: addDays(last.day, 7) }] });
              }}
            >
              Thêm buổi
            </button>
          )}
          {form.sessions.length > 2 && (
            <button
              type="button"
              className="button secondary small"
              onClick={() => set({ sessions: form.sessions.slice(0, -1) })}
            >
              Bớt buổi cuối
            </button>
          )}
        </div>
      </fieldset>
      <div className="form-row">
        <SelectField
          label="Địa điểm"
          value={form.venueType}
          onChange={(e) => set({ venueType: e.target.value })}
          error={err('venueType')}
        >
          {Object.entries(VENUES).map(([v, label]) => (
            <option key={v} value={v}>
              {label}
            </option>
          ))}
        </SelectField>
        <SelectField
          label="Hình thức"
          value={form.mode}
          onChange={(e) => set({ mode: e.target.value })}
          error={err('mode')}
        >
          {Object.entries(MODES).map(([v, label]) => (
            <option key={v} value={v}>
              {label}
            </option>
          ))}
        </SelectField>
      </div>
      <TextField
        label="Địa chỉ"
        value={form.venueAddress}
        onChange={(e) => set({ venueAddress: e.target.value })}
        error={err('venueAddress')}
        hint="Ví dụ: Nhà văn hóa xóm Làng Mới"
      />
      <div className="form-row">
        <TextField
          label="Số chỗ"
          type="number"
          inputMode="numeric"
          min={1}
          max={1000}
          value={form.capacity}
          onChange={(e) => set({ capacity: e.target.value })}
          error={err('capacity')}
        />
        {!existing && (
          <SelectField
            label="Đối tượng chính"
            value={form.targetSegment}
            onChange={(e) => set({ targetSegment: e.target.value })}
            error={err('targetSegment')}
          >
            <option value="">Mọi người dân</option>
            {Object.entries(SEGMENTS).map(([v, label]) => (
              <option key={v} value={v}>
                {label}
              </option>
            ))}
          </SelectField>
        )}
      </div>
      <FormError
        message={
          problem && !problem.fields.length
            ? problem.message
            : problem?.fields.length
              ? 'Hãy sửa các ô được đánh dấu.'
              : null
        }
      />
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={save.isPending}>
          {existing ? 'Lưu thay đổi' : 'Mở lớp'}
        </button>
        <Link className="button secondary" to={existing ? `/lop/${existing.id}` : '/lop'}>
          Hủy bỏ
        </Link>
      </div>
    </form>
  );
}

export default function ClassFormPage() {
  const { id } = useParams();
  if (!id)
    return (
      <Page title="Mở lớp mới">
        <ClassForm initial={defaults()} />
      </Page>
    );
  return <EditClass id={id} />;
}

function EditClass({ id }: { id: string }) {
  const c = useClass(id);
  return (
    <Page title="Sửa lớp">
      {c.isPending && <Loading />}
      {c.isError && <ErrorState error={c.error} />}
      {c.data && <ClassForm initial={fromClass(c.data)} existing={c.data} />}
    </Page>
  );
}
