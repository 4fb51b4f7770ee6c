import { createHash } from 'node:crypto';
import { FixedClock } from '../../libs/platform/src';
import { createProgram } from '../support/campaign';
import { communesOf, createUser } from '../support/fixtures';
import { Http } from '../support/http';
import { createPartner, issueKey } from '../support/partners';
import { startTestApp, TestApp } from '../support/test-app';

const HOUR = 3_600_000;
/** Both processes share the signing secret, as production processes do (passport keeps one strategy per name). */
const env = { JWT_SECRET: 'partner-keys-test-secret-shared-by-both-processes' };

/**
 * Partner keys: shown once and stored hashed; scoped; refused at once when revoked, expired or when the
 * partner is disabled, in every API process; rotated with an overlap; limited per minute across processes.
 */
describe('partner API keys', () => {
  const clock = new FixedClock(new Date('2026-11-25T10:00:00+07:00'));
  let t: TestApp;
  let second: TestApp | undefined;
  let program: { id: string; code: string };
  let commune: string;
  let partnerId: string;

  beforeAll(async () => {
    t = await startTestApp({ clock, env });
    [commune] = await communesOf(t, '19');
    program = await createProgram(t.http);
    partnerId = await createPartner(t.http, '19', {
      name: 'Trường Đại học Công nghệ Thông tin và Truyền thông',
    });
    // A second API process on the same database (a server database can serve two pools side by side).
    if (process.env.TEST_DATABASE_URL) second = await startTestApp({ clock, env, db: t.db });
    else
      console.log(
        'Two API processes need TEST_DATABASE_URL: the embedded database has one backend; skipping that part.',
      );
  });
  afterAll(async () => {
    await second?.close();
    await t.close();
  });

  const onSecond = (client: Http) => {
    if (!second) return client;
    const other = new Http(second.baseUrl);
    other.token = client.token;
    return other;
  };

  it('shows a key once and stores only its hash', async () => {
    const key = await issueKey(t.http, partnerId, { programIds: [program.id], unitCode: '19' });
    expect(key.secret).toMatch(/^ltk_[A-Za-z0-9_-]{43}$/);
    expect(key.body).toMatchObject({ status: 'active', prefix: key.secret.slice(0, 12), rateLimit: 120 });
    const listed = await t.http.get(`/api/v1/partners/${partnerId}/keys`);
    expect(JSON.stringify(listed.body)).not.toContain(key.secret);
    const stored = await t.dataSource.query(`SELECT * FROM partner_key WHERE id = $1`, [key.id]);
    expect(JSON.stringify(stored)).not.toContain(key.secret.slice(12));
    expect(stored[0].secret_hash).toBe(createHash('sha256').update(key.secret).digest('hex'));

    const me = await key.client.get('/api/v1/partner/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      partnerId,
      keyPrefix: key.body.prefix,
      unit: { code: '19' },
      programs: [{ id: program.id, code: program.code, levels: expect.any(Array) }],
    });
    expect(me.headers.get('ratelimit-limit')).toBe('120');
    expect(me.headers.get('ratelimit-remaining')).toBe('119');
    const after = (await t.http.get(`/api/v1/partners/${partnerId}/keys`)).body.items.find(
      (k: any) => k.id === key.id,
    );
    expect(after.lastUsedAt).toBe(clock.now().toISOString());
  });

  it('refuses what is not a key, and a key where a user token is needed', async () => {
    const key = await issueKey(t.http, partnerId, { programIds: [program.id], unitCode: '19' });
    const none = await t.anonymous.get('/api/v1/partner/me');
    expect([none.status, none.body.code]).toEqual([401, 'PARTNER_KEY_MISSING']);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    // A user's access token opens no partner route.
    const user = await t.http.get('/api/v1/partner/me');
    expect([user.status, user.body.code]).toEqual([401, 'PARTNER_KEY_INVALID']);
    const guessed = await t.anonymous.get('/api/v1/partner/me', { token: `ltk_${'A'.repeat(43)}` });
    expect([guessed.status, guessed.body.code]).toEqual([401, 'PARTNER_KEY_INVALID']);
    // And a key opens no user route.
    expect((await key.client.get('/api/v1/people')).status).toBe(401);
    // HTTP Basic with the key as the password (what LMSes send) is the same key.
    const basic = Buffer.from(`lms:${key.secret}`).toString('base64');
    const viaBasic = await t.anonymous.get('/api/v1/partner/me', {
      headers: { authorization: `Basic ${basic}` },
    });
    expect(viaBasic.status).toBe(200);
  });

  it('refuses a revoked key at once, in every API process', async () => {
    const key = await issueKey(t.http, partnerId, { programIds: [program.id], unitCode: '19' });
    expect((await onSecond(key.client).get('/api/v1/partner/me')).status).toBe(200);
    const revoked = await t.http.post(`/api/v1/partners/${partnerId}/keys/${key.id}/revoke`, {
      reason: 'Khóa bị lộ trong nhật ký máy chủ',
    });
    expect(revoked.body).toMatchObject({
      status: 'revoked',
      revokedReason: 'Khóa bị lộ trong nhật ký máy chủ',
    });
    for (const client of [key.client, onSecond(key.client)]) {
      const res = await client.get('/api/v1/partner/me');
      expect([res.status, res.body.code]).toEqual([401, 'PARTNER_KEY_REVOKED']);
    }
    const again = await t.http.post(`/api/v1/partners/${partnerId}/keys/${key.id}/revoke`, {
      reason: 'lần nữa',
    });
    expect([again.status, again.body.code]).toEqual([409, 'PARTNER_KEY_NOT_ACTIVE']);
  });

  it('refuses an expired key, and every key of a disabled partner', async () => {
    const expiresAt = new Date(clock.now().getTime() + 2 * HOUR).toISOString();
    const key = await issueKey(t.http, partnerId, { programIds: [program.id], unitCode: '19', expiresAt });
    expect((await key.client.get('/api/v1/partner/me')).status).toBe(200);
    clock.advance(2 * HOUR);
    const expired = await key.client.get('/api/v1/partner/me');
    expect([expired.status, expired.body.code]).toEqual([401, 'PARTNER_KEY_EXPIRED']);
    await t.reauthenticate();

    const other = await createPartner(t.http, '19');
    const live = await issueKey(t.http, other, { programIds: [program.id], unitCode: '19' });
    expect((await live.client.get('/api/v1/partner/me')).status).toBe(200);
    expect((await t.http.patch(`/api/v1/partners/${other}`, { status: 'disabled' })).body.status).toBe(
      'disabled',
    );
    for (const client of [live.client, onSecond(live.client)]) {
      const res = await client.get('/api/v1/partner/me');
      expect([res.status, res.body.code]).toEqual([403, 'PARTNER_DISABLED']);
    }
    await t.http.patch(`/api/v1/partners/${other}`, { status: 'active' });
    expect((await live.client.get('/api/v1/partner/me')).status).toBe(200);
  });

  it('rotates a key with an overlap: both work until the old one expires', async () => {
    const old = await issueKey(t.http, partnerId, {
      programIds: [program.id],
      unitCode: commune,
      rateLimit: 50,
    });
    const rotated = await t.http.post(`/api/v1/partners/${partnerId}/keys/${old.id}/rotate`, {
      overlapHours: 1,
    });
    expect(rotated.status).toBe(201);
    expect(rotated.body).toMatchObject({
      rotatedFromId: old.id,
      rateLimit: 50,
      unit: { code: commune },
      programs: [{ id: program.id }],
    });
    const fresh = new Http(t.baseUrl);
    fresh.token = rotated.body.secret;
    expect(rotated.body.secret).not.toBe(old.secret);
    expect((await old.client.get('/api/v1/partner/me')).status).toBe(200);
    expect((await fresh.get('/api/v1/partner/me')).status).toBe(200);
    clock.advance(HOUR + 1000);
    await t.reauthenticate();
    expect((await old.client.get('/api/v1/partner/me')).body.code).toBe('PARTNER_KEY_EXPIRED');
    expect((await fresh.get('/api/v1/partner/me')).status).toBe(200);
    const listed = (await t.http.get(`/api/v1/partners/${partnerId}/keys`)).body.items;
    expect(listed.find((k: any) => k.id === old.id).status).toBe('expired');
  });

  it('limits calls per key and minute, counted across API processes, with 429 and Retry-After', async () => {
    const key = await issueKey(t.http, partnerId, { programIds: [program.id], unitCode: '19', rateLimit: 4 });
    const calls = [key.client, onSecond(key.client), key.client, onSecond(key.client)];
    for (const client of calls) expect((await client.get('/api/v1/partner/me')).status).toBe(200);
    clock.advance(20_000);
    const limited = await key.client.get('/api/v1/partner/me');
    expect([limited.status, limited.body.code]).toEqual([429, 'RATE_LIMITED']);
    expect(limited.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(limited.headers.get('retry-after')).toBe('40');
    expect(limited.headers.get('ratelimit-remaining')).toBe('0');
    expect((await onSecond(key.client).get('/api/v1/partner/me')).status).toBe(429);
    // Another key of the same partner has its own allowance.
    const other = await issueKey(t.http, partnerId, {
      programIds: [program.id],
      unitCode: '19',
      rateLimit: 4,
    });
    expect((await other.client.get('/api/v1/partner/me')).status).toBe(200);
    clock.advance(40_000);
    expect((await key.client.get('/api/v1/partner/me')).status).toBe(200);
    await t.reauthenticate();
  });

  it('scopes keys inside the partner and the issuer: a commune steering member cannot issue a province key', async () => {
    const communeSteering = await createUser(t, [{ role: 'steering', unitCode: commune }]);
    const own = await createPartner(communeSteering.http, commune);
    const wide = await communeSteering.http.post(`/api/v1/partners/${own}/keys`, {
      name: 'rộng quá',
      programIds: [program.id],
      unitCode: '19',
    });
    expect([wide.status, wide.body.errors?.[0]?.field]).toEqual([400, 'unitCode']);
    const ok = await communeSteering.http.post(`/api/v1/partners/${own}/keys`, {
      name: 'vừa',
      programIds: [program.id],
      unitCode: commune,
    });
    expect(ok.status).toBe(201);
    // The province's partner does not exist for the commune member.
    expect((await communeSteering.http.get(`/api/v1/partners/${partnerId}`)).status).toBe(404);
    const unknown = await t.http.post(`/api/v1/partners/${partnerId}/keys`, {
      name: 'x',
      programIds: ['00000000-0000-4000-8000-000000000000'],
      unitCode: '19',
    });
    expect(unknown.body.errors).toEqual([{ field: 'programIds[0]', reason: 'không có chương trình này' }]);
    const tooLong = await t.http.post(`/api/v1/partners/${partnerId}/keys`, {
      name: 'x',
      programIds: [program.id],
      unitCode: '19',
      expiresAt: '2030-01-01T00:00:00Z',
    });
    expect(tooLong.body.errors?.[0]?.field).toBe('expiresAt');
  });

  it('audits every call under the partner’s name, and key management under the issuer’s', async () => {
    const key = await issueKey(t.http, partnerId, { programIds: [program.id], unitCode: '19' });
    await key.client.get('/api/v1/partner/me');
    await key.client.post('/api/v1/partner/lessons', { lessons: [{ id: 'x' }] });
    const calls = await t.http.get(`/api/v1/audit?action=partner.call&entityId=${partnerId}&limit=500`);
    const mine = calls.body.items.filter((e: any) => e.after.key.id === key.id);
    expect(mine.map((e: any) => [e.after.method, e.after.route, e.after.status])).toEqual([
      ['POST', '/api/v1/partner/lessons', 200],
      ['GET', '/api/v1/partner/me', 200],
    ]);
    expect(mine[0]).toMatchObject({
      actorId: partnerId,
      actorLogin: null,
      actorName: 'Đối tác: Trường Đại học Công nghệ Thông tin và Truyền thông',
      after: { results: { rejected: 1 } },
    });
    const issued = await t.http.get(`/api/v1/audit?action=partner_key.issued&entityId=${key.id}`);
    expect(issued.body.items[0]).toMatchObject({ actorLogin: 'admin@test.lantoa.vn', actorName: null });
    expect(JSON.stringify(issued.body.items[0])).not.toContain(key.secret);
    // A refused call by a known partner is audited too.
    const refused = await key.client.post('/api/v1/partner/lessons', { lessons: 'no' });
    expect(refused.status).toBe(400);
    const last = await t.http.get(`/api/v1/audit?action=partner.call&entityId=${partnerId}&limit=1`);
    expect(last.body.items[0].after).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
  });
});
