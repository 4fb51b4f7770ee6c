import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { api, ApiError, asApiError, data, type Schemas } from '../api';
import { FormError, formatDateTime, Loading, TextField } from '../ui';
import { ATTENDANCE, SIGN_IN_ERRORS, VENUES } from './messages';

type PublicClass = Schemas['PublicClassDto'];
type CitizenMe = Schemas['CitizenMeDto'];

const providersQuery = {
  queryKey: ['oidc-providers'],
  queryFn: () => data(api.GET('/api/v1/auth/oidc/providers')),
  staleTime: 300_000,
};

/** The signed-in citizen, or null when nobody is signed in with VNeID on this browser. */
async function fetchMe(): Promise<CitizenMe | null> {
  try {
    return await data(api.GET('/api/v1/citizen/me'));
  } catch (error) {
    if (asApiError(error).status === 401) return null;
    throw error;
  }
}

function signInUrl(provider: string): string {
  return `/api/v1/auth/oidc/${encodeURIComponent(provider)}/start?purpose=citizen&next=${encodeURIComponent('/hoc-vien')}`;
}

function Sessions({
  sessions,
}: {
  sessions: { position: number; startsAt: string; status?: string | null }[];
}) {
  return (
    <ol className="citizen-sessions">
      {sessions.map((s) => (
        <li key={s.position}>
          Buổi {s.position}: {formatDateTime(s.startsAt)}
          {s.status !== undefined && (
            <strong className={s.status === 'present' || s.status === 'late' ? 'ok' : ''}>
              {' — '}
              {s.status ? ATTENDANCE[s.status] : 'Chưa điểm danh'}
            </strong>
          )}
        </li>
      ))}
    </ol>
  );
}

function RegisterForm({
  klass,
  signedIn,
  onDone,
}: {
  klass: PublicClass;
  signedIn: boolean;
  onDone: () => void;
}) {
  const [form, setForm] = useState({ fullName: '', birthYear: '', phone: '', cccd: '' });
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<Schemas['RegisteredDto'] | null>(null);
  const register = useMutation({
    mutationFn: () =>
      signedIn
        ? data(api.POST('/api/v1/citizen/classes/{id}/registrations', { params: { path: { id: klass.id } } }))
        : data(
            api.POST('/api/v1/public/classes/{id}/registrations', {
              params: { path: { id: klass.id } },
              body: {
                fullName: form.fullName,
                birthYear: Number(form.birthYear),
                phone: form.phone,
                cccd: form.cccd.replace(/\s/g, '') || undefined,
              },
            }),
          ),
    onSuccess: (result) => {
      setDone(result);
      onDone();
    },
    onError: (caught) => setError(asApiError(caught)),
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    register.mutate();
  }

  if (done)
    return (
      <div className="citizen-done" role="status">
        <p>
          <strong>
            {done.status === 'registered' ? 'Đăng ký thành công!' : 'Bạn đã có tên trong lớp này rồi.'}
          </strong>
        </p>
        <p>
          {done.fullName} — {done.classTitle}. Hãy đến đúng giờ buổi 1 và mang theo điện thoại.
        </p>
      </div>
    );
  const set = (name: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm({ ...form, [name]: e.target.value });
  return (
    <form className="citizen-register" onSubmit={submit} noValidate aria-label={`Đăng ký lớp ${klass.title}`}>
      {signedIn ? (
        <p>Bạn sẽ được ghi danh theo thông tin định danh điện tử (VNeID).</p>
      ) : (
        <>
          <TextField
            label="Họ và tên"
            autoComplete="name"
            required
            value={form.fullName}
            onChange={set('fullName')}
            error={error?.field('fullName')}
          />
          <TextField
            label="Năm sinh"
            inputMode="numeric"
            autoComplete="bday-year"
            required
            value={form.birthYear}
            onChange={set('birthYear')}
            error={error?.field('birthYear')}
            hint="Ví dụ: 1958"
          />
          <TextField
            label="Số điện thoại"
            type="tel"
            autoComplete="tel"
            required
            value={form.phone}
            onChange={set('phone')}
            error={error?.field('phone')}
          />
          <TextField
            label="Số CCCD (không bắt buộc)"
            inputMode="numeric"
            value={form.cccd}
            onChange={set('cccd')}
            error={error?.field('cccd')}
            hint="Ghi số CCCD để sau này đăng nhập VNeID xem giấy chứng nhận."
          />
        </>
      )}
      <FormError message={error && error.fields.length === 0 ? error.message : null} />
      <button type="submit" className="button primary wide" disabled={register.isPending}>
        {register.isPending ? 'Đang đăng ký…' : 'Xác nhận đăng ký'}
      </button>
    </form>
  );
}

function ClassCard({ klass, signedIn }: { klass: PublicClass; signedIn: boolean }) {
  const [open, setOpen] = useState(false);
  const queryClient = useQueryClient();
  const headingId = `lop-${klass.id}`;
  return (
    <li className="citizen-card" aria-labelledby={headingId}>
      <h3 id={headingId}>{klass.title}</h3>
      <p className="citizen-meta">
        {klass.programName} · Cấp độ {klass.level}
      </p>
      <p>
        <strong>Địa điểm:</strong> {VENUES[klass.venueType] ?? klass.venueType}
        {klass.venueAddress ? ` — ${klass.venueAddress}` : ''}, {klass.commune}
      </p>
      <Sessions sessions={klass.sessions} />
      <p className={klass.seatsLeft > 0 ? 'citizen-seats' : 'citizen-seats full'}>
        {klass.seatsLeft > 0 ? `Còn ${klass.seatsLeft} chỗ` : 'Đã đủ người'}
      </p>
      {klass.seatsLeft > 0 &&
        (open ? (
          <RegisterForm
            klass={klass}
            signedIn={signedIn}
            onDone={() => void queryClient.invalidateQueries({ queryKey: ['citizen'] })}
          />
        ) : (
          <button type="button" className="button primary wide" onClick={() => setOpen(true)}>
            Đăng ký lớp này
          </button>
        ))}
    </li>
  );
}

function FindClasses({ signedIn }: { signedIn: boolean }) {
  const [params, setParams] = useSearchParams();
  const q = params.get('xa') ?? '';
  const [text, setText] = useState(q);
  const classes = useQuery({
    queryKey: ['citizen', 'classes', q],
    queryFn: () => data(api.GET('/api/v1/public/classes', { params: { query: { q, limit: 20 } } })),
    enabled: q.trim().length >= 2,
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    setParams(text.trim() ? { xa: text.trim() } : {});
  }

  return (
    <section className="citizen-section" aria-labelledby="tim-lop">
      <h2 id="tim-lop">Tìm lớp học gần nhà</h2>
      <form role="search" onSubmit={submit} className="citizen-search">
        <TextField
          label="Xã, phường nơi bạn ở"
          hint="Gõ có dấu hay không dấu đều được, ví dụ: dong hy"
          value={text}
          onChange={(e) => setText(e.target.value)}
          autoComplete="address-level3"
        />
        <button type="submit" className="button primary wide">
          Tìm lớp
        </button>
      </form>
      {classes.isFetching && <Loading label="Đang tìm lớp…" />}
      {classes.isError && <FormError message={asApiError(classes.error).message} />}
      {classes.data && (
        <div aria-live="polite">
          <p className="citizen-count">
            {classes.data.total === 0
              ? `Chưa có lớp sắp mở ở “${q}”. Bạn thử tìm xã, phường bên cạnh nhé.`
              : `Có ${classes.data.total} lớp sắp mở ở “${q}”:`}
          </p>
          <ul className="citizen-list">
            {classes.data.items.map((klass) => (
              <ClassCard key={klass.id} klass={klass} signedIn={signedIn} />
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}

function Mine({ me }: { me: CitizenMe }) {
  if (!me.found)
    return (
      <section className="citizen-section" aria-labelledby="cua-toi">
        <h2 id="cua-toi">Lớp học và giấy chứng nhận của tôi</h2>
        <p>Chưa có lớp học nào mang số CCCD của bạn. Hãy tìm và đăng ký một lớp ở dưới.</p>
      </section>
    );
  return (
    <section className="citizen-section" aria-labelledby="cua-toi">
      <h2 id="cua-toi">Lớp học và giấy chứng nhận của tôi</h2>
      {me.certificates.length > 0 && (
        <>
          <h3>Giấy chứng nhận</h3>
          <ul className="citizen-list">
            {me.certificates.map((k) => (
              <li key={k.id} className="citizen-card certificate">
                <p className="citizen-serial">
                  Số {k.serial} {k.status === 'revoked' && <strong>(đã thu hồi)</strong>}
                </p>
                <p>
                  {k.programName} — Cấp độ {k.level}: {k.levelTitle}
                </p>
                <p>Ngày cấp: {k.issuedOn.split('-').reverse().join('/')}</p>
                <p className="citizen-links">
                  <a className="button primary" href={k.pdfUrl}>
                    Tải giấy chứng nhận (PDF)
                  </a>
                  <a className="button secondary" href={k.credentialUrl}>
                    Tải chứng chỉ số
                  </a>
                  <a className="button secondary" href={k.verifyUrl}>
                    Trang xác thực
                  </a>
                </p>
              </li>
            ))}
          </ul>
        </>
      )}
      <h3>Lớp đã đăng ký</h3>
      <ul className="citizen-list">
        {me.classes.map((c) => (
          <li key={c.id} className="citizen-card">
            <p className="citizen-serial">{c.title}</p>
            <p>
              {c.programName} · Cấp độ {c.level} · {c.commune}
            </p>
            <Sessions sessions={c.sessions} />
            <p>{c.completed ? <strong className="ok">Đã hoàn thành lớp học</strong> : 'Đang học'}</p>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The citizens' page: find a class near home, register, and (signed in with VNeID) keep one's certificates. */
export default function CitizensPage() {
  const [params] = useSearchParams();
  const queryClient = useQueryClient();
  const providers = useQuery(providersQuery);
  const me = useQuery({ queryKey: ['citizen', 'me'], queryFn: fetchMe });
  const provider = providers.data?.[0];
  const failure = params.get('loi');

  async function signOut() {
    const result = await data(api.DELETE('/api/v1/citizen/session')).catch(() => null);
    queryClient.removeQueries({ queryKey: ['citizen'] });
    if (result?.endSessionUrl) window.location.assign(result.endSessionUrl);
    else void me.refetch();
  }

  return (
    <div className="citizen">
      <a className="skip-link" href="#main">
        Bỏ qua, đến nội dung chính
      </a>
      <header className="citizen-top">
        <p className="brand-mark">Lan Tỏa</p>
        <p>Bình dân học AI</p>
      </header>
      <main id="main" className="citizen-main">
        <h1>Học AI miễn phí, gần nhà bạn</h1>
        {failure && (
          <p className="form-error" role="alert">
            {SIGN_IN_ERRORS[failure] ?? 'Đăng nhập không thành công. Vui lòng thử lại.'}
          </p>
        )}
        {me.isPending ? (
          <Loading />
        ) : me.data ? (
          <div className="citizen-signed-in">
            <p>
              Xin chào <strong>{me.data.name ?? 'bạn'}</strong>
            </p>
            <button type="button" className="button secondary" onClick={() => void signOut()}>
              Đăng xuất
            </button>
          </div>
        ) : (
          provider && (
            <p className="citizen-sign-in">
              <a className="button primary wide" href={signInUrl(provider.id)}>
                Đăng nhập bằng {provider.label} để xem giấy chứng nhận của tôi
              </a>
            </p>
          )
        )}
        {me.data && <Mine me={me.data} />}
        <FindClasses signedIn={!!me.data} />
      </main>
    </div>
  );
}
