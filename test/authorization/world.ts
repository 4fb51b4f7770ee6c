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
  users: Record<SignedIn, TestUser>;
  client(actor: Actor): Http;
  /** A fresh session for the actor (for requests that end it). */
  freshClient(actor: Actor): Promise<Http>;
  /** A new account (created by the administrator), for requests that change their target. */
  account(scope: 'in' | 'out'): Promise<{ id: string; assignmentIds: string[] }>;
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
  return {
    t,
    units,
    organisation,
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
