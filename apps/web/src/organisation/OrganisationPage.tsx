import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api, asApiError, data, type Schemas } from '../api';
import { QueryProblem, type Program } from '../campaign';
import { GENDER_NAMES } from '../people';
import {
  Dialog,
  Empty,
  ErrorState,
  formatDay,
  formatNumber,
  formatPercent,
  formatPeriod,
  CLASS_STATUS,
  FormError,
  Loading,
  Page,
  countText,
  Pager,
  SelectField,
  TextField,
} from '../ui';
import { useOrganisationContext, type OrganisationRef } from './organisation';
import { StaffImport } from './StaffImport';

type Figures = Schemas['OrganisationFiguresDto'];

function FigureCard({ id, label, value, of }: { id: string; label: string; value: number; of: number }) {
  const share = of > 0 ? (value / of) * 100 : null;
  return (
    <article className="card indicator" aria-labelledby={`org-${id}`}>
      <h3 id={`org-${id}`}>{label}</h3>
      <p className="figure">
        {formatNumber(value)} <span className="figure-unit">người</span>
      </p>
      {share !== null && (
        <>
          <p className="target-line">{formatPercent(share)} số người của đơn vị</p>
          <div className="meter" aria-hidden="true">
            <span style={{ width: `${Math.min(100, share)}%` }} />
          </div>
        </>
      )}
    </article>
  );
}

function OrganisationFigures({ figures }: { figures: Figures }) {
  const f = figures.figures;
  const latest = figures.latestApproved;
  return (
    <section className="card-group" aria-labelledby="org-figures">
      <h2 id="org-figures">Số liệu của đơn vị</h2>
      <p className="muted">
        Tính từ hồ sơ người học của đơn vị, đến hết ngày {formatDay(figures.asOf)}; mỗi người chỉ tính một
        lần.
      </p>
      <div className="cards cards-4">
        <article className="card indicator" aria-labelledby="org-members">
          <h3 id="org-members">Người có hồ sơ</h3>
          <p className="figure">
            {formatNumber(f.members)} <span className="figure-unit">người</span>
          </p>
          <p className="share">{formatNumber(f.classes)} lớp học đã tham gia</p>
        </article>
        <FigureCard id="trained" label="Đã dự học" value={f.trained} of={f.members} />
        <FigureCard id="completed" label="Đã hoàn thành khóa học" value={f.completed} of={f.members} />
        <FigureCard id="proficient" label="Ứng dụng được công cụ AI" value={f.proficient} of={f.members} />
      </div>
      <p>
        {latest ? (
          <>
            Báo cáo gần nhất đã duyệt ({formatPeriod(latest.period)}): tổng số{' '}
            {formatNumber(latest.headcount ?? 0)} người, đã tập huấn {formatNumber(latest.trained ?? 0)} (
            {formatPercent(latest.headcount ? ((latest.trained ?? 0) / latest.headcount) * 100 : null)} kế
            hoạch), thành thạo {formatNumber(latest.proficient ?? 0)}.{' '}
          </>
        ) : (
          'Đơn vị chưa có báo cáo nào được duyệt. '
        )}
        <Link to="/bao-cao-don-vi">Lập và theo dõi báo cáo tiến độ</Link>
      </p>
    </section>
  );
}

function People({ organisation }: { organisation: OrganisationRef }) {
  const [offset, setOffset] = useState(0);
  const people = useQuery({
    queryKey: ['people', 'organisation', organisation.id, offset],
    queryFn: () =>
      data(
        api.GET('/api/v1/people', {
          params: { query: { organisationId: organisation.id, limit: 20, offset } },
        }),
      ),
    placeholderData: keepPreviousData,
  });
  if (people.isError) return <QueryProblem error={people.error} onRetry={() => void people.refetch()} />;
  if (people.isPending) return <Loading />;
  if (!people.data.items.length) return <Empty>Đơn vị chưa có người nào được đăng ký.</Empty>;
  return (
    <>
      <div className="table-scroll" tabIndex={0} role="region" aria-label="Nhân sự của đơn vị">
        <table className="data">
          <caption className="sr-only">
            Nhân sự của đơn vị ({countText(people.data.total, people.data.totalCapped)} người)
          </caption>
          <thead>
            <tr>
              <th scope="col" className="num">
                STT
              </th>
              <th scope="col">Họ và tên</th>
              <th scope="col">Năm sinh</th>
              <th scope="col">Giới tính</th>
              <th scope="col">Nơi cư trú</th>
              <th scope="col">CCCD</th>
              <th scope="col">Điện thoại</th>
            </tr>
          </thead>
          <tbody>
            {people.data.items.map((p, i) => (
              <tr key={p.id}>
                <td className="num">{formatNumber(offset + i + 1)}</td>
                <th scope="row">{p.fullName}</th>
                <td>{p.birthYear}</td>
                <td>{GENDER_NAMES[p.gender] ?? p.gender}</td>
                <td>{p.commune.fullName}</td>
                <td className="mono">{p.cccd ?? '—'}</td>
                <td className="mono">{p.phone ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pager page={people.data} onChange={setOffset} />
    </>
  );
}

function RegisterPerson({
  organisation,
  figures,
  program,
  onDone,
}: {
  organisation: OrganisationRef;
  figures: Figures;
  program: Program;
  onDone: (name: string) => void;
}) {
  const queryClient = useQueryClient();
  const unitCode = figures.unit.code;
  const communes = useQuery({
    queryKey: ['units', 'children', unitCode],
    queryFn: () => data(api.GET('/api/v1/units', { params: { query: { parent: unitCode, limit: 500 } } })),
    enabled: unitCode.length < 5,
  });
  const [form, setForm] = useState({
    fullName: '',
    birthYear: '',
    gender: 'female',
    communeCode: unitCode.length === 5 ? unitCode : '',
    segment: 'civil_servant',
    phone: '',
  });
  const register = useMutation({
    mutationFn: () =>
      data(
        api.POST('/api/v1/people', {
          body: {
            fullName: form.fullName,
            birthYear: Number(form.birthYear) || (form.birthYear as unknown as number),
            gender: form.gender as 'male' | 'female' | 'other',
            communeCode: form.communeCode,
            segment: form.segment,
            organisationId: organisation.id,
            ...(form.phone ? { phone: form.phone } : {}),
          },
        }),
      ),
    onSuccess: async (person) => {
      await queryClient.invalidateQueries({ queryKey: ['people'] });
      await queryClient.invalidateQueries({ queryKey: ['organisation-figures'] });
      onDone(person.fullName);
    },
  });
  const error = register.error ? asApiError(register.error) : null;
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm({ ...form, [key]: e.target.value });
  function submit(event: FormEvent) {
    event.preventDefault();
    register.mutate();
  }
  const shown = new Set(['fullName', 'birthYear', 'gender', 'communeCode', 'segment', 'phone']);
  return (
    <form onSubmit={submit} noValidate>
      <TextField
        label="Họ và tên"
        required
        data-autofocus
        autoComplete="off"
        value={form.fullName}
        onChange={set('fullName')}
        error={error?.field('fullName')}
      />
      <div className="form-row">
        <TextField
          label="Năm sinh"
          required
          inputMode="numeric"
          value={form.birthYear}
          onChange={set('birthYear')}
          error={error?.field('birthYear')}
        />
        <SelectField
          label="Giới tính"
          value={form.gender}
          onChange={set('gender')}
          error={error?.field('gender')}
        >
          <option value="female">Nữ</option>
          <option value="male">Nam</option>
          <option value="other">Khác</option>
        </SelectField>
      </div>
      {unitCode.length < 5 && (
        <SelectField
          label="Xã, phường nơi cư trú"
          required
          value={form.communeCode}
          onChange={set('communeCode')}
          error={error?.field('communeCode')}
        >
          <option value="">— Chọn xã, phường —</option>
          {(communes.data?.items ?? []).map((u) => (
            <option key={u.code} value={u.code}>
              {u.fullName}
            </option>
          ))}
        </SelectField>
      )}
      <SelectField
        label="Đối tượng"
        value={form.segment}
        onChange={set('segment')}
        error={error?.field('segment')}
      >
        {program.segments.map((s) => (
          <option key={s.code} value={s.code}>
            {s.name}
          </option>
        ))}
      </SelectField>
      <TextField
        label="Điện thoại (không bắt buộc)"
        inputMode="tel"
        autoComplete="off"
        value={form.phone}
        onChange={set('phone')}
        error={error?.field('phone')}
      />
      <FormError message={error && !error.fields.some((f) => shown.has(f.field)) ? error.message : null} />
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={register.isPending}>
          {register.isPending ? 'Đang lưu…' : 'Đăng ký'}
        </button>
      </div>
    </form>
  );
}

function Classes({ program }: { program: Program }) {
  const classes = useQuery({
    queryKey: ['classes', 'organisation', program.id],
    queryFn: () =>
      data(api.GET('/api/v1/classes', { params: { query: { programId: program.id, limit: 50 } } })),
  });
  if (classes.isError) return <QueryProblem error={classes.error} onRetry={() => void classes.refetch()} />;
  if (classes.isPending) return <Loading />;
  if (!classes.data.items.length) return <Empty>Chưa có người nào của đơn vị dự lớp học.</Empty>;
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label="Lớp học có người của đơn vị">
      <table className="data">
        <thead>
          <tr>
            <th scope="col">Lớp học</th>
            <th scope="col">Nơi tổ chức</th>
            <th scope="col">Buổi đầu</th>
            <th scope="col">Tình trạng</th>
          </tr>
        </thead>
        <tbody>
          {classes.data.items.map((c) => (
            <tr key={c.id}>
              <th scope="row">{c.title}</th>
              <td>{c.unit.fullName}</td>
              <td>{c.sessions[0] ? formatDay(c.sessions[0].startsAt.slice(0, 10)) : '—'}</td>
              <td>{CLASS_STATUS[c.status] ?? c.status}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Home({ organisation, program }: { organisation: OrganisationRef; program: Program }) {
  const [registering, setRegistering] = useState(false);
  const [importing, setImporting] = useState(false);
  const [registered, setRegistered] = useState<string | null>(null);
  const figures = useQuery({
    queryKey: ['organisation-figures', organisation.id, program.id],
    queryFn: () =>
      data(
        api.GET('/api/v1/organisations/{id}/figures', {
          params: { path: { id: organisation.id }, query: { programId: program.id } },
        }),
      ),
  });
  if (figures.isError) return <QueryProblem error={figures.error} onRetry={() => void figures.refetch()} />;
  if (figures.isPending) return <Loading />;
  return (
    <div data-ready="true">
      <p className="lead">
        {figures.data.organisationName} — {figures.data.unit.fullName} · {program.name}
      </p>
      <OrganisationFigures figures={figures.data} />
      <section aria-labelledby="org-people">
        <div className="section-head">
          <h2 id="org-people">Nhân sự của đơn vị</h2>
          <div className="form-actions">
            <button type="button" className="button secondary" onClick={() => setImporting(true)}>
              Nhập từ Excel
            </button>
            <button type="button" className="button secondary" onClick={() => setRegistering(true)}>
              Đăng ký nhân sự
            </button>
          </div>
        </div>
        {registered && (
          <p className="notice" role="status">
            Đã đăng ký {registered}.
          </p>
        )}
        <People organisation={organisation} />
      </section>
      <section aria-labelledby="org-classes">
        <h2 id="org-classes">Lớp học có người của đơn vị</h2>
        <Classes program={program} />
      </section>
      <Dialog open={importing} title="Nhập danh sách nhân sự từ Excel" onClose={() => setImporting(false)}>
        {importing && <StaffImport organisation={organisation} />}
      </Dialog>
      <Dialog open={registering} title="Đăng ký nhân sự" onClose={() => setRegistering(false)}>
        {registering && (
          <RegisterPerson
            organisation={organisation}
            figures={figures.data}
            program={program}
            onDone={(name) => {
              setRegistered(name);
              setRegistering(false);
            }}
          />
        )}
      </Dialog>
    </div>
  );
}

/** The department head's home: their organisation's figures, people and the classes its people attend. */
export default function OrganisationPage() {
  const { organisations, organisation, program, programs, loading, error, change } = useOrganisationContext();
  return (
    <Page title="Đơn vị của tôi">
      {loading ? (
        <Loading />
      ) : error ? (
        <ErrorState error={error} />
      ) : !organisation ? (
        <Empty>Tài khoản của bạn chưa được giao làm thủ trưởng cơ quan, đơn vị nào.</Empty>
      ) : !program ? (
        <Empty>Chưa có chương trình nào.</Empty>
      ) : (
        <>
          {(organisations.length > 1 || programs.length > 1) && (
            <div className="table-tools">
              {organisations.length > 1 && (
                <SelectField
                  label="Cơ quan, đơn vị"
                  value={organisation.id}
                  onChange={(e) => change({ org: e.target.value })}
                >
                  {organisations.map((o) => (
                    <option key={o.id} value={o.id}>
                      {o.name}
                    </option>
                  ))}
                </SelectField>
              )}
              {programs.length > 1 && (
                <SelectField
                  label="Chương trình"
                  value={program.id}
                  onChange={(e) => change({ program: e.target.value })}
                >
                  {programs.map((p) => (
                    <option key={p.id} value={p.id}>
                      {p.name}
                    </option>
                  ))}
                </SelectField>
              )}
            </div>
          )}
          <Home organisation={organisation} program={program} />
        </>
      )}
    </Page>
  );
}
