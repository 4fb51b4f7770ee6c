import { Policy, Principal } from '../../access/src';

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
    const p = `$${params.length}`;
    parts.push(`(t.person_id = ${p} OR EXISTS (SELECT 1 FROM class_assistant ca JOIN trainer at ON at.id = ca.trainer_id
                                                 WHERE ca.class_id = f.class_id AND at.person_id = ${p}))`);
  }
  return parts.length ? `(${parts.join(' OR ')})` : 'FALSE';
}
