import { Policy, Principal } from '../../access/src';

/** The partner clients the caller manages, as SQL on alias u (the client's unit): steering of that subtree. */
export function partnerClientScopeSql(principal: Principal, params: unknown[]): string {
  return Policy.sqlScope(principal, ['steering'], 'u.path', params);
}
