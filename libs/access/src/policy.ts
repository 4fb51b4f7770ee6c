import { Assignment, Principal, Role } from './principal';

/** Where an assignment reaches in the unit tree (an organisation reaches its own unit). */
export function assignmentPath(a: Pick<Assignment, 'unitPath' | 'organisationUnitPath'>): string | null {
  return a.unitPath ?? a.organisationUnitPath;
}

/**
 * Authorisation by scope, in one place. Services ask these questions; list queries put `sqlScope` in
 * their WHERE clause so that rows outside the caller's part of the hierarchy are never loaded.
 */
export const Policy = {
  isAdmin(p: Principal): boolean {
    return p.assignments.some((a) => a.role === 'admin');
  },

  hasRole(p: Principal, roles: readonly Role[]): boolean {
    return p.assignments.some((a) => roles.includes(a.role));
  },

  /** Subtree roots (unit paths) where the caller holds one of `roles`; 'all' for an administrator. */
  unitScopes(p: Principal, roles: readonly Role[]): string[] | 'all' {
    if (Policy.isAdmin(p)) return 'all';
    return p.assignments
      .filter((a) => roles.includes(a.role) && a.unitPath !== null)
      .map((a) => a.unitPath as string);
  },

  /** Organisations the caller heads (department_head assignments). */
  organisations(p: Principal): string[] {
    return p.assignments
      .filter((a) => a.role === 'department_head' && a.organisationId)
      .map((a) => a.organisationId!);
  },

  /** Whether `path` lies inside a subtree where the caller holds one of `roles`. */
  covers(p: Principal, roles: readonly Role[], path: string | null): boolean {
    const scopes = Policy.unitScopes(p, roles);
    if (scopes === 'all') return true;
    return path !== null && scopes.some((root) => path.startsWith(root));
  },

  /**
   * A SQL condition restricting `pathColumn` to the caller's subtrees for `roles`; appends its parameter to
   * `params`. Administrators get TRUE, callers without such a role FALSE.
   */
  sqlScope(p: Principal, roles: readonly Role[], pathColumn: string, params: unknown[]): string {
    const scopes = Policy.unitScopes(p, roles);
    if (scopes === 'all') return 'TRUE';
    if (scopes.length === 0) return 'FALSE';
    params.push(scopes.map((root) => `${root}%`));
    return `${pathColumn} LIKE ANY ($${params.length}::text[])`;
  },
};
