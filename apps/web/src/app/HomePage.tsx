import { Link, Navigate } from 'react-router';
import { useMe } from '../auth';
import { Page } from '../ui';
import { navFor } from './navigation';

/** Where signing in lands: the first page the user's roles open, or what the account can do. */
export function HomePage() {
  const me = useMe();
  if (!me.data) return null;
  const items = navFor(me.data);
  if (items.length) return <Navigate to={items[0].to} replace />;
  return (
    <Page title={`Xin chào, ${me.data.displayName}`}>
      <p>Tài khoản của bạn chưa có chức năng nào trên giao diện web.</p>
      <ul>
        {me.data.assignments.map((a) => (
          <li key={a.id}>
            {a.roleName}
            {a.unit ? ` — ${a.unit.fullName}` : ''}
            {a.organisation ? ` — ${a.organisation.name}` : ''}
          </li>
        ))}
      </ul>
      <p>
        <Link to="/doi-mat-khau">Đổi mật khẩu</Link>
      </p>
    </Page>
  );
}
