import { Policy, Principal } from '../../access/src';
import { teachesSql } from '../../classes/src';

/**
 * Which flags the caller sees, as SQL on aliases f (the flag), u (its unit) and t (its trainer): flags in their
 * steering/viewer subtree, and flags on classes they teach.
 */
export function flagScopeSql(principal: Principal, params: unknown[]): string {
  if (Policy.isAdmin(principal)) return 'TRUE';
  const parts: string[] = [];
  const units = Policy.sqlScope(principal, ['steering', 'viewer'], 'u.path', params);
  if (units !== 'FALSE') parts.push(units);
  if (Policy.hasRole(principal, ['trainer']) && principal.personId) {
    params.push(principal.personId);
    parts.push(teachesSql(`$${params.length}`, 't.person_id', 'f.class_id'));
  }
  return parts.length ? `(${parts.join(' OR ')})` : 'FALSE';
}
