export { ChangePasswordPage } from './ChangePasswordPage';
export { LoginPage, safeNext } from './LoginPage';
export { hasRole, meQuery, readableUnits, useMe, type Me, type Role } from './me';
export { RequireSession } from './RequireSession';
export { signOut } from '../api';
