import { Policy, Principal } from '../../access/src';

/**
 * Which organisations the caller reads, as SQL on aliases o (the organisation) and u (its unit):
 * administrators all; steering members, viewers and trainers those of their subtrees; a department head
 * the organisations they head.
 */
export function organisationScopeSql(principal: Principal, params: unknown[]): string {
  if (Policy.isAdmin(principal)) return 'TRUE';
  const parts: string[] = [];
  const units = Policy.sqlScope(principal, ['steering', 'viewer', 'trainer'], 'u.path', params);
  if (units !== 'FALSE') parts.push(units);
  const own = Policy.organisations(principal);
  if (own.length) {
    params.push(own);
    parts.push(`o.id = ANY ($${params.length}::uuid[])`);
  }
  return parts.length ? `(${parts.join(' OR ')})` : 'FALSE';
}
