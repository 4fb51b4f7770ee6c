import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { api, ApiError, asApiError } from '../api';
import { FormError, Page, TextField } from '../ui';
import { useMe } from './me';

export function ChangePasswordPage() {
  const me = useMe();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [currentPassword, setCurrent] = useState('');
  const [newPassword, setNew] = useState('');
  const [repeat, setRepeat] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [mismatch, setMismatch] = useState(false);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setMismatch(newPassword !== repeat);
    if (newPassword !== repeat) return;
    setBusy(true);
    setError(null);
    try {
      const { response, error: problem } = await api.POST('/api/v1/auth/password', {
        body: { currentPassword, newPassword },
      });
      if (!response.ok) throw ApiError.fromResponse(response, problem);
      await queryClient.invalidateQueries({ queryKey: ['me'] });
      void navigate('/', { replace: true });
    } catch (caught) {
      setError(asApiError(caught));
    } finally {
      setBusy(false);
    }
  }

  const forced = me.data?.mustChangePassword;
  return (
    <main className="login" id="main">
      <div className="login-card">
        <Page title="Đổi mật khẩu">
          {forced && (
            <p className="notice" role="status">
              Mật khẩu của bạn do hệ thống tạo ra. Hãy đặt mật khẩu mới trước khi tiếp tục.
            </p>
          )}
          <form onSubmit={(e) => void submit(e)} noValidate>
            <TextField
              label="Mật khẩu hiện tại"
              type="password"
              autoComplete="current-password"
              required
              value={currentPassword}
              onChange={(e) => setCurrent(e.target.value)}
              error={error?.field('currentPassword')}
            />
            <TextField
              label="Mật khẩu mới"
              type="password"
              autoComplete="new-password"
              required
              hint="Ít nhất 10 ký tự, không trùng tên đăng nhập."
              value={newPassword}
              onChange={(e) => setNew(e.target.value)}
              error={error?.field('newPassword')}
            />
            <TextField
              label="Nhập lại mật khẩu mới"
              type="password"
              autoComplete="new-password"
              required
              value={repeat}
              onChange={(e) => setRepeat(e.target.value)}
              error={mismatch ? 'Hai lần nhập mật khẩu mới không giống nhau.' : undefined}
            />
            <FormError message={error && error.fields.length === 0 ? error.message : null} />
            <button type="submit" className="button primary wide" disabled={busy}>
              {busy ? 'Đang lưu…' : 'Đổi mật khẩu'}
            </button>
          </form>
        </Page>
      </div>
    </main>
  );
}
