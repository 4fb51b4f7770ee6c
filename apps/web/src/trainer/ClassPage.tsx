import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { api, asApiError, data, download } from '../api';
import {
  Dialog,
  Empty,
  ErrorState,
  ExcelFileField,
  FormError,
  Loading,
  Page,
  SearchForm,
  SelectField,
  TextField,
} from '../ui';
import { CLASS_KIND, CLASS_STATUS, MODES, SEGMENTS, VENUES } from './labels';
import { keptPeople, searchKept, type KeptPerson, type PersonHit } from './offline-people';
import { queueWalkIn, type OutboxWalkIn } from './outbox';
import { PendingEnrolments, SimilarPeople } from './PendingEnrolments';
import { useClass, useEnrolments, type ClassItem, type Enrolment } from './queries';
import { syncNow, useSyncState } from './sync';
import { span, vnWeekday } from './time';

const NEXT: Record<string, { status: string; label: string }[]> = {
  draft: [{ status: 'scheduled', label: 'Lên lịch' }],
  scheduled: [{ status: 'in_progress', label: 'Bắt đầu lớp' }],
  in_progress: [{ status: 'completed', label: 'Kết thúc lớp' }],
  completed: [],
  cancelled: [],
};

function useInvalidate(id: string) {
  const client = useQueryClient();
  return () => {
    void client.invalidateQueries({ queryKey: ['class', id] });
    void client.invalidateQueries({ queryKey: ['classes'] });
  };
}

function StatusActions({ c }: { c: ClassItem }) {
  const refresh = useInvalidate(c.id);
  const [confirmCancel, setConfirmCancel] = useState(false);
  const change = useMutation({
    mutationFn: (status: string) =>
      data(
        api.POST('/api/v1/classes/{id}/status', {
          params: { path: { id: c.id } },
          body: { status: status as 'scheduled' },
        }),
      ),
    onSuccess: () => {
      setConfirmCancel(false);
      refresh();
    },
  });
  return (
    <div className="form-actions">
      {NEXT[c.status]?.map((n) => (
        <button
          key={n.status}
          type="button"
          className="button primary"
          disabled={change.isPending}
          onClick={() => change.mutate(n.status)}
        >
          {n.label}
        </button>
      ))}
      {c.status !== 'completed' && c.status !== 'cancelled' && (
        <>
          <Link className="button secondary" to={`/lop/${c.id}/sua`}>
            Sửa lớp
          </Link>
          <button type="button" className="button danger" onClick={() => setConfirmCancel(true)}>
            Hủy lớp
          </button>
        </>
      )}
      {change.isError && <FormError message={asApiError(change.error).message} />}
      <Dialog open={confirmCancel} title="Hủy lớp này?" onClose={() => setConfirmCancel(false)}>
        <p>Lớp bị hủy không còn điểm danh được. Học viên và điểm danh đã có vẫn được giữ.</p>
        <div className="form-actions">
          <button
            type="button"
            className="button danger"
            data-autofocus
            onClick={() => change.mutate('cancelled')}
          >
            Hủy lớp
          </button>
          <button type="button" className="button secondary" onClick={() => setConfirmCancel(false)}>
            Không hủy
          </button>
        </div>
      </Dialog>
    </div>
  );
}

function WalkInForm({ classId, onDone }: { classId: string; onDone: () => void }) {
  const [fullName, setFullName] = useState('');
  const [birthYear, setBirthYear] = useState('');
  const [phone, setPhone] = useState('');
  const [problem, setProblem] = useState<Record<string, string>>({});
  async function submit(event: FormEvent) {
    event.preventDefault();
    const year = Number(birthYear);
    const errors: Record<string, string> = {};
    if (fullName.trim().length < 2) errors.fullName = 'Hãy nhập họ và tên';
    if (!Number.isInteger(year) || year < 1900 || year > new Date().getFullYear())
      errors.birthYear = 'Năm sinh gồm 4 chữ số, ví dụ 1975';
    setProblem(errors);
    if (Object.keys(errors).length) return;
    await queueWalkIn({
      classId,
      fullName: fullName.trim().normalize('NFC'),
      birthYear: year,
      ...(phone.trim() ? { phone: phone.trim() } : {}),
    });
    setFullName('');
    setBirthYear('');
    setPhone('');
    void syncNow();
    onDone();
  }
  return (
    <form onSubmit={(e) => void submit(e)} noValidate className="walkin-form">
      <p className="muted">
        Ghi nhanh người đến trực tiếp; bổ sung thông tin sau. Dùng được cả khi không có mạng.
      </p>
      <TextField
        label="Họ và tên"
        value={fullName}
        onChange={(e) => setFullName(e.target.value)}
        error={problem.fullName}
        autoComplete="off"
      />
      <div className="form-row">
        <TextField
          label="Năm sinh"
          inputMode="numeric"
          value={birthYear}
          onChange={(e) => setBirthYear(e.target.value)}
          error={problem.birthYear}
        />
        <TextField
          label="Số điện thoại (không bắt buộc)"
          type="tel"
          value={phone}
          onChange={(e) => setPhone(e.target.value)}
        />
      </div>
      <button type="submit" className="button primary">
        Thêm người đến trực tiếp
      </button>
    </form>
  );
}

function PersonSearch({ c, onDone }: { c: ClassItem; onDone: () => void }) {
  const classId = c.id;
  const client = useQueryClient();
  const [term, setTerm] = useState('');
  const [queued, setQueued] = useState<string | null>(null);
  const online = useSyncState().online;
  const found = useQuery({
    queryKey: ['people', 'search', term],
    enabled: term.length >= 2 && online,
    queryFn: () => data(api.GET('/api/v1/people', { params: { query: { q: term, limit: 20 } } })),
  });
  // Offline: the people the phone already knows (the kept rosters, this visit's searches).
  const kept = useQuery({
    queryKey: ['people', 'kept', term],
    enabled: term.length >= 2 && !online,
    queryFn: async () => searchKept(await keptPeople(client), term),
    gcTime: 0,
  });
  const enrol = useMutation({
    mutationFn: (personId: string) =>
      data(
        api.POST('/api/v1/classes/{id}/enrolments', {
          params: { path: { id: classId } },
          body: { personId },
        }),
      ),
    onSuccess: onDone,
  });
  async function enrolOffline(p: KeptPerson) {
    await queueWalkIn({
      mode: 'enrol',
      classId,
      fullName: p.fullName,
      birthYear: p.birthYear,
      existingPersonId: p.id,
    });
    setQueued(p.fullName);
  }
  const hits: PersonHit[] = online
    ? ((found.data?.items as PersonHit[] | undefined) ?? [])
    : (kept.data ?? []).map((p) => ({ ...p, commune: { fullName: p.commune } }));
  const answered = online ? found.data : kept.data;
  return (
    <div>
      <SearchForm
        label="Tìm theo tên, số điện thoại hoặc CCCD"
        onSearch={(term) => {
          setQueued(null);
          setTerm(term);
        }}
      />
      {!online && (
        <p className="muted">
          Đang ngoại tuyến: tìm trong những người điện thoại đã lưu (danh sách lớp đã mở). Việc ghi danh được
          gửi khi có mạng.
        </p>
      )}
      {found.isFetching && <Loading label="Đang tìm…" />}
      {found.isError && online && <ErrorState error={found.error} />}
      {answered && !hits.length && <Empty>Không tìm thấy ai. Hãy đăng ký người mới.</Empty>}
      {hits.length > 0 && (
        <ul className="hits">
          {hits.map((p) => (
            <li key={p.id}>
              <span>
                <strong>{p.fullName}</strong> ({p.birthYear}) — {p.commune.fullName}
                {p.phone ? ` · ${p.phone}` : ''}
              </span>
              <button
                type="button"
                className="button small"
                disabled={enrol.isPending}
                onClick={() =>
                  online ? enrol.mutate(p.id) : void enrolOffline({ ...p, commune: p.commune.fullName })
                }
              >
                Ghi danh <span className="sr-only">{p.fullName}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {queued && (
        <p role="status" className="notice">
          Đã ghi danh {queued} trên điện thoại; sẽ gửi lên máy chủ khi có mạng.
        </p>
      )}
      {enrol.isError && (
        <FormError message={asApiError(enrol.error).fields[0]?.reason ?? asApiError(enrol.error).message} />
      )}
    </div>
  );
}

interface NewPerson {
  fullName: string;
  birthYear: string;
  gender: string;
  phone: string;
  cccd: string;
  segment: string;
}

function RegisterForm({ c, onDone }: { c: ClassItem; onDone: () => void }) {
  const empty: NewPerson = {
    fullName: '',
    birthYear: '',
    gender: 'female',
    phone: '',
    cccd: '',
    segment: c.targetSegment ?? 'farmer',
  };
  const [form, setForm] = useState(empty);
  const [similar, setSimilar] = useState<PersonHit[] | null>(null);
  const [queued, setQueued] = useState<string | null>(null);
  const [local, setLocal] = useState<Record<string, string>>({});
  const set = (patch: Partial<NewPerson>) => {
    setForm((f) => ({ ...f, ...patch }));
    setSimilar(null);
  };
  const save = useMutation({
    mutationFn: (body: { personId?: string }) =>
      data(
        api.POST('/api/v1/classes/{id}/enrolments', {
          params: { path: { id: c.id } },
          body: body.personId
            ? { personId: body.personId }
            : {
                person: {
                  fullName: form.fullName,
                  birthYear: Number(form.birthYear),
                  gender: form.gender as 'female',
                  communeCode: c.unit.code,
                  segment: form.segment,
                  ...(form.phone ? { phone: form.phone } : {}),
                  ...(form.cccd ? { cccd: form.cccd } : {}),
                },
              },
        }),
      ),
    onSuccess: () => {
      setForm(empty);
      setSimilar(null);
      onDone();
    },
  });
  const problem = save.error ? asApiError(save.error) : null;
  const err = (f: string) => local[f] ?? problem?.field(`person.${f}`) ?? problem?.field(f);

  /**
   * Offline the registration waits in the outbox, complete; the duplicate check runs when it is sent, and
   * likely duplicates are shown then for the trainer to choose.
   */
  async function queueOffline() {
    const year = Number(form.birthYear);
    const errors: Record<string, string> = {};
    if (form.fullName.trim().length < 2) errors.fullName = 'Hãy nhập họ và tên';
    if (!Number.isInteger(year) || year < 1900 || year > new Date().getFullYear())
      errors.birthYear = 'Năm sinh gồm 4 chữ số, ví dụ 1975';
    if (form.cccd && !/^\d{12}$/.test(form.cccd.replace(/\s/g, ''))) errors.cccd = 'Số CCCD gồm 12 chữ số';
    setLocal(errors);
    if (Object.keys(errors).length) return;
    const fullName = form.fullName.trim().normalize('NFC');
    await queueWalkIn({
      mode: 'register',
      classId: c.id,
      fullName,
      birthYear: year,
      ...(form.phone.trim() ? { phone: form.phone.trim() } : {}),
      person: {
        gender: form.gender as 'female',
        communeCode: c.unit.code,
        segment: form.segment,
        ...(form.cccd.trim() ? { cccd: form.cccd.replace(/\s/g, '') } : {}),
      },
    });
    setForm(empty);
    setQueued(fullName);
  }

  /** The people rules' duplicates (same CCCD, same phone, same name and birth year in the commune), looked up before saving. */
  async function check(event: FormEvent) {
    event.preventDefault();
    setQueued(null);
    if (!navigator.onLine) return queueOffline();
    if (similar) return save.mutate({});
    const terms = [form.cccd, form.phone, form.fullName].map((t) => t.trim()).filter((t) => t.length >= 2);
    const hits = new Map<string, PersonHit>();
    for (const q of terms) {
      try {
        const page = await data(api.GET('/api/v1/people', { params: { query: { q, limit: 10 } } }));
        for (const p of page.items as PersonHit[]) {
          const sameName =
            q === form.fullName.trim() &&
            p.birthYear === Number(form.birthYear) &&
            p.commune.fullName === c.unit.fullName;
          if (q !== form.fullName.trim() || sameName) hits.set(p.id, p);
        }
      } catch {
        // Offline or refused: the server still checks CCCD on saving.
      }
    }
    if (hits.size) setSimilar([...hits.values()]);
    else save.mutate({});
  }

  return (
    <form onSubmit={(e) => void check(e)} noValidate>
      <TextField
        label="Họ và tên"
        value={form.fullName}
        onChange={(e) => set({ fullName: e.target.value })}
        error={err('fullName')}
        autoComplete="off"
      />
      <div className="form-row">
        <TextField
          label="Năm sinh"
          inputMode="numeric"
          value={form.birthYear}
          onChange={(e) => set({ birthYear: e.target.value })}
          error={err('birthYear')}
        />
        <SelectField label="Giới tính" value={form.gender} onChange={(e) => set({ gender: e.target.value })}>
          <option value="female">Nữ</option>
          <option value="male">Nam</option>
          <option value="other">Khác</option>
        </SelectField>
      </div>
      <div className="form-row">
        <TextField
          label="Số điện thoại"
          type="tel"
          value={form.phone}
          onChange={(e) => set({ phone: e.target.value })}
          error={err('phone')}
        />
        <TextField
          label="Số CCCD"
          inputMode="numeric"
          value={form.cccd}
          onChange={(e) => set({ cccd: e.target.value })}
          error={err('cccd')}
        />
      </div>
      <SelectField
        label="Đối tượng"
        value={form.segment}
        onChange={(e) => set({ segment: e.target.value })}
        error={err('segment')}
      >
        {Object.entries(SEGMENTS).map(([v, label]) => (
          <option key={v} value={v}>
            {label}
          </option>
        ))}
      </SelectField>
      {similar && (
        <div className="notice warn" role="alert">
          <p>
            <strong>Có thể người này đã có hồ sơ</strong> (cùng CCCD, cùng số điện thoại, hoặc cùng họ tên,
            năm sinh và xã):
          </p>
          <SimilarPeople people={similar} onChoose={(personId) => save.mutate({ personId })} />
        </div>
      )}
      <FormError message={problem && !problem.fields.length ? problem.message : null} />
      {queued && (
        <p role="status" className="notice">
          Đã lưu {queued} trên điện thoại; khi có mạng sẽ kiểm tra trùng lặp và gửi lên máy chủ.
        </p>
      )}
      <button type="submit" className="button primary" disabled={save.isPending}>
        {similar ? 'Vẫn đăng ký người mới' : 'Đăng ký và ghi danh'}
      </button>
    </form>
  );
}

function Outcome({ classId, e }: { classId: string; e: Enrolment }) {
  const refresh = useInvalidate(classId);
  const [score, setScore] = useState(e.score === null ? '' : String(e.score));
  const save = useMutation({
    mutationFn: (body: { canApplyAiTool?: boolean | null; score?: number | null }) =>
      data(
        api.PATCH('/api/v1/classes/{id}/enrolments/{enrolmentId}', {
          params: { path: { id: classId, enrolmentId: e.id } },
          body,
        }),
      ),
    onSuccess: refresh,
  });
  return (
    <div className="outcome">
      <label className="check">
        <input
          type="checkbox"
          checked={!!e.canApplyAiTool}
          onChange={(ev) => save.mutate({ canApplyAiTool: ev.target.checked })}
        />
        Ứng dụng được ít nhất một công cụ AI
      </label>
      <TextField
        label="Điểm (không bắt buộc)"
        inputMode="decimal"
        value={score}
        onChange={(ev) => setScore(ev.target.value)}
        onBlur={() => {
          const value = score.trim() === '' ? null : Number(score.replace(',', '.'));
          if (value !== e.score) save.mutate({ score: value });
        }}
        error={save.error ? asApiError(save.error).field('score') : undefined}
      />
    </div>
  );
}

function Roster({ c }: { c: ClassItem }) {
  const enrolments = useEnrolments(c.id);
  const refresh = useInvalidate(c.id);
  const sync = useSyncState();
  const [adding, setAdding] = useState<'search' | 'walkin' | 'new' | null>(null);
  const localWalkIns = sync.items.filter(
    (i): i is OutboxWalkIn => i.kind === 'walkin' && i.classId === c.id && (!i.sent || !!i.error),
  );
  const open = c.status !== 'completed' && c.status !== 'cancelled';
  return (
    <section aria-labelledby="roster-h">
      <h2 id="roster-h">Học viên ({enrolments.data?.length ?? c.enrolledCount})</h2>
      {open && (
        <div className="form-actions">
          <button
            type="button"
            className="button secondary"
            aria-expanded={adding === 'search'}
            onClick={() => setAdding(adding === 'search' ? null : 'search')}
          >
            Tìm và ghi danh
          </button>
          <button
            type="button"
            className="button secondary"
            aria-expanded={adding === 'walkin'}
            onClick={() => setAdding(adding === 'walkin' ? null : 'walkin')}
          >
            Người đến trực tiếp
          </button>
          <button
            type="button"
            className="button secondary"
            aria-expanded={adding === 'new'}
            onClick={() => setAdding(adding === 'new' ? null : 'new')}
          >
            Đăng ký người mới
          </button>
        </div>
      )}
      {adding === 'search' && <PersonSearch c={c} onDone={refresh} />}
      {adding === 'walkin' && <WalkInForm classId={c.id} onDone={() => setAdding(null)} />}
      {adding === 'new' && <RegisterForm c={c} onDone={refresh} />}
      {enrolments.isPending && <Loading />}
      {enrolments.isError && (
        <ErrorState error={enrolments.error} onRetry={() => void enrolments.refetch()} />
      )}
      <ul className="roster">
        <PendingEnrolments items={localWalkIns} />
        {enrolments.data?.map((e) => (
          <li key={e.id}>
            <span>
              <strong>{e.person.fullName}</strong> ({e.person.birthYear}) — {e.person.commune}
              {e.walkIn && <span className="badge">Đến trực tiếp</span>}
              {e.status === 'completed' && <span className="badge ok">Hoàn thành</span>}
              {e.status === 'withdrawn' && <span className="badge">Đã rút</span>}
              <span className="muted">
                {' '}
                · dự {e.attendedSessions}/{c.sessions.length} buổi
              </span>
            </span>
            {e.status === 'completed' && <Outcome classId={c.id} e={e} />}
          </li>
        ))}
      </ul>
      {enrolments.data && !enrolments.data.length && !localWalkIns.length && (
        <Empty>Lớp chưa có học viên.</Empty>
      )}
    </section>
  );
}

function Certificates({ c }: { c: ClassItem }) {
  const client = useQueryClient();
  const list = useQuery({
    queryKey: ['class', c.id, 'certificates'],
    queryFn: () =>
      data(api.GET('/api/v1/certificates', { params: { query: { classId: c.id, limit: 500 } } })),
  });
  const issue = useMutation({
    mutationFn: () =>
      data(api.POST('/api/v1/classes/{id}/certificates', { params: { path: { id: c.id } }, body: {} })),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['class', c.id, 'certificates'] }),
  });
  const graduate = useMutation({
    mutationFn: () =>
      data(
        api.POST('/api/v1/classes/{id}/graduations', {
          params: { path: { id: c.id } },
          body: { tier: 'commune_core' },
        }),
      ),
  });
  return (
    <section aria-labelledby="cert-h">
      <h2 id="cert-h">Giấy chứng nhận</h2>
      <div className="form-actions">
        <button
          type="button"
          className="button primary"
          disabled={issue.isPending}
          onClick={() => issue.mutate()}
        >
          Cấp giấy cho người hoàn thành
        </button>
        {c.kind === 'training_of_trainers' && (
          <button
            type="button"
            className="button secondary"
            disabled={graduate.isPending}
            onClick={() => graduate.mutate()}
          >
            Công nhận giảng viên mới
          </button>
        )}
      </div>
      {issue.isError && <FormError message={asApiError(issue.error).message} />}
      {issue.data && <p role="status">Đã cấp {issue.data.length} giấy mới.</p>}
      {graduate.isError && <FormError message={asApiError(graduate.error).message} />}
      {graduate.data && (
        <p role="status">
          Đã công nhận {graduate.data.created.length} giảng viên mới
          {graduate.data.skipped.length
            ? `; bỏ qua ${graduate.data.skipped.length} người (${graduate.data.skipped[0].reason})`
            : ''}
          .
        </p>
      )}
      {list.data && list.data.items.length > 0 && (
        <ul className="roster">
          {list.data.items.map((cert) => (
            <li key={cert.id}>
              <span>
                <strong>{cert.learner.fullName}</strong> — số {cert.serial}
                {cert.status === 'revoked' && <span className="badge">Đã thu hồi</span>}
              </span>
              <span className="form-actions">
                <button
                  type="button"
                  className="button small"
                  onClick={() => void download(`/api/v1/certificates/${cert.id}/pdf`, `${cert.serial}.pdf`)}
                >
                  Tải PDF <span className="sr-only">của {cert.learner.fullName}</span>
                </button>
                <a className="button small ghost" href={cert.verifyUrl}>
                  Trang xác thực <span className="sr-only">của {cert.learner.fullName}</span>
                </a>
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Paper({ c }: { c: ClassItem }) {
  const refresh = useInvalidate(c.id);
  const [file, setFile] = useState<File | null>(null);
  const send = useMutation({
    mutationFn: async (dryRun: boolean) => {
      const form = new FormData();
      form.append('file', file!);
      return data(
        api.POST('/api/v1/classes/{id}/attendance/import', {
          params: { path: { id: c.id }, query: { dryRun } },
          body: form as never,
          bodySerializer: (b: unknown) => b as FormData,
        }),
      );
    },
    onSuccess: (summary) => {
      if (!summary.dryRun) refresh();
    },
  });
  const problem = send.error ? asApiError(send.error) : null;
  return (
    <section aria-labelledby="paper-h">
      <h2 id="paper-h">Giấy tờ</h2>
      <div className="form-actions">
        <button
          type="button"
          className="button secondary"
          onClick={() =>
            void download(`/api/v1/classes/${c.id}/attendance-sheet.pdf`, 'danh-sach-diem-danh.pdf')
          }
        >
          Tải danh sách điểm danh (PDF)
        </button>
        <button
          type="button"
          className="button secondary"
          onClick={() => void download(`/api/v1/classes/${c.id}/attendance/template`, 'mau-diem-danh.xlsx')}
        >
          Tải biểu mẫu Excel
        </button>
      </div>
      <h3>Nhập điểm danh từ Excel</h3>
      <ExcelFileField
        onFile={(f) => {
          setFile(f);
          send.reset();
        }}
      />
      <div className="form-actions">
        <button
          type="button"
          className="button secondary"
          disabled={!file || send.isPending}
          onClick={() => send.mutate(true)}
        >
          Xem trước
        </button>
        {send.data?.dryRun && (
          <button
            type="button"
            className="button primary"
            disabled={send.isPending}
            onClick={() => send.mutate(false)}
          >
            Ghi vào lớp
          </button>
        )}
      </div>
      {send.data && (
        <p role="status">
          {send.data.dryRun ? 'Xem trước' : 'Đã ghi'}: {send.data.rows} dòng, {send.data.newPeople} người mới,{' '}
          {send.data.newEnrolments} ghi danh mới, {send.data.marks} điểm danh, {send.data.outcomes} kết quả.
        </p>
      )}
      {problem && (
        <div className="form-error" role="alert">
          <p>{problem.message}</p>
          {problem.fields.length > 0 && (
            <ul>
              {problem.fields.slice(0, 50).map((f, i) => (
                <li key={i}>
                  {f.field}: {f.reason}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}

export default function ClassPage() {
  const { id = '' } = useParams();
  const c = useClass(id);
  if (c.isPending) return <Loading />;
  if (c.isError)
    return (
      <Page title="Lớp học">
        <ErrorState error={c.error} onRetry={() => void c.refetch()} />
        <p>
          <Link to="/lop">Về danh sách lớp</Link>
        </p>
      </Page>
    );
  const k = c.data;
  return (
    <Page title={k.title}>
      <div data-ready="true">
        <p className="class-meta">
          <span className={k.status === 'completed' ? 'badge ok' : 'badge'}>{CLASS_STATUS[k.status]}</span>{' '}
          {CLASS_KIND[k.kind]} · cấp độ {k.level} · {MODES[k.mode]}
        </p>
        <p className="class-meta">
          {VENUES[k.venueType]}
          {k.venueAddress ? `: ${k.venueAddress}` : ''} — {k.unit.fullName}
        </p>
        <p className="class-meta">
          Giảng viên: {k.leadTrainer.fullName}
          {k.assistants.length ? `; hỗ trợ: ${k.assistants.map((a) => a.fullName).join(', ')}` : ''}
        </p>
        <StatusActions c={k} />
        <h2>Các buổi học</h2>
        <ul className="sessions-list">
          {k.sessions.map((s) => (
            <li key={s.id}>
              <span>
                <strong>Buổi {s.position}</strong>: {vnWeekday(s.startsAt)}, {span(s.startsAt, s.endsAt)}
              </span>
              <span className="form-actions">
                <Link className="button small primary" to={`/lop/${k.id}/buoi/${s.id}`}>
                  Điểm danh <span className="sr-only">buổi {s.position}</span>
                </Link>
                <Link className="button small" to={`/lop/${k.id}/buoi/${s.id}/qr`}>
                  Mã QR <span className="sr-only">buổi {s.position}</span>
                </Link>
              </span>
            </li>
          ))}
        </ul>
        <Roster c={k} />
        {(k.status === 'completed' || k.status === 'in_progress') && <Certificates c={k} />}
        <Paper c={k} />
        <p>
          <Link to="/lop">← Về danh sách lớp</Link>
        </p>
      </div>
    </Page>
  );
}
