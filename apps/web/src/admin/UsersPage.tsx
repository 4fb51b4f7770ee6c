import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, asApiError, data, type Schemas } from '../api';
import { hasRole, useMe, type Role } from '../auth';
import { QueryProblem } from '../campaign';
import {
  Dialog,
  Empty,
  formatDateTime,
  formatNumber,
  FormError,
  Loading,
  Page,
  Pager,
  SearchForm,
  SelectField,
  TextField,
} from '../ui';

type User = Schemas['UserDto'];

const ROLE_NAMES: Record<Role, string> = {
  admin: 'Quản trị hệ thống',
  steering: 'Ban chỉ đạo',
  department_head: 'Thủ trưởng đơn vị',
  trainer: 'Giảng viên',
  viewer: 'Theo dõi',
};

/** Roles a caller may grant: administrators any; steering members the roles of their own subtree. */
function grantable(isAdmin: boolean): Role[] {
  return isAdmin
    ? ['admin', 'steering', 'viewer', 'trainer', 'department_head']
    : ['steering', 'viewer', 'trainer', 'department_head'];
}

function CreateUser({ isAdmin, onDone }: { isAdmin: boolean; onDone: (login: string) => void }) {
  const queryClient = useQueryClient();
  const [form, setForm] = useState({
    login: '',
    displayName: '',
    password: '',
    role: 'steering' as Role,
    unitCode: '',
    organisationId: '',
  });
  const organisations = useQuery({
    queryKey: ['organisations', 'all'],
    queryFn: () => data(api.GET('/api/v1/organisations', { params: { query: { limit: 100 } } })),
    enabled: form.role === 'department_head',
  });
  const create = useMutation({
    mutationFn: () =>
      data(
        api.POST('/api/v1/users', {
          body: {
            login: form.login,
            displayName: form.displayName,
            password: form.password,
            mustChangePassword: true,
            assignments: [
              form.role === 'admin'
                ? { role: form.role }
                : form.role === 'department_head'
                  ? { role: form.role, organisationId: form.organisationId }
                  : { role: form.role, unitCode: form.unitCode },
            ],
          },
        }),
      ),
    onSuccess: async (user) => {
      await queryClient.invalidateQueries({ queryKey: ['users'] });
      onDone(user.login);
    },
  });
  const error = create.error ? asApiError(create.error) : null;
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm({ ...form, [key]: e.target.value });
  const shown = [
    'login',
    'displayName',
    'password',
    'assignments[0].unitCode',
    'assignments[0].organisationId',
  ];
  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate();
  }
  return (
    <form onSubmit={submit} noValidate>
      <TextField
        label="Email hoặc số điện thoại đăng nhập"
        required
        data-autofocus
        autoComplete="off"
        value={form.login}
        onChange={set('login')}
        error={error?.field('login')}
      />
      <TextField
        label="Tên hiển thị"
        required
        value={form.displayName}
        onChange={set('displayName')}
        error={error?.field('displayName')}
      />
      <TextField
        label="Mật khẩu ban đầu"
        required
        type="password"
        autoComplete="new-password"
        hint="Người dùng phải đổi mật khẩu ở lần đăng nhập đầu tiên."
        value={form.password}
        onChange={set('password')}
        error={error?.field('password')}
      />
      <SelectField label="Vai trò" value={form.role} onChange={set('role')}>
        {grantable(isAdmin).map((r) => (
          <option key={r} value={r}>
            {ROLE_NAMES[r]}
          </option>
        ))}
      </SelectField>
      {form.role !== 'admin' && form.role !== 'department_head' && (
        <TextField
          label="Mã đơn vị hành chính phụ trách"
          required
          inputMode="numeric"
          hint="Mã tỉnh (2 chữ số) hoặc mã xã, phường (5 chữ số) trong phạm vi của bạn."
          value={form.unitCode}
          onChange={set('unitCode')}
          error={error?.field('assignments[0].unitCode') ?? error?.field('assignments.0.unitCode')}
        />
      )}
      {form.role === 'department_head' && (
        <SelectField
          label="Cơ quan, đơn vị"
          required
          value={form.organisationId}
          onChange={set('organisationId')}
          error={error?.field('assignments[0].organisationId')}
        >
          <option value="">— Chọn cơ quan, đơn vị —</option>
          {(organisations.data?.items ?? []).map((o) => (
            <option key={o.id} value={o.id}>
              {o.name} — {o.unit.fullName}
            </option>
          ))}
        </SelectField>
      )}
      <FormError
        message={error && !error.fields.some((f) => shown.includes(f.field)) ? error.message : null}
      />
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={create.isPending}>
          {create.isPending ? 'Đang tạo…' : 'Tạo tài khoản'}
        </button>
      </div>
    </form>
  );
}

function ResetPassword({ user, onDone }: { user: User; onDone: () => void }) {
  const [password, setPassword] = useState('');
  const reset = useMutation({
    mutationFn: () =>
      data(
        api.POST('/api/v1/users/{id}/password', {
          params: { path: { id: user.id } },
          body: { newPassword: password },
        }),
      ),
    onSuccess: onDone,
  });
  const error = reset.error ? asApiError(reset.error) : null;
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        reset.mutate();
      }}
      noValidate
    >
      <p>
        Đặt mật khẩu mới cho <strong>{user.displayName}</strong>; họ phải đổi mật khẩu ở lần đăng nhập tới.
      </p>
      <TextField
        label="Mật khẩu mới"
        type="password"
        autoComplete="new-password"
        required
        data-autofocus
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={error?.field('newPassword')}
      />
      <FormError message={error && !error.field('newPassword') ? error.message : null} />
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={reset.isPending}>
          Đặt lại mật khẩu
        </button>
      </div>
    </form>
  );
}

function UserRow({ user, self }: { user: User; self: boolean }) {
  const queryClient = useQueryClient();
  const [resetting, setResetting] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const toggle = useMutation({
    mutationFn: () =>
      data(
        api.PATCH('/api/v1/users/{id}', {
          params: { path: { id: user.id } },
          body: { status: user.status === 'active' ? 'disabled' : 'active' },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['users'] }),
  });
  const error = toggle.error ? asApiError(toggle.error) : null;
  return (
    <tr>
      <th scope="row">
        {user.displayName}
        <div className="muted mono">{user.login}</div>
      </th>
      <td>
        {user.assignments.map((a) => (
          <div key={a.id}>
            {a.roleName}
            {a.unit ? ` — ${a.unit.fullName}` : ''}
            {a.organisation ? ` — ${a.organisation.name}` : ''}
          </div>
        ))}
      </td>
      <td>
        <span className={user.status === 'active' ? 'badge ok' : 'badge bad'}>
          {user.status === 'active' ? 'Đang hoạt động' : 'Đã khóa'}
        </span>
      </td>
      <td>{formatDateTime(user.createdAt)}</td>
      <td>
        {!self && (
          <div className="row-actions">
            <button
              type="button"
              className="button small secondary"
              aria-label={`${user.status === 'active' ? 'Khóa' : 'Mở khóa'} tài khoản ${user.displayName}`}
              onClick={() => toggle.mutate()}
            >
              {user.status === 'active' ? 'Khóa' : 'Mở khóa'}
            </button>
            <button
              type="button"
              className="button small ghost"
              aria-label={`Đặt lại mật khẩu của ${user.displayName}`}
              onClick={() => setResetting(true)}
            >
              Đặt lại mật khẩu
            </button>
          </div>
        )}
        {error && <p className="form-error">{error.message}</p>}
        {done && (
          <p className="muted" role="status">
            {done}
          </p>
        )}
        <Dialog open={resetting} title="Đặt lại mật khẩu" onClose={() => setResetting(false)}>
          {resetting && (
            <ResetPassword
              user={user}
              onDone={() => {
                setResetting(false);
                setDone('Đã đặt lại mật khẩu.');
              }}
            />
          )}
        </Dialog>
      </td>
    </tr>
  );
}

/** Accounts and roles within the caller's scope: create, grant, disable, reset a password. */
export default function UsersPage() {
  const me = useMe();
  const [offset, setOffset] = useState(0);
  const [search, setSearch] = useState('');
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<string | null>(null);
  const users = useQuery({
    queryKey: ['users', search, offset],
    queryFn: () =>
      data(
        api.GET('/api/v1/users', {
          params: { query: { limit: 20, offset, ...(search ? { q: search } : {}) } },
        }),
      ),
    placeholderData: keepPreviousData,
  });
  const isAdmin = hasRole(me.data, 'admin');
  return (
    <Page
      title="Tài khoản và vai trò"
      actions={
        <button type="button" className="button primary" onClick={() => setCreating(true)}>
          Tạo tài khoản
        </button>
      }
    >
      <SearchForm
        label="Tìm theo tên hoặc tên đăng nhập"
        onSearch={(term) => {
          setOffset(0);
          setSearch(term);
        }}
      />
      {created && (
        <p className="notice" role="status">
          Đã tạo tài khoản {created}.
        </p>
      )}
      {users.isError ? (
        <QueryProblem error={users.error} onRetry={() => void users.refetch()} />
      ) : users.isPending ? (
        <Loading />
      ) : !users.data.items.length ? (
        <Empty>Không có tài khoản nào.</Empty>
      ) : (
        <div data-ready="true">
          <p className="muted">{formatNumber(users.data.total)} tài khoản trong phạm vi của bạn.</p>
          <div className="table-scroll" tabIndex={0} role="region" aria-label="Tài khoản">
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">Người dùng</th>
                  <th scope="col">Vai trò và phạm vi</th>
                  <th scope="col">Trạng thái</th>
                  <th scope="col">Tạo lúc</th>
                  <th scope="col">Thao tác</th>
                </tr>
              </thead>
              <tbody>
                {users.data.items.map((u) => (
                  <UserRow key={u.id} user={u} self={u.id === me.data?.id} />
                ))}
              </tbody>
            </table>
          </div>
          <Pager page={users.data} onChange={setOffset} />
        </div>
      )}
      <Dialog open={creating} title="Tạo tài khoản" onClose={() => setCreating(false)}>
        {creating && (
          <CreateUser
            isAdmin={isAdmin}
            onDone={(login) => {
              setCreated(login);
              setCreating(false);
            }}
          />
        )}
      </Dialog>
    </Page>
  );
}
