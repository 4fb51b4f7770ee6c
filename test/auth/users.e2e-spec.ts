import { communesOf, createOrganisation, createUser, TestUser, uniqueLogin } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

describe('user management within the hierarchy', () => {
  let t: TestApp;
  let communes: string[];
  let province: TestUser;
  let commune: TestUser;
  let hanoi: TestUser;

  const newUser = (assignments: unknown[], login = uniqueLogin()) => ({
    login,
    displayName: 'Trần Văn Bình',
    password: 'Initial-Password-1',
    assignments,
  });

  beforeAll(async () => {
    t = await startTestApp();
    communes = await communesOf(t, '19');
    province = await createUser(t, [{ role: 'steering', unitCode: '19' }], { displayName: 'Lê Thị Tỉnh' });
    commune = await createUser(t, [{ role: 'steering', unitCode: communes[0] }], {
      displayName: 'Phạm Văn Xã',
    });
    hanoi = await createUser(t, [{ role: 'steering', unitCode: '01' }], { displayName: 'Đỗ Hà Nội' });
  });
  afterAll(() => t.close());

  it('a provincial steering member creates commune users; the grant is audited', async () => {
    const res = await province.http.post(
      '/api/v1/users',
      newUser([
        { role: 'steering', unitCode: communes[1] },
        { role: 'trainer', unitCode: communes[1] },
      ]),
    );
    expect(res.status).toBe(201);
    expect(res.body.assignments.map((a: { role: string }) => a.role)).toEqual(['steering', 'trainer']);
    expect(res.body.mustChangePassword).toBe(true);
    const audit = await province.http.get(`/api/v1/audit?entityType=user&entityId=${res.body.id}`);
    expect(audit.body.items).toEqual([
      expect.objectContaining({ action: 'user.created', actorId: province.id, actorLogin: province.login }),
    ]);
    expect(audit.body.items[0].after.assignments).toHaveLength(2);
  });

  it('never grants a scope wider than the granter’s own', async () => {
    const attempts = [
      [commune, [{ role: 'steering', unitCode: '19' }]],
      [commune, [{ role: 'viewer', unitCode: communes[1] }]],
      [province, [{ role: 'steering', unitCode: '01' }]],
      [province, [{ role: 'admin' }]],
      [province, []],
      [hanoi, [{ role: 'trainer', unitCode: communes[0] }]],
    ] as const;
    for (const [actor, assignments] of attempts) {
      const res = await actor.http.post('/api/v1/users', newUser([...assignments]));
      expect([res.status, res.body.code]).toEqual([403, 'OUT_OF_SCOPE']);
    }
    // Nor by adding a role to someone already managed.
    const target = await createUser(t, [{ role: 'trainer', unitCode: communes[0] }]);
    const widen = await commune.http.post(`/api/v1/users/${target.id}/assignments`, {
      role: 'steering',
      unitCode: '19',
    });
    expect([widen.status, widen.body.code]).toEqual([403, 'OUT_OF_SCOPE']);
    const ok = await commune.http.post(`/api/v1/users/${target.id}/assignments`, {
      role: 'viewer',
      unitCode: communes[0],
    });
    expect(ok.status).toBe(201);
    expect(ok.body.assignments).toHaveLength(2);
  });

  it('lists, in SQL, only the users holding a role inside the caller’s subtree', async () => {
    const inCommune = await createUser(t, [{ role: 'trainer', unitCode: communes[0] }], {
      displayName: 'Nguyễn Văn An',
    });
    const inOtherCommune = await createUser(t, [{ role: 'trainer', unitCode: communes[2] }], {
      displayName: 'Hoàng Thị Ánh',
    });
    const inHanoi = await createUser(t, [{ role: 'trainer', unitCode: '01' }]);
    const idsOf = async (http: TestUser['http']) =>
      ((await http.get('/api/v1/users?limit=500')).body.items as { id: string }[]).map((u) => u.id);

    const provinceSees = await idsOf(province.http);
    expect(provinceSees).toEqual(
      expect.arrayContaining([inCommune.id, inOtherCommune.id, commune.id, province.id]),
    );
    expect(provinceSees).not.toContain(inHanoi.id);
    const communeSees = await idsOf(commune.http);
    expect(communeSees).toContain(inCommune.id);
    expect(communeSees).not.toContain(inOtherCommune.id);
    expect(communeSees).not.toContain(province.id);
    expect(await idsOf(t.http)).toEqual(expect.arrayContaining([inHanoi.id, inCommune.id]));

    // Outside the subtree a user does not exist, as far as the caller can tell.
    const hidden = await commune.http.get(`/api/v1/users/${inOtherCommune.id}`);
    expect([hidden.status, hidden.body.code]).toEqual([404, 'USER_NOT_FOUND']);
    const hiddenChange = await commune.http.patch(`/api/v1/users/${inOtherCommune.id}`, {
      status: 'disabled',
    });
    expect(hiddenChange.status).toBe(404);
  });

  it('sorts users the Vietnamese way: by given name', async () => {
    const res = await province.http.get('/api/v1/users?limit=500&q=' + encodeURIComponent('ánh'));
    expect(res.body.items.map((u: { displayName: string }) => u.displayName)).toContain('Hoàng Thị Ánh');
    const all = (await t.http.get('/api/v1/users?limit=500')).body.items.map(
      (u: { displayName: string }) => u.displayName,
    );
    expect(all.indexOf('Nguyễn Văn An')).toBeLessThan(all.indexOf('Hoàng Thị Ánh'));
    expect(all.indexOf('Hoàng Thị Ánh')).toBeLessThan(all.indexOf('Trần Văn Bình'));
  });

  it('a user with a role outside the caller’s subtree can be seen but not changed', async () => {
    const wide = await createUser(t, [
      { role: 'trainer', unitCode: communes[0] },
      { role: 'viewer', unitCode: '19' },
    ]);
    expect((await commune.http.get(`/api/v1/users/${wide.id}`)).status).toBe(200);
    const res = await commune.http.patch(`/api/v1/users/${wide.id}`, { status: 'disabled' });
    expect([res.status, res.body.code]).toEqual([403, 'OUT_OF_SCOPE']);
    expect((await province.http.patch(`/api/v1/users/${wide.id}`, { status: 'disabled' })).status).toBe(200);
  });

  it('department heads are scoped by their organisation’s unit', async () => {
    const organisation = await createOrganisation(t, communes[0], 'Trường THCS Đồng Hỷ');
    const res = await commune.http.post(
      '/api/v1/users',
      newUser([{ role: 'department_head', organisationId: organisation }]),
    );
    expect(res.status).toBe(201);
    expect(res.body.assignments[0].organisation).toEqual({ id: organisation, name: 'Trường THCS Đồng Hỷ' });
    const elsewhere = await createOrganisation(t, '01', 'Sở Giáo dục Hà Nội');
    const refused = await commune.http.post(
      '/api/v1/users',
      newUser([{ role: 'department_head', organisationId: elsewhere }]),
    );
    expect(refused.status).toBe(403);
  });

  it('rejects malformed users with every field and reason', async () => {
    const res = await t.http.post('/api/v1/users', {
      login: 'not a login',
      displayName: 'X',
      password: 'short',
      assignments: [
        { role: 'steering' },
        { role: 'trainer', unitCode: '99999' },
        { role: 'admin', unitCode: '19' },
      ],
    });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([
      'login',
      'password',
      'assignments[0].unitCode',
      'assignments[1].unitCode',
      'assignments[2].unitCode',
    ]);
    const duplicate = await t.http.post(
      '/api/v1/users',
      newUser([{ role: 'viewer', unitCode: '19' }], province.login),
    );
    expect([duplicate.status, duplicate.body.code]).toEqual([409, 'LOGIN_TAKEN']);
  });

  it('steering members read the audit of their own subtree only, filtered by entity and time', async () => {
    const target = await createUser(t, [{ role: 'trainer', unitCode: communes[3] }]);
    await province.http.patch(`/api/v1/users/${target.id}`, { displayName: 'Tên Mới' });
    const hanoiUser = await createUser(t, [{ role: 'trainer', unitCode: '01' }]);

    const provinceTrail = await province.http.get('/api/v1/audit?entityType=user&limit=500');
    const ids = provinceTrail.body.items.map((e: { entityId: string }) => e.entityId);
    expect(ids).toContain(target.id);
    expect(ids).not.toContain(hanoiUser.id);
    const updated = await province.http.get(`/api/v1/audit?entityId=${target.id}&action=user.updated`);
    expect(updated.body.items).toHaveLength(1);
    expect(updated.body.items[0].before.displayName).toBe('Người Dùng Thử');
    expect(updated.body.items[0].after.displayName).toBe('Tên Mới');
    expect(updated.body.items[0].requestId).toMatch(/^[0-9a-f-]{36}$/);

    const future = await province.http.get(`/api/v1/audit?entityId=${target.id}&from=2099-01-01T00:00:00Z`);
    expect(future.body.total).toBe(0);
    const past = await province.http.get(`/api/v1/audit?entityId=${target.id}&to=2000-01-01T00:00:00Z`);
    expect(past.body.total).toBe(0);
    const bad = await province.http.get('/api/v1/audit?from=yesterday');
    expect([bad.status, bad.body.errors[0].field]).toEqual([400, 'from']);
    expect((await hanoi.http.get(`/api/v1/audit?entityId=${target.id}`)).body.total).toBe(0);
  });

  it('the audit log cannot be changed, even by direct SQL', async () => {
    await expect(t.dataSource.query(`UPDATE audit_log SET action = 'x'`)).rejects.toThrow(/append-only/);
    await expect(t.dataSource.query(`DELETE FROM audit_log`)).rejects.toThrow(/append-only/);
    await expect(t.dataSource.query(`TRUNCATE audit_log`)).rejects.toThrow(/append-only/);
  });

  // Last: it leaves the suite's administrator without the admin role.
  it('keeps at least one active administrator', async () => {
    const me = (await t.http.get('/api/v1/auth/me')).body;
    const self = await t.http.patch(`/api/v1/users/${me.id}`, { status: 'disabled' });
    expect([self.status, self.body.code]).toEqual([409, 'SELF_CHANGE']);
    const second = await createUser(t, [{ role: 'admin' }]);
    const adminRole = (await t.http.get(`/api/v1/users/${me.id}`)).body.assignments[0].id;
    const last = await second.http.delete(`/api/v1/users/${me.id}/assignments/${adminRole}`);
    expect(last.status).toBe(200);
    const secondRole = (await second.http.get(`/api/v1/users/${second.id}`)).body.assignments[0].id;
    // Now `second` is the only administrator; nobody may remove that role.
    const again = await second.http.delete(`/api/v1/users/${second.id}/assignments/${secondRole}`);
    expect(again.status).toBe(409);
  });
});
