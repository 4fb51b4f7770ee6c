import { Policy, Principal } from '../../access/src';

/**
 * Which classes the caller sees, as SQL on aliases c, lt and u: administrators all; steering members and
 * viewers those held in their subtrees; a trainer the classes they lead or assist; a department head the
 * classes their organisation's people are enrolled in.
 */
export function classScopeSql(principal: Principal, params: unknown[]): string {
  if (Policy.isAdmin(principal)) return 'TRUE';
  const parts: string[] = [];
  const units = Policy.sqlScope(principal, ['steering', 'viewer'], 'u.path', params);
  if (units !== 'FALSE') parts.push(units);
  if (Policy.hasRole(principal, ['trainer']) && principal.personId) {
    params.push(principal.personId);
    parts.push(teachesSql(`$${params.length}`, 'lt.person_id', 'c.id'));
  }
  const organisations = Policy.organisations(principal);
  if (organisations.length) {
    params.push(organisations);
    parts.push(attendedByOrganisationsSql(`$${params.length}`));
  }
  return parts.length ? `(${parts.join(' OR ')})` : 'FALSE';
}

/**
 * The person `person` teaches the class: leads it (`leadPersonId`, the lead trainer's person) or assists in it
 * (`classId`, the class's id).
 */
export function teachesSql(person: string, leadPersonId: string, classId: string): string {
  return `(${leadPersonId} = ${person} OR EXISTS (SELECT 1 FROM class_assistant ca JOIN trainer tt ON tt.id = ca.trainer_id
                                              WHERE ca.class_id = ${classId} AND tt.person_id = ${person}))`;
}

/** A department head sees (reads, never runs) the classes their organisation's people are enrolled in. */
export function attendedByOrganisationsSql(param: string, classAlias = 'c'): string {
  return `EXISTS (SELECT 1 FROM enrolment oe JOIN person op ON op.id = oe.person_id
                   WHERE oe.class_id = ${classAlias}.id AND op.organisation_id = ANY (${param}::uuid[]))`;
}

/** What the checks below read of a class (a ClassRow; declared here so that the repository can use this file). */
interface ScopedClass {
  unitPath: string;
  leadPersonId: string;
  assistants: { personId: string }[];
}

/** The class's own trainers (lead or assistant), matched by the caller's person record. */
export function teaches(principal: Principal, c: Pick<ScopedClass, 'leadPersonId' | 'assistants'>): boolean {
  if (!principal.personId || !Policy.hasRole(principal, ['trainer'])) return false;
  return c.leadPersonId === principal.personId || c.assistants.some((a) => a.personId === principal.personId);
}

export function canSeeClass(principal: Principal, c: ScopedClass): boolean {
  return Policy.covers(principal, ['steering', 'viewer'], c.unitPath) || teaches(principal, c);
}

/** Steering members of the class's unit, and its own trainers, run a class (enrol, mark, import). */
export function canManageClass(principal: Principal, c: ScopedClass): boolean {
  return Policy.covers(principal, ['steering'], c.unitPath) || teaches(principal, c);
}
