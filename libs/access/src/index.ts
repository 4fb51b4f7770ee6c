// What other libraries, the apps and the tests use of libs/access; everything else stays inside it.
export {
  ALLOW_PENDING_PASSWORD,
  AllowPendingPasswordChange,
  CurrentPrincipal,
  REQUIRED_ROLES,
  Roles,
} from './access.decorators';
export { AccessErrors } from './access.errors';
export { Policy, assignmentPath } from './policy';
export { ROLES, ROLE_NAMES } from './principal';
export type { Assignment, Principal, Role } from './principal';
