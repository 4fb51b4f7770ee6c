import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { ApiError, asApiError, signIn } from '../api';
import { FormError, TextField } from '../ui';

function lockMessage(error: ApiError): string {
  const minutes = Math.max(1, Math.ceil((error.retryAfterSeconds ?? 60) / 60));
  return `Đăng nhập sai quá nhiều lần nên tài khoản tạm bị khóa. Vui lòng thử lại sau ${minutes} phút.`;
}

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
    error?.status === 429 ? lockMessage(error) : error && error.fields.length === 0 ? error.message : null;
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
      </div>
    </main>
  );
}
