import { Policy, Principal } from '../../access/src';

/**
 * Who sees which people, as one SQL condition on the aliases `p` (person) and `cu` (its commune):
 * administrators everyone; steering members and viewers the residents of their subtrees; department heads
 * their organisation's people; trainers the people they registered or reached (reach_fact of their own
 * trainer records).
 */
export function personScopeSql(
  principal: Principal,
  params: unknown[],
  person = 'p',
  commune = 'cu',
): string {
  if (Policy.isAdmin(principal)) return 'TRUE';
  const parts: string[] = [];
  const units = Policy.sqlScope(principal, ['steering', 'viewer'], `${commune}.path`, params);
  if (units !== 'FALSE') parts.push(units);
  const organisations = Policy.organisations(principal);
  if (organisations.length) {
    params.push(organisations);
    parts.push(`${person}.organisation_id = ANY ($${params.length}::uuid[])`);
  }
  if (Policy.hasRole(principal, ['trainer'])) {
    params.push(principal.id);
    parts.push(`${person}.created_by = $${params.length}`);
    if (principal.personId) {
      params.push(principal.personId);
      parts.push(`EXISTS (SELECT 1 FROM reach_fact rf JOIN trainer t ON t.id = rf.trainer_id
                           WHERE rf.person_id = ${person}.id AND t.person_id = $${params.length})`);
    }
  }
  return parts.length ? `(${parts.join(' OR ')})` : 'FALSE';
}

/** What the checks below read of a person (a PersonRow; declared here so that the repository can use this file). */
interface ScopedPerson {
  unitPath: string;
  organisationId: string | null;
  createdBy: string | null;
}

/** The same rule for one loaded person. */
export function canSeePerson(principal: Principal, person: ScopedPerson, reachedByCaller = false): boolean {
  return (
    Policy.covers(principal, ['steering', 'viewer'], person.unitPath) ||
    (person.organisationId !== null && Policy.organisations(principal).includes(person.organisationId)) ||
    (Policy.hasRole(principal, ['trainer']) && (person.createdBy === principal.id || reachedByCaller))
  );
}

/** CCCD, phone and birth date are shown to administrators and steering members of the person's unit only. */
export function seesPersonalData(principal: Principal, person: Pick<ScopedPerson, 'unitPath'>): boolean {
  return Policy.covers(principal, ['steering'], person.unitPath);
}

/** Whether the caller may change the person's record. */
export function canManagePerson(principal: Principal, person: ScopedPerson): boolean {
  return (
    Policy.covers(principal, ['steering'], person.unitPath) ||
    (Policy.hasRole(principal, ['trainer']) && person.createdBy === principal.id)
  );
}

/** Which duplicate pairs the caller reviews, as SQL on the aliases a and b (the two people's communes). */
export function duplicateScopeSql(principal: Principal, params: unknown[]): string {
  return Policy.isAdmin(principal)
    ? 'TRUE'
    : `${Policy.sqlScope(principal, ['steering'], 'a.path', params)} OR ${Policy.sqlScope(principal, ['steering'], 'b.path', params)}`;
}
