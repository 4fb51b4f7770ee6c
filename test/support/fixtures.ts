import { randomBytes } from 'node:crypto';
import { Role } from '../../libs/access/src';
import { Http } from './http';
import { TestApp } from './test-app';

export interface TestUser {
  id: string;
  login: string;
  password: string;
  http: Http;
}

let counter = 0;

/** A unique e-mail login for a fixture user. */
export function uniqueLogin(prefix = 'user'): string {
  return `${prefix}.${++counter}.${randomBytes(3).toString('hex')}@test.lantoa.vn`;
}

/** Creates a user through the API as the administrator, without logging in; returns the user's id. */
export async function createAccount(
  t: TestApp,
  assignments: { role: Role; unitCode?: string; organisationId?: string }[],
  options: { password?: string; displayName?: string; login?: string } = {},
): Promise<{ id: string; login: string; password: string; assignmentIds: string[] }> {
  const login = options.login ?? uniqueLogin(assignments[0]?.role ?? 'user');
  const password = options.password ?? `Pw-${randomBytes(8).toString('hex')}`;
  const res = await t.http.post('/api/v1/users', {
    login,
    displayName: options.displayName ?? 'Người Dùng Thử',
    password,
    mustChangePassword: false,
    assignments,
  });
  if (res.status !== 201) throw new Error(`creating ${login} failed: ${res.status} ${res.text}`);
  return {
    id: res.body.id,
    login,
    password,
    assignmentIds: res.body.assignments.map((a: { id: string }) => a.id),
  };
}

/** Creates a user through the API (as the administrator) and logs them in. */
export async function createUser(
  t: TestApp,
  assignments: { role: Role; unitCode?: string; organisationId?: string }[],
  options: { password?: string; displayName?: string; login?: string } = {},
): Promise<TestUser> {
  const account = await createAccount(t, assignments, options);
  return {
    id: account.id,
    login: account.login,
    password: account.password,
    http: await t.login(account.login, account.password),
  };
}

/** Inserts an organisation directly (its API belongs to a later module); returns its id. */
export async function createOrganisation(
  t: TestApp,
  unitCode: string,
  name = 'Hội Nông dân xã',
): Promise<string> {
  const [row]: { id: string }[] = await t.dataSource.query(
    `INSERT INTO organisation (unit_id, name, kind)
     SELECT id, $2, 'mass_organisation' FROM admin_unit WHERE code = $1 AND valid_to IS NULL RETURNING id`,
    [unitCode, name],
  );
  return row.id;
}

/** Codes of the communes of a province, in list order. */
export async function communesOf(t: TestApp, provinceCode: string): Promise<string[]> {
  const res = await t.http.get(`/api/v1/units?parent=${provinceCode}&limit=500`);
  return res.body.items.map((u: { code: string }) => u.code);
}
