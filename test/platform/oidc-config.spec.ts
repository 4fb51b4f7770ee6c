import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../libs/platform/src';

/** OpenID providers and password login per role are read once at start; a wrong value names its variable. */
describe('configuration of sign-in', () => {
  const base = () => ({ DATA_DIR: mkdtempSync(join(tmpdir(), 'lantoa-oidc-config-')) });
  const vneid = {
    OIDC_PROVIDERS: 'vneid',
    OIDC_VNEID_ISSUER: 'https://sso.example.gov.vn',
    OIDC_VNEID_CLIENT_ID: 'lantoa',
    OIDC_VNEID_CLIENT_SECRET: 'secret',
  };

  it('reads a provider with its defaults, and none when unset', () => {
    expect(loadConfig(base()).oidc).toEqual([]);
    expect(loadConfig(base()).auth.passwordLoginRoles).toEqual([
      'admin',
      'steering',
      'department_head',
      'trainer',
      'viewer',
    ]);
    const [provider] = loadConfig({
      ...base(),
      ...vneid,
      OIDC_VNEID_ACR_VALUES: 'loa2',
      OIDC_VNEID_ACR_LEVELS: 'loa1, loa2, loa3',
      PASSWORD_LOGIN_ROLES: 'admin,trainer',
    }).oidc;
    expect(provider).toMatchObject({
      id: 'vneid',
      label: 'VNEID',
      scopes: 'openid profile',
      acrValues: 'loa2',
      acrLevels: ['loa1', 'loa2', 'loa3'],
      allowHttp: false,
      linkClaim: null,
    });
    expect(loadConfig({ ...base(), PASSWORD_LOGIN_ROLES: 'none' }).auth.passwordLoginRoles).toEqual([]);
  });

  it.each([
    [{ OIDC_VNEID_ISSUER: 'http://sso.example.gov.vn' }, 'OIDC_VNEID_ISSUER'],
    [
      {
        OIDC_VNEID_ISSUER: 'http://127.0.0.1:4000',
        OIDC_VNEID_ALLOW_HTTP: 'true',
        NODE_ENV: 'production',
        JWT_SECRET: 'x'.repeat(40),
      },
      'OIDC_VNEID_ISSUER',
    ],
    [{ OIDC_VNEID_CLIENT_ID: '' }, 'OIDC_VNEID_CLIENT_ID'],
    [{ OIDC_VNEID_CLIENT_SECRET: '' }, 'OIDC_VNEID_CLIENT_SECRET'],
    [{ OIDC_VNEID_CLIENT_SECRET: '', OIDC_VNEID_PRIVATE_KEY: 'not json' }, 'OIDC_VNEID_PRIVATE_KEY'],
    [{ OIDC_VNEID_SCOPES: 'profile email' }, 'OIDC_VNEID_SCOPES'],
    [{ OIDC_VNEID_ACR_VALUES: 'loa4', OIDC_VNEID_ACR_LEVELS: 'loa1,loa2' }, 'OIDC_VNEID_ACR_LEVELS'],
    [{ OIDC_VNEID_LINK_CLAIM: 'name' }, 'OIDC_VNEID_LINK_CLAIM'],
    [{ OIDC_PROVIDERS: 'vne-id' }, 'OIDC_PROVIDERS'],
    [{ PASSWORD_LOGIN_ROLES: 'admin,citizen' }, 'PASSWORD_LOGIN_ROLES'],
    [{ CREDENTIAL_SIGNING_KEY: '[1,2]' }, 'CREDENTIAL_SIGNING_KEY'],
  ])('refuses %j naming %s', (change, variable) => {
    const env: Record<string, string> = { ...base(), ...vneid, ...change };
    expect(() => loadConfig(env)).toThrow(ConfigError);
    try {
      loadConfig(env);
    } catch (error) {
      expect((error as ConfigError).variable).toBe(variable);
    }
  });

  it('accepts a plain-http provider outside production only when asked', () => {
    const env = {
      ...base(),
      ...vneid,
      OIDC_VNEID_ISSUER: 'http://127.0.0.1:4000',
      OIDC_VNEID_ALLOW_HTTP: 'true',
    };
    expect(loadConfig(env).oidc[0].allowHttp).toBe(true);
  });
});
