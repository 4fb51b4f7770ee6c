import { createClass, createPerson, createProgram, createTrainer } from '../support/campaign';
import { communesOf, createAccount, createOrganisation, createUser, TestUser } from '../support/fixtures';
import { Http } from '../support/http';
import { TestApp } from '../support/test-app';

export const ACTORS = [
  'anonymous',
  'admin',
  'steeringProvince',
  'steeringCommune',
  'steeringOther',
  'viewer',
  'trainer',
  'departmentHead',
] as const;
export type Actor = (typeof ACTORS)[number];
export type SignedIn = Exclude<Actor, 'anonymous'>;

/**
 * The people and places the matrix runs against. "In scope" targets live in commune `commune` of
 * Thái Nguyên (19), where steeringProvince and steeringCommune hold their roles; "out of scope" targets
 * live in Hà Nội (01), steeringOther's province.
 */
export interface World {
  t: TestApp;
  units: { province: string; commune: string; sibling: string; otherProvince: string; otherCommune: string };
  organisation: string;
  otherOrganisation: string;
  /** A program owned by Thái Nguyên, with trainers in and out of scope. */
  program: string;
  /** The trainer record of the `trainer` actor, and one they trained (in scope); one in Hà Nội (out). */
  trainers: { self: string; in: string; out: string };
  people: { in: string; out: string };
  /** A class led by the trainer actor in scope, one in Hà Nội out of scope; each with an enrolled learner. */
  classes: Record<'in' | 'out', { id: string; sessionId: string; personId: string }>;
  users: Record<SignedIn, TestUser>;
  client(actor: Actor): Http;
  /** A fresh session for the actor (for requests that end it). */
  freshClient(actor: Actor): Promise<Http>;
  /** A new account (created by the administrator), for requests that change their target. */
  account(scope: 'in' | 'out'): Promise<{ id: string; assignmentIds: string[] }>;
  /** A new person (created by the administrator) in or out of scope. */
  person(scope: 'in' | 'out', overrides?: Record<string, unknown>): Promise<string>;
  /** A new scheduled class (with one learner enrolled), for requests that change it. */
  freshClass(
    scope: 'in' | 'out',
    kind?: 'citizen' | 'training_of_trainers',
  ): Promise<{ id: string; sessionId: string; sessionIds: string[]; enrolmentId: string; personId: string }>;
  /** A job queued by the administrator (not yet run: the test app runs no jobs). */
  job: string;
  /** Two new records flagged as likely duplicates of each other; returns the queue entry and both ids. */
  duplicatePair(scope: 'in' | 'out'): Promise<{ duplicateId: string; ids: [string, string] }>;
}

export async function buildWorld(t: TestApp): Promise<World> {
  const [commune, sibling] = await communesOf(t, '19');
  const [otherCommune] = await communesOf(t, '01');
  const organisation = await createOrganisation(t, commune, 'Hội Liên hiệp Phụ nữ xã');
  const admin = await createUser(t, [{ role: 'admin' }]);
  const users: Record<SignedIn, TestUser> = {
    admin,
    steeringProvince: await createUser(t, [{ role: 'steering', unitCode: '19' }]),
    steeringCommune: await createUser(t, [{ role: 'steering', unitCode: commune }]),
    steeringOther: await createUser(t, [{ role: 'steering', unitCode: '01' }]),
    viewer: await createUser(t, [{ role: 'viewer', unitCode: '19' }]),
    trainer: await createUser(t, [{ role: 'trainer', unitCode: commune }]),
    departmentHead: await createUser(t, [{ role: 'department_head', organisationId: organisation }]),
  };
  const units = { province: '19', commune, sibling, otherProvince: '01', otherCommune };
  const otherOrganisation = await createOrganisation(t, otherCommune, 'Sở Khoa học và Công nghệ');
  const program = (await createProgram(t.http)).id;
  const self = await createTrainer(t.http, program, commune, { tier: 'provincial_core' });
  await t.http.patch(`/api/v1/users/${users.trainer.id}`, { personId: self.personId });
  const trainers = {
    self: self.id,
    in: (await createTrainer(t.http, program, commune, { trainedById: self.id })).id,
    out: (await createTrainer(t.http, program, otherCommune)).id,
  };
  const person = async (scope: 'in' | 'out', overrides: Record<string, unknown> = {}) =>
    (await createPerson(t.http, scope === 'in' ? commune : otherCommune, overrides)).id;
  const people = { in: await person('in'), out: await person('out') };
  const freshClass = async (scope: 'in' | 'out', kind: 'citizen' | 'training_of_trainers' = 'citizen') => {
    const c = await createClass(
      t.http,
      program,
      scope === 'in' ? trainers.self : trainers.out,
      scope === 'in' ? commune : otherCommune,
      { kind },
    );
    const enrolment = await t.http.post(`/api/v1/classes/${c.id}/enrolments`, {
      personId: await person(scope),
    });
    return {
      id: c.id,
      sessionId: c.sessions[0].id,
      sessionIds: c.sessions.map((x) => x.id),
      enrolmentId: enrolment.body.id as string,
      personId: enrolment.body.person.id as string,
    };
  };
  const classes = { in: await freshClass('in'), out: await freshClass('out') };
  const [{ id: job }]: { id: string }[] = await t.dataSource.query(
    `INSERT INTO job (kind, params, created_by) VALUES ('certificates.class-batch', '{}', $1) RETURNING id`,
    [(await t.http.get('/api/v1/auth/me')).body.id],
  );
  let pairs = 0;
  return {
    t,
    units,
    organisation,
    otherOrganisation,
    program,
    trainers,
    people,
    person,
    classes,
    freshClass,
    job,
    duplicatePair: async (scope) => {
      const twin = {
        fullName: `Lường Thị Mai ${String.fromCharCode(65 + (pairs % 26))}${++pairs}`,
        birthYear: 1975,
        gender: 'female',
      };
      const a = await person(scope, twin);
      const b = await createPerson(t.http, scope === 'in' ? commune : otherCommune, twin);
      const duplicateId = (await t.http.get('/api/v1/people/duplicates?limit=500')).body.items.find(
        (d: { people: { id: string }[] }) => d.people.some((p) => p.id === b.id),
      ).id;
      return { duplicateId, ids: [a, b.id] };
    },
    users,
    client: (actor) => (actor === 'anonymous' ? t.anonymous : users[actor].http),
    freshClient: async (actor) =>
      actor === 'anonymous' ? t.anonymous : t.login(users[actor].login, users[actor].password),
    account: (scope) =>
      createAccount(t, [
        { role: 'trainer', unitCode: scope === 'in' ? commune : otherCommune },
        { role: 'viewer', unitCode: scope === 'in' ? commune : otherCommune },
      ]),
  };
}
