import { Policy, Principal } from '../../access/src';

/**
 * Which trainers the caller sees, as SQL on aliases t and hu: administrators all; steering members and viewers
 * those whose home unit lies in their subtrees; a trainer their own record and everyone downstream of it.
 */
export function trainerScopeSql(principal: Principal, params: unknown[]): string {
  if (Policy.isAdmin(principal)) return 'TRUE';
  const parts: string[] = [];
  const units = Policy.sqlScope(principal, ['steering', 'viewer'], 'hu.path', params);
  if (units !== 'FALSE') parts.push(units);
  if (Policy.hasRole(principal, ['trainer']) && principal.personId) {
    params.push(principal.personId);
    parts.push(`EXISTS (SELECT 1 FROM trainer me WHERE me.program_id = t.program_id AND me.person_id = $${params.length}
                          AND t.lineage_path LIKE me.lineage_path || '%')`);
  }
  return parts.length ? `(${parts.join(' OR ')})` : 'FALSE';
}
