import { useEffect, useState } from 'react';
import { Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import { ErrorState, Loading } from '../ui';
import { useMe } from './me';
import { accessToken, onSessionEnd } from '../api';

/**
 * Routes behind it need a session: none sends the user to the login page, a forced password change first.
 * `kept` (the trainer's app): the account kept from the last visit is already in the query cache, so the pages
 * are drawn from it at once, while the session is renewed; a renewal that finds the session over still sends
 * the user to the login page.
 */
export function RequireSession({ kept = false }: { kept?: boolean }) {
  const location = useLocation();
  const navigate = useNavigate();
  const [state, setState] = useState<'checking' | 'in' | 'out'>(kept ? 'in' : 'checking');

  useEffect(() => {
    let active = true;
    accessToken()
      .then((token) => active && setState(token ? 'in' : 'out'))
      .catch(() => active && setState('in')); // offline: let the pages show their own errors
    return () => {
      active = false;
    };
  }, []);

  useEffect(
    () =>
      onSessionEnd(() => {
        const next = encodeURIComponent(window.location.pathname + window.location.search);
        void navigate(`/dang-nhap?next=${next}`, { replace: true });
      }),
    [navigate],
  );

  const me = useMe(state === 'in');
  const here = location.pathname + location.search;
  if (state === 'checking') return <Loading label="Đang kiểm tra phiên đăng nhập…" />;
  if (state === 'out') return <Navigate to={`/dang-nhap?next=${encodeURIComponent(here)}`} replace />;
  if (me.isPending) return <Loading />;
  if (me.isError) return <ErrorState error={me.error} onRetry={() => void me.refetch()} />;
  if (me.data.mustChangePassword && location.pathname !== '/doi-mat-khau')
    return <Navigate to="/doi-mat-khau" replace />;
  return <Outlet />;
}
