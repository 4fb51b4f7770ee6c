import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import Ajv2019 from 'ajv/dist/2019';
import addFormats from 'ajv-formats';
import { FixedClock } from '../../libs/platform/src';
import { createClass, createPerson, createProgram, createTrainer } from '../support/campaign';
import { communesOf } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

type Jose = typeof import('jose', { with: { 'resolution-mode': 'import' } });

const SCHEMA = join(__dirname, '../../templates/open-badges/ob_v3p0_achievementcredential_schema.json');

/**
 * Certificates as Open Badges 3.0 credentials: the credential validates against 1EdTech's JSON schema (shipped
 * in templates/open-badges), verifies offline with the key published at /.well-known/jwks.json, and the
 * verification endpoint and page tell a genuine one from a tampered, a forged and a revoked one.
 */
describe('Open Badges 3.0 credentials', () => {
  const clock = new FixedClock(new Date('2026-11-25T10:00:00+07:00'));
  let t: TestApp;
  let jose: Jose;
  let certificates: {
    id: string;
    serial: string;
    verifyUrl: string;
    learner: { personId: string; fullName: string };
  }[];
  const codeOf = (i: number) => new URL(certificates[i].verifyUrl).pathname.split('/').pop()!;
  const cccd = '019190001234';

  const fetchText = async (path: string, token?: string) => {
    const res = await fetch(t.baseUrl + path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
  };
  const jwks = async () =>
    jose.createLocalJWKSet(JSON.parse((await fetchText('/.well-known/jwks.json')).text));
  const check = async (credential: string) =>
    (await t.anonymous.post('/api/v1/credentials/verify', { credential })).body as {
      result: string;
      credential: Record<string, unknown> | null;
    };
  const verifyPage = async (credential: string) => {
    const res = await fetch(`${t.baseUrl}/verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ credential }).toString(),
    });
    return { status: res.status, html: await res.text() };
  };

  beforeAll(async () => {
    jose = await import('jose');
    t = await startTestApp({ clock, env: { PUBLIC_URL: 'https://lantoa.thainguyen.gov.vn' } });
    const communes = await communesOf(t, '19');
    const program = await createProgram(t.http, {
      certificate: {
        issuer: 'Ban Chỉ đạo Bình dân học AI tỉnh Thái Nguyên',
        signerTitle: 'Trưởng Ban Chỉ đạo',
        place: 'Thái Nguyên',
      },
    });
    const lead = (await createTrainer(t.http, program.id, communes[0])).id;
    const c = await createClass(t.http, program.id, lead, communes[0]);
    const people = [
      (await createPerson(t.http, communes[0], { fullName: 'Hoàng Thị Ánh Nguyệt', gender: 'female', cccd }))
        .id,
      (await createPerson(t.http, communes[0], { fullName: 'Lò Văn Ỷ' })).id,
    ];
    for (const personId of people) await t.http.post(`/api/v1/classes/${c.id}/enrolments`, { personId });
    for (const s of c.sessions.slice(0, 2))
      await t.http.put(`/api/v1/classes/${c.id}/sessions/${s.id}/attendance`, {
        marks: people.map((personId) => ({ personId, status: 'present' })),
      });
    const issued = await t.http.post(`/api/v1/classes/${c.id}/certificates`, {});
    expect(issued.status).toBe(201);
    certificates = (await t.http.get(`/api/v1/certificates?classId=${c.id}`)).body.items;
    expect(certificates).toHaveLength(2);
  });
  afterAll(() => t?.close());

  const credentialOf = async (index: number) => {
    const res = await fetchText(`/api/v1/certificates/${certificates[index].id}/credential`, t.http.token);
    expect(res.status).toBe(200);
    expect(res.type).toMatch(/^application\/vc\+jwt/);
    return res.text;
  };

  it('validates against the Open Badges 3.0 JSON schema and names the holder without their CCCD', async () => {
    const jwt = await credentialOf(0);
    const credential = jose.decodeJwt(jwt);
    const ajv = new Ajv2019({ strict: false, allErrors: true });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(SCHEMA, 'utf8')));
    expect(validate.errors ?? validate(credential)).toBe(true);
    // The schema checks what a credential must have; these are what this one must say.
    expect(credential.type).toEqual(['VerifiableCredential', 'OpenBadgeCredential']);
    expect(credential['@context']).toEqual([
      'https://www.w3.org/ns/credentials/v2',
      'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
    ]);
    expect(credential.issuer).toEqual({
      id: 'https://lantoa.thainguyen.gov.vn/api/v1/credentials/issuers/19',
      type: ['Profile'],
      name: 'Ban Chỉ đạo Bình dân học AI tỉnh Thái Nguyên',
    });
    const subject = credential.credentialSubject as {
      identifier: unknown[];
      achievement: { name: string; type: string[] };
    };
    const person = certificates[0].learner.personId;
    const holder = certificates[0].learner.fullName;
    expect(subject.identifier).toEqual([
      { type: 'IdentityObject', identityType: 'name', hashed: false, identityHash: holder },
    ]);
    expect(subject.achievement.type).toEqual(['Achievement']);
    expect(subject.achievement.name).toMatch(/Cấp độ 1/);
    expect(credential.validFrom).toBe('2026-11-25T03:00:00.000Z');
    // No CCCD nor internal id of the person anywhere in it.
    const text = Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8');
    expect(text).not.toContain(cccd);
    expect(text).not.toContain(person);
    // The shipped schema refuses what is not a credential (the test can fail).
    expect(validate({ ...credential, validFrom: undefined })).toBe(false);
  });

  it('verifies offline with the published key; the API and the page say genuine', async () => {
    const jwt = await credentialOf(0);
    const { payload, protectedHeader } = await jose.jwtVerify(jwt, await jwks(), { algorithms: ['EdDSA'] });
    expect(protectedHeader).toMatchObject({ alg: 'EdDSA', typ: 'vc+jwt' });
    expect(payload.iss).toBe('https://lantoa.thainguyen.gov.vn/api/v1/credentials/issuers/19');
    expect(payload.jti).toBe(`urn:uuid:${certificates[0].id}`);
    expect((await check(jwt)).result).toBe('genuine');
    const page = await verifyPage(jwt);
    expect(page.status).toBe(200);
    expect(page.html).toContain('Chứng chỉ số hợp lệ');
    // The holder gets the same credential from the public verification code (the QR on the paper).
    const publicCopy = await fetchText(`/verify/${codeOf(0)}/credential`);
    expect(publicCopy.status).toBe(200);
    expect(jose.decodeJwt(publicCopy.text).jti).toBe(`urn:uuid:${certificates[0].id}`);
    expect((await fetchText(`/verify/${codeOf(0)}`)).text).toContain(`/verify/${codeOf(0)}/credential`);
  });

  it('a tampered credential fails offline and is reported altered; so is one signed with another key', async () => {
    const jwt = await credentialOf(1);
    const [header, body, signature] = jwt.split('.');
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    claims.credentialSubject.achievement.name = 'Bình dân học AI — Cấp độ 5: Chuyên gia';
    const tampered = [header, Buffer.from(JSON.stringify(claims)).toString('base64url'), signature].join('.');
    await expect(jose.jwtVerify(tampered, await jwks())).rejects.toThrow(/signature verification failed/);
    expect(await check(tampered)).toMatchObject({ result: 'altered' });
    expect((await verifyPage(tampered)).html).toContain('Chứng chỉ số không hợp lệ');

    const { privateKey } = await jose.generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const kid = jose.decodeProtectedHeader(jwt).kid!;
    const forged = await new jose.SignJWT(claims)
      .setProtectedHeader({ alg: 'EdDSA', kid, typ: 'vc+jwt' })
      .sign(privateKey);
    expect((await check(forged)).result).toBe('altered');
    expect((await check('not a credential')).result).toBe('unreadable');
    const empty = await t.anonymous.post('/api/v1/credentials/verify', {});
    expect([empty.status, empty.body.code]).toEqual([400, 'VALIDATION_FAILED']);
  });

  it('a revoked credential is reported revoked, through the signed status list', async () => {
    const jwt = await credentialOf(1);
    const status = jose.decodeJwt(jwt).credentialStatus as {
      type: string;
      statusListIndex: string;
      statusListCredential: string;
    };
    expect(status.type).toBe('BitstringStatusListEntry');
    const listPath = new URL(status.statusListCredential).pathname;
    const bit = async (index: number) => {
      const list = await fetchText(listPath);
      expect(list.type).toMatch(/^application\/vc\+jwt/);
      const { payload } = await jose.jwtVerify(list.text, await jwks());
      expect(payload.type).toEqual(['VerifiableCredential', 'BitstringStatusListCredential']);
      const encoded = (payload.credentialSubject as { encodedList: string }).encodedList;
      const bytes = gunzipSync(Buffer.from(encoded.slice(1), 'base64url'));
      expect(bytes.length).toBe(16_384);
      return (bytes[index >> 3] >> (7 - (index & 7))) & 1;
    };
    const index = Number(status.statusListIndex);
    expect(await bit(index)).toBe(0);
    const revoked = await t.http.post(`/api/v1/certificates/${certificates[1].id}/revoke`, {
      reason: 'Cấp nhầm người',
    });
    expect(revoked.status).toBe(200);
    expect(await bit(index)).toBe(1);
    // The other certificate of the same list stays valid.
    const other = Number(
      (jose.decodeJwt(await credentialOf(0)).credentialStatus as { statusListIndex: string }).statusListIndex,
    );
    expect(await bit(other)).toBe(0);
    expect((await check(jwt)).result).toBe('revoked');
    expect((await verifyPage(jwt)).html).toContain('Chứng chỉ số đã bị thu hồi');
    expect((await check(await credentialOf(0))).result).toBe('genuine');
  });

  it('publishes the issuer profile and the public key (never its private part)', async () => {
    const profile = await t.anonymous.get('/api/v1/credentials/issuers/19');
    expect(profile.status).toBe(200);
    expect(profile.body).toMatchObject({
      type: ['Profile'],
      id: 'https://lantoa.thainguyen.gov.vn/api/v1/credentials/issuers/19',
    });
    expect((await t.anonymous.get('/api/v1/credentials/issuers/01')).status).toBe(404);
    const keys = JSON.parse((await fetchText('/.well-known/jwks.json')).text);
    expect(keys.keys).toHaveLength(1);
    expect(keys.keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA' });
    expect(keys.keys[0].d).toBeUndefined();
  });
});
