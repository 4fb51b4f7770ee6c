import { useQueryClient } from '@tanstack/react-query';
import { Suspense, useState } from 'react';
import { NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { signOut, useMe } from '../auth';
import { pendingChanges } from '../trainer';
import { Loading } from '../ui';
import { navFor } from './navigation';

const CAMPAIGN_PARAMS = ['program', 'unit', 'period', 'view'];

/** The frame of every signed-in page: skip link, header with the user, menu by role, the page. */
export function Shell() {
  const me = useMe();
  const location = useLocation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [menuOpen, setMenuOpen] = useState(false);

  if (!me.data) return null;
  const items = navFor(me.data);
  // Moving between campaign pages keeps the program, unit, period and view.
  const here = new URLSearchParams(location.search);
  const carried = new URLSearchParams();
  for (const name of CAMPAIGN_PARAMS) {
    const value = here.get(name);
    if (value) carried.set(name, value);
  }

  async function logout() {
    const waiting = await pendingChanges();
    if (
      waiting &&
      !window.confirm(
        `Còn ${waiting} thay đổi (điểm danh, người đến trực tiếp) chưa gửi lên máy chủ. Chúng vẫn được giữ trên ` +
          'điện thoại này và được gửi khi bạn đăng nhập lại. Vẫn đăng xuất?',
      )
    )
      return;
    const endSessionUrl = await signOut();
    queryClient.clear();
    if (endSessionUrl) window.location.assign(endSessionUrl);
    else void navigate('/dang-nhap', { replace: true });
  }

  const roles = [...new Set(me.data.assignments.map((a) => a.roleName))].join(', ');
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Bỏ qua, đến nội dung chính
      </a>
      <header className="topbar">
        <NavLink to="/" className="brand">
          Lan Tỏa
          <span className="brand-sub">Bình dân học AI</span>
        </NavLink>
        <button
          type="button"
          className="button ghost menu-toggle"
          aria-expanded={menuOpen}
          aria-controls="user-menu main-nav"
          onClick={() => setMenuOpen((open) => !open)}
        >
          Menu
        </button>
        <div id="user-menu" className={menuOpen ? 'user open' : 'user'}>
          <span className="user-name">{me.data.displayName}</span>
          <span className="user-role">{roles}</span>
          <NavLink to="/doi-mat-khau" className="button ghost small">
            Đổi mật khẩu
          </NavLink>
          <button type="button" className="button ghost small" onClick={() => void logout()}>
            Đăng xuất
          </button>
        </div>
      </header>
      <nav id="main-nav" className={menuOpen ? 'nav open' : 'nav'} aria-label="Chức năng">
        <ul>
          {items.map((item) => (
            <li key={item.to}>
              <NavLink
                to={{ pathname: item.to, search: item.campaign && carried.size ? `?${carried}` : '' }}
                onClick={() => setMenuOpen(false)}
              >
                {item.label}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" className="content" tabIndex={-1}>
        <Suspense fallback={<Loading />}>
          <Outlet />
        </Suspense>
      </main>
    </div>
  );
}
