import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { api, ApiError, asApiError, data, signIn } from '../api';
import { FormError, TextField } from '../ui';

function lockMessage(error: ApiError): string {
  const minutes = Math.max(1, Math.ceil((error.retryAfterSeconds ?? 60) / 60));
  return `Đăng nhập sai quá nhiều lần nên tài khoản tạm bị khóa. Vui lòng thử lại sau ${minutes} phút.`;
}

/** Why a sign-in with an OpenID provider (VNeID) came back refused (`?loi=` from the server). */
const PROVIDER_ERRORS: Record<string, string> = {
  OIDC_IDENTITY_UNKNOWN:
    'Tài khoản định danh này chưa được gắn với tài khoản cán bộ nào. Hãy nhờ quản trị viên gắn tài khoản.',
  OIDC_ACCOUNT_DISABLED: 'Tài khoản đã bị khóa. Hãy liên hệ quản trị viên.',
  OIDC_ACR_TOO_LOW: 'Tài khoản định danh cần ở mức độ xác thực cao hơn để đăng nhập.',
  OIDC_STATE_MISMATCH: 'Phiên đăng nhập đã hết hạn hoặc không hợp lệ. Vui lòng thử lại.',
  OIDC_DENIED: 'Bạn đã hủy đăng nhập.',
  OIDC_TOKEN_INVALID: 'Không xác nhận được đăng nhập. Vui lòng thử lại.',
  OIDC_PROVIDER_UNAVAILABLE: 'Hệ thống định danh đang bận. Vui lòng thử lại sau ít phút.',
};

/** Only paths of this app are followed after signing in (never another site's address). */
export function safeNext(next: string | null): string {
  return next && /^\/(?![/\\])/.test(next) && !next.includes('\\') ? next : '/';
}

/** `onSignedIn` starts what the first page will need while the browser is still on its way there. */
export function LoginPage({ onSignedIn }: { onSignedIn?: () => void }) {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const queryClient = useQueryClient();
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const providers = useQuery({
    queryKey: ['oidc-providers'],
    queryFn: () => data(api.GET('/api/v1/auth/oidc/providers')),
    staleTime: 300_000,
  });
  const refused = params.get('loi');

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(login, password);
      queryClient.clear();
      onSignedIn?.();
      void navigate(safeNext(params.get('next')), { replace: true });
    } catch (caught) {
      setError(asApiError(caught));
      setBusy(false);
    }
  }

  const message =
    error?.status === 429
      ? lockMessage(error)
      : error && error.fields.length === 0
        ? error.message
        : refused
          ? (PROVIDER_ERRORS[refused] ?? 'Đăng nhập không thành công. Vui lòng thử lại.')
          : null;
  const next = safeNext(params.get('next'));
  return (
    <main className="login" id="main">
      <div className="login-card">
        <p className="brand-mark" aria-hidden="true">
          Lan Tỏa
        </p>
        <h1>Đăng nhập</h1>
        <p className="muted">Bình dân học AI — quản lý chiến dịch đào tạo lan tỏa</p>
        <form onSubmit={(e) => void submit(e)} noValidate>
          <TextField
            label="Email hoặc số điện thoại"
            name="login"
            autoComplete="username"
            autoFocus
            required
            value={login}
            onChange={(e) => setLogin(e.target.value)}
            error={error?.field('login')}
          />
          <TextField
            label="Mật khẩu"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            error={error?.field('password')}
          />
          <FormError message={message} />
          <button type="submit" className="button primary wide" disabled={busy}>
            {busy ? 'Đang đăng nhập…' : 'Đăng nhập'}
          </button>
        </form>
        {providers.data?.map((p) => (
          <a
            key={p.id}
            className="button secondary wide"
            href={`/api/v1/auth/oidc/${encodeURIComponent(p.id)}/start?next=${encodeURIComponent(next)}`}
          >
            Đăng nhập bằng {p.label}
          </a>
        ))}
      </div>
    </main>
  );
}
