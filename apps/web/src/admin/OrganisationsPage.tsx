import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, asApiError, data, type Schemas } from '../api';
import { QueryProblem } from '../campaign';
import {
  Dialog,
  Empty,
  formatNumber,
  FormError,
  Loading,
  Page,
  Pager,
  SearchForm,
  SelectField,
  TextField,
} from '../ui';

type Organisation = Schemas['OrganisationDto'];
type Kind = Organisation['kind'];

const KINDS: [Kind, string][] = [
  ['agency', 'Cơ quan, đơn vị'],
  ['mass_organisation', 'Tổ chức chính trị - xã hội'],
  ['school', 'Trường học'],
  ['enterprise', 'Doanh nghiệp'],
  ['cooperative', 'Hợp tác xã'],
  ['other', 'Khác'],
];

/** Department heads the caller may name (the server checks the account again). */
function useHeads() {
  return useQuery({
    queryKey: ['users', 'department_head'],
    queryFn: () =>
      data(api.GET('/api/v1/users', { params: { query: { role: 'department_head', limit: 100 } } })),
  });
}

/** Creates an organisation, or edits one: name, kind, its unit (at creation) and its head. */
function OrganisationForm({
  organisation,
  onDone,
}: {
  organisation?: Organisation;
  onDone: (m: string) => void;
}) {
  const queryClient = useQueryClient();
  const heads = useHeads();
  const [form, setForm] = useState({
    unitCode: organisation?.unit.code ?? '',
    name: organisation?.name ?? '',
    kind: organisation?.kind ?? 'agency',
    headUserId: organisation?.head?.id ?? '',
  });
  const save = useMutation({
    mutationFn: () =>
      organisation
        ? data(
            api.PATCH('/api/v1/organisations/{id}', {
              params: { path: { id: organisation.id } },
              body: { name: form.name, kind: form.kind, headUserId: form.headUserId || null },
            }),
          )
        : data(
            api.POST('/api/v1/organisations', {
              body: {
                unitCode: form.unitCode,
                name: form.name,
                kind: form.kind,
                ...(form.headUserId ? { headUserId: form.headUserId } : {}),
              },
            }),
          ),
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: ['organisations'] });
      onDone(organisation ? `Đã lưu ${saved.name}.` : `Đã thêm ${saved.name}.`);
    },
  });
  const error = save.error ? asApiError(save.error) : null;
  const shown = ['unitCode', 'name', 'kind', 'headUserId'];
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm({ ...form, [key]: e.target.value });
  return (
    <form
      noValidate
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      {!organisation && (
        <TextField
          label="Mã đơn vị hành chính"
          required
          inputMode="numeric"
          hint="Mã xã, phường (5 chữ số) hoặc mã tỉnh (2 chữ số) trong phạm vi của bạn."
          data-autofocus
          value={form.unitCode}
          onChange={set('unitCode')}
          error={error?.field('unitCode')}
        />
      )}
      <TextField
        label="Tên cơ quan, đơn vị"
        required
        value={form.name}
        onChange={set('name')}
        error={error?.field('name')}
      />
      <SelectField label="Loại" value={form.kind} onChange={set('kind')} error={error?.field('kind')}>
        {KINDS.map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </SelectField>
      <SelectField
        label="Thủ trưởng"
        value={form.headUserId}
        onChange={set('headUserId')}
        error={error?.field('headUserId')}
        hint="Tài khoản có vai trò Thủ trưởng đơn vị (tạo ở trang Tài khoản và vai trò)."
      >
        <option value="">— Chưa có —</option>
        {(heads.data?.items ?? []).map((u) => (
          <option key={u.id} value={u.id}>
            {u.displayName} ({u.login})
          </option>
        ))}
      </SelectField>
      <FormError
        message={error && !error.fields.some((f) => shown.includes(f.field)) ? error.message : null}
      />
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={save.isPending}>
          {organisation ? 'Lưu' : 'Thêm cơ quan, đơn vị'}
        </button>
      </div>
    </form>
  );
}

/** Organisations (agencies, mass organisations, schools, enterprises) within the caller's scope, and their heads. */
export default function OrganisationsPage() {
  const [offset, setOffset] = useState(0);
  const [search, setSearch] = useState('');
  const [editing, setEditing] = useState<Organisation | 'new' | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const list = useQuery({
    queryKey: ['organisations', search, offset],
    queryFn: () =>
      data(
        api.GET('/api/v1/organisations', {
          params: { query: { limit: 20, offset, ...(search ? { q: search } : {}) } },
        }),
      ),
    placeholderData: keepPreviousData,
  });
  const finish = (message: string) => {
    setEditing(null);
    setDone(message);
  };
  return (
    <Page
      title="Cơ quan, đơn vị"
      actions={
        <button type="button" className="button primary" onClick={() => setEditing('new')}>
          Thêm cơ quan, đơn vị
        </button>
      }
    >
      <SearchForm
        label="Tìm theo tên"
        onSearch={(term) => {
          setOffset(0);
          setSearch(term);
        }}
      />
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
        <Empty>Không có cơ quan, đơn vị nào.</Empty>
      ) : (
        <div data-ready="true">
          <p className="muted">{formatNumber(list.data.total)} cơ quan, đơn vị trong phạm vi của bạn.</p>
          <div className="table-scroll" tabIndex={0} role="region" aria-label="Cơ quan, đơn vị">
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">Tên</th>
                  <th scope="col">Loại</th>
                  <th scope="col">Địa bàn</th>
                  <th scope="col">Thủ trưởng</th>
                  <th scope="col">Thao tác</th>
                </tr>
              </thead>
              <tbody>
                {list.data.items.map((o) => (
                  <tr key={o.id}>
                    <th scope="row">{o.name}</th>
                    <td>{o.kindName}</td>
                    <td>{o.unit.fullName}</td>
                    <td>{o.head?.displayName ?? <span className="muted">Chưa có</span>}</td>
                    <td>
                      <button
                        type="button"
                        className="button small secondary"
                        aria-label={`Sửa ${o.name}`}
                        onClick={() => setEditing(o)}
                      >
                        Sửa
                      </button>
                    </td>
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
        title={editing === 'new' ? 'Thêm cơ quan, đơn vị' : 'Sửa cơ quan, đơn vị'}
        onClose={() => setEditing(null)}
      >
        {editing && (
          <OrganisationForm
            key={editing === 'new' ? 'new' : editing.id}
            organisation={editing === 'new' ? undefined : editing}
            onDone={finish}
          />
        )}
      </Dialog>
    </Page>
  );
}
