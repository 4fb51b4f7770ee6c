import { Policy, Principal } from '../../access/src';
import { KPI_READERS } from './kpi.service';

/**
 * Which contests the caller sees, as SQL on alias u (the contest's unit): those of units whose KPI they read
 * (steering members and viewers of the unit or above, on today's map).
 */
export function contestScopeSql(principal: Principal, params: unknown[]): string {
  return Policy.sqlScope(principal, KPI_READERS, 'admin_unit_scope_path(u.id)', params);
}
