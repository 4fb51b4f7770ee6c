import { Policy, Principal } from '../../access/src';

/**
 * Which progress reports the caller sees, as SQL on aliases r and u: administrators all; steering members and
 * viewers those of their subtrees; a department head their organisation's.
 */
export function reportScopeSql(principal: Principal, params: unknown[]): string {
  if (Policy.isAdmin(principal)) return 'TRUE';
  const parts = [Policy.sqlScope(principal, ['steering', 'viewer'], 'u.path', params)];
  const organisations = Policy.organisations(principal);
  if (organisations.length) {
    params.push(organisations);
    parts.push(`r.organisation_id = ANY ($${params.length}::uuid[])`);
  }
  return `(${parts.join(' OR ')})`;
}

/**
 * Submitted reports waiting at a level where the caller acts (an administrator: all submitted reports), as SQL
 * on aliases r, g and aw (the unit it waits at).
 */
export function reportInboxSql(principal: Principal, params: unknown[]): string {
  if (Policy.isAdmin(principal)) return `r.status = 'submitted'`;
  const own = principal.assignments.filter((a) => a.role === 'steering' && a.unitPath).map((a) => a.unitPath);
  params.push(own);
  const n = params.length;
  return `(r.status = 'submitted' AND (aw.path = ANY ($${n}::text[])
              OR (g.report_approval_levels IS NULL AND aw.path LIKE ANY (SELECT x || '%' FROM unnest($${n}::text[]) x))))`;
}
