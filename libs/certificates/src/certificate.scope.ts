import { Policy, Principal } from '../../access/src';

/**
 * Which certificates the caller sees, as SQL on aliases k (the certificate) and lt (its class's lead
 * trainer): administrators all; steering members and viewers those of their subtrees; a trainer those of the
 * classes they led.
 */
export function certificateScopeSql(principal: Principal, params: unknown[]): string {
  if (Policy.isAdmin(principal)) return 'TRUE';
  const parts: string[] = [];
  const units = Policy.sqlScope(principal, ['steering', 'viewer'], 'k.unit_path', params);
  if (units !== 'FALSE') parts.push(units);
  if (Policy.hasRole(principal, ['trainer']) && principal.personId) {
    params.push(principal.personId);
    parts.push(`lt.person_id = $${params.length}`);
  }
  return parts.length ? `(${parts.join(' OR ')})` : 'FALSE';
}
