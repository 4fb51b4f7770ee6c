import { Policy, Principal } from '../../access/src';
import { PersonRow } from './person.repository';

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

/** The same rule for one loaded person. */
export function canSeePerson(principal: Principal, person: PersonRow, reachedByCaller = false): boolean {
  return (
    Policy.covers(principal, ['steering', 'viewer'], person.unitPath) ||
    (person.organisationId !== null && Policy.organisations(principal).includes(person.organisationId)) ||
    (Policy.hasRole(principal, ['trainer']) && (person.createdBy === principal.id || reachedByCaller))
  );
}

/** CCCD, phone and birth date are shown to administrators and steering members of the person's unit only. */
export function seesPersonalData(principal: Principal, person: Pick<PersonRow, 'unitPath'>): boolean {
  return Policy.covers(principal, ['steering'], person.unitPath);
}

/** Whether the caller may change the person's record. */
export function canManagePerson(principal: Principal, person: PersonRow): boolean {
  return (
    Policy.covers(principal, ['steering'], person.unitPath) ||
    (Policy.hasRole(principal, ['trainer']) && person.createdBy === principal.id)
  );
}
