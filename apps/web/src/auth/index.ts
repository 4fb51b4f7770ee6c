export { ChangePasswordPage } from './ChangePasswordPage';
export { LoginPage, safeNext } from './LoginPage';
export { hasRole, readableUnits, useMe, type Me, type Role } from './me';
export { RequireSession } from './RequireSession';
export { signOut } from '../api';
