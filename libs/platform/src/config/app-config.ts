import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { projectRoot } from '../project-root';

export type NodeEnv = 'development' | 'production' | 'test';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** The whole configuration, validated once at boot. Feature code receives this object, never `process.env`. */
export interface AppConfig {
  nodeEnv: NodeEnv;
  host: string;
  port: number;
  /** A PostgreSQL server; when null the service runs an embedded PostgreSQL (PGlite) in `dataDir`. */
  databaseUrl: string | null;
  /** Streaming replicas that serve KPI, dashboard, export and search reads (docs/architecture.md). */
  replicas: ReplicasConfig;
  /** Connection pool size (on the embedded database, also its connection limit). */
  dbPoolSize: number;
  dataDir: string;
  jwtSecret: string;
  logLevel: LogLevel;
  /** Units file imported on the first start of an empty database. */
  unitsSeedFile: string | null;
  auth: AuthConfig;
  /** Seed the demo campaign at start ('true'); 'auto' does so on the embedded database only. */
  seedDemo: 'true' | 'false' | 'auto';
  /** Password of the demo accounts the seed creates. */
  demoPassword: string;
  /** The address people reach the service at (QR codes and links printed on paper point here). */
  publicUrl: string;
  /** The built web app served at `/` (null: none is served). */
  webDir: string | null;
  /** Whether the web app's session cookies carry `Secure` (only a plain-HTTP trial on a LAN turns it off). */
  cookieSecure: boolean;
  jobs: {
    /** Whether this process runs background jobs (the worker always does). */
    run: boolean;
    pollMs: number;
    /** Jobs one process runs at once. */
    concurrency: number;
    /** Jobs running at once across all processes. */
    maxRunning: number;
    /** A running job without a heartbeat for this long is taken to have lost its process: queued again. */
    staleSeconds: number;
  };
  /** Class batches of certificates larger than this become a background job. */
  certificateSyncLimit: number;
  /** KPI workbooks of more rows than this become a background job (smaller ones download at once). */
  exportSyncRows: number;
  /** Export jobs running at once across all processes. */
  exportMaxRunning: number;
  /** The bearer token Prometheus scrapes `/metrics` with (null: no metrics page). */
  metricsToken: string | null;
  /** Requests per minute one address may make to the public verification endpoints. */
  verifyRateLimit: number;
  /** Sessions a class may have. */
  classSessionsMin: number;
  classSessionsMax: number;
  partners: PartnersConfig;
  /** OpenID Connect providers people may sign in with (VNeID or any standard provider). */
  oidc: OidcProviderConfig[];
  /** Open Badges 3.0 credentials: the issuer's signing key. */
  credentials: CredentialsConfig;
}

/** One OpenID Connect provider, read from OIDC_<ID>_* variables. */
export interface OidcProviderConfig {
  /** Lower-case id used in URLs (`/api/v1/auth/oidc/<id>/start`). */
  id: string;
  /** The name on the sign-in button ("VNeID"). */
  label: string;
  issuer: string;
  clientId: string;
  /** client_secret_basic when set; otherwise privateKeyJwk is used (private_key_jwt). */
  clientSecret: string | null;
  /** A private JWK (JSON) for private_key_jwt client authentication. */
  privateKeyJwk: Record<string, unknown> | null;
  scopes: string;
  /** Requested level of assurance (acr_values); null asks for none. */
  acrValues: string | null;
  /** Known levels from lowest to highest: the ID token's acr must rank at least as the requested one. */
  acrLevels: string[];
  /** The ID token claim carrying the 12-digit national ID number (CCCD), if the provider sends it. */
  nationalIdClaim: string | null;
  /**
   * A claim an administrator allows to link an identity to a staff account automatically (only when the
   * provider says it is verified, e.g. email with email_verified): null links by administrators only.
   */
  linkClaim: 'email' | null;
  /** Plain-http issuer allowed (a provider on a developer's machine or in tests); never in production. */
  allowHttp: boolean;
}

export interface CredentialsConfig {
  /** Ed25519 private key as a JWK (JSON); generated once into DATA_DIR/credential-key.json when unset. */
  signingKeyJwk: Record<string, unknown> | null;
}

export interface ReplicasConfig {
  /** PostgreSQL read replicas (none: every read goes to the primary). */
  urls: string[];
  /** Replicas further behind the primary than this are not read from. */
  maxLagMs: number;
  /** How often each replica's lag is measured. */
  checkMs: number;
}

/** The partner API and its outbound webhooks. */
export interface PartnersConfig {
  /** Calls per minute a new API key may make unless its issuer sets another limit. */
  keyRateLimit: number;
  /** Seconds to wait before each retry of a failed webhook delivery; after the last, the delivery fails. */
  webhookRetrySeconds: number[];
  /** How long one webhook request may take before it counts as failed. */
  webhookTimeoutMs: number;
  /** Whether webhook URLs may use plain http (https only in production unless set). */
  webhookAllowHttp: boolean;
}

export interface AuthConfig {
  /** The first administrator, created when no administrator exists. */
  adminLogin: string;
  /** When unset, a password is generated, printed once and written to DATA_DIR/admin-password.txt. */
  adminPassword: string | null;
  /** Whether this process creates that administrator (the service does; a one-shot CLI command does not). */
  bootstrapAdmin: boolean;
  accessTokenTtlSeconds: number;
  refreshTokenTtlDays: number;
  /**
   * Failed logins for one account from one address (or from one known device) before that pair is locked
   * for lockMinutes; the account stays open to everyone else.
   */
  lockAfterFailures: number;
  /** Failed logins from one address before it is locked (higher: many people share an address). */
  ipLockAfterFailures: number;
  /**
   * Failed logins for one account from all addresses together before it is locked for every browser the
   * account has not signed in from (a guessing attack spread over many addresses); known devices still sign in.
   */
  accountLockAfterFailures: number;
  lockMinutes: number;
  /** Roles whose accounts may sign in with a password; an account holding any other role must use OIDC. */
  passwordLoginRoles: string[];
}

export const MIN_PASSWORD_LENGTH = 10;

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    reason: string,
  ) {
    super(`Invalid configuration: ${variable} ${reason}`);
  }
}

type Env = Record<string, string | undefined>;

function read(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = read(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(name, `must be an integer between ${min} and ${max} (got "${raw}")`);
  }
  return Number(raw);
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = read(env, name);
  if (raw === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(name, `must be one of ${allowed.join(', ')} (got "${raw}")`);
  }
  return raw as T;
}

function postgresUrl(name: string, raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, 'is not a valid URL');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError(name, 'must start with postgres:// or postgresql://');
  }
  return raw;
}

function databaseUrl(env: Env): string | null {
  const raw = read(env, 'DATABASE_URL');
  return raw === undefined ? null : postgresUrl('DATABASE_URL', raw);
}

function replicasConfig(env: Env, primary: string | null): ReplicasConfig {
  const raw = read(env, 'DATABASE_REPLICA_URLS');
  const urls = raw === undefined ? [] : raw.split(',').map((part) => part.trim());
  if (urls.some((url) => url === '')) {
    throw new ConfigError('DATABASE_REPLICA_URLS', 'must be comma-separated URLs without empty entries');
  }
  urls.forEach((url) => postgresUrl('DATABASE_REPLICA_URLS', url));
  if (urls.length > 0 && primary === null) {
    throw new ConfigError(
      'DATABASE_REPLICA_URLS',
      'needs DATABASE_URL (the embedded database has no replicas)',
    );
  }
  if (new Set(urls).size !== urls.length || (primary !== null && urls.includes(primary))) {
    throw new ConfigError('DATABASE_REPLICA_URLS', 'must list each replica once, and not the primary');
  }
  return {
    urls,
    maxLagMs: integer(env, 'DATABASE_REPLICA_MAX_LAG_MS', 5000, 0, 600_000),
    checkMs: integer(env, 'DATABASE_REPLICA_CHECK_MS', 1000, 100, 60_000),
  };
}

const SECRET_FILE = 'jwt-secret';
const MIN_SECRET_LENGTH = 32;

/**
 * In production the secret must come from the environment; elsewhere it is generated once and kept in the
 * data folder (mode 600) so tokens survive restarts without anyone having to invent a secret.
 */
function jwtSecret(env: Env, nodeEnv: NodeEnv, dataDir: string): string {
  const raw = read(env, 'JWT_SECRET');
  if (raw !== undefined) {
    if (raw.length < MIN_SECRET_LENGTH) {
      throw new ConfigError('JWT_SECRET', `must be at least ${MIN_SECRET_LENGTH} characters long`);
    }
    return raw;
  }
  if (nodeEnv === 'production') throw new ConfigError('JWT_SECRET', 'is required when NODE_ENV=production');
  const file = join(dataDir, SECRET_FILE);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

function authConfig(env: Env): AuthConfig {
  const adminPassword = read(env, 'ADMIN_PASSWORD') ?? null;
  if (adminPassword !== null && adminPassword.length < MIN_PASSWORD_LENGTH) {
    throw new ConfigError('ADMIN_PASSWORD', `must be at least ${MIN_PASSWORD_LENGTH} characters long`);
  }
  return {
    adminLogin: read(env, 'ADMIN_LOGIN') ?? 'admin@lantoa.vn',
    adminPassword,
    bootstrapAdmin: true,
    // Access tokens are short-lived by design: at most 15 minutes.
    accessTokenTtlSeconds: integer(env, 'ACCESS_TOKEN_TTL', 900, 30, 900),
    refreshTokenTtlDays: integer(env, 'REFRESH_TOKEN_TTL_DAYS', 30, 1, 365),
    lockAfterFailures: integer(env, 'LOGIN_LOCK_AFTER', 5, 1, 100),
    ipLockAfterFailures: integer(env, 'LOGIN_IP_LOCK_AFTER', 30, 1, 10000),
    accountLockAfterFailures: integer(env, 'LOGIN_ACCOUNT_LOCK_AFTER', 50, 1, 10000),
    lockMinutes: integer(env, 'LOGIN_LOCK_MINUTES', 15, 1, 1440),
    passwordLoginRoles: roleList(env, 'PASSWORD_LOGIN_ROLES'),
  };
}

const ROLES = ['admin', 'steering', 'department_head', 'trainer', 'viewer'];

function roleList(env: Env, name: string): string[] {
  const raw = read(env, name);
  if (raw === undefined) return [...ROLES];
  if (raw === 'none') return [];
  const roles = raw.split(',').map((r) => r.trim());
  const unknown = roles.filter((r) => !ROLES.includes(r));
  if (unknown.length)
    throw new ConfigError(name, `must list roles among ${ROLES.join(', ')}, or none (got "${raw}")`);
  return roles;
}

function jsonObject(env: Env, name: string): Record<string, unknown> | null {
  const raw = read(env, name);
  if (raw === undefined) return null;
  try {
    const value: unknown = JSON.parse(raw);
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new ConfigError(name, 'must be a JSON Web Key (a JSON object)');
}

function oidcProviders(env: Env, nodeEnv: NodeEnv): OidcProviderConfig[] {
  const raw = read(env, 'OIDC_PROVIDERS');
  if (raw === undefined) return [];
  return raw.split(',').map((part) => {
    const id = part.trim().toLowerCase();
    if (!/^[a-z][a-z0-9]{0,19}$/.test(id))
      throw new ConfigError('OIDC_PROVIDERS', `must list ids of letters and digits (got "${part.trim()}")`);
    const v = (suffix: string) => `OIDC_${id.toUpperCase()}_${suffix}`;
    const issuer = read(env, v('ISSUER'));
    if (!issuer) throw new ConfigError(v('ISSUER'), 'is required');
    const allowHttp =
      oneOf(env, v('ALLOW_HTTP'), ['true', 'false'] as const, 'false') === 'true' && nodeEnv !== 'production';
    let url: URL;
    try {
      url = new URL(issuer);
    } catch {
      throw new ConfigError(v('ISSUER'), 'must be a URL');
    }
    if (url.protocol !== 'https:' && !(allowHttp && url.protocol === 'http:'))
      throw new ConfigError(v('ISSUER'), 'must be an https URL');
    const clientId = read(env, v('CLIENT_ID'));
    if (!clientId) throw new ConfigError(v('CLIENT_ID'), 'is required');
    const clientSecret = read(env, v('CLIENT_SECRET')) ?? null;
    const privateKeyJwk = jsonObject(env, v('PRIVATE_KEY'));
    if (!clientSecret && !privateKeyJwk)
      throw new ConfigError(v('CLIENT_SECRET'), `or ${v('PRIVATE_KEY')} is required`);
    const scopes = read(env, v('SCOPES')) ?? 'openid profile';
    if (!scopes.split(/\s+/).includes('openid')) throw new ConfigError(v('SCOPES'), 'must include openid');
    const acrValues = read(env, v('ACR_VALUES')) ?? null;
    const acrLevels = (read(env, v('ACR_LEVELS')) ?? '')
      .split(',')
      .map((l) => l.trim())
      .filter(Boolean);
    if (acrValues && acrLevels.length && !acrLevels.includes(acrValues.split(/\s+/)[0]))
      throw new ConfigError(v('ACR_LEVELS'), `must include the requested level "${acrValues}"`);
    const linkClaim = read(env, v('LINK_CLAIM')) ?? null;
    if (linkClaim !== null && linkClaim !== 'email') throw new ConfigError(v('LINK_CLAIM'), 'must be email');
    return {
      id,
      label: read(env, v('LABEL')) ?? id.toUpperCase(),
      issuer,
      clientId,
      clientSecret,
      privateKeyJwk,
      scopes,
      acrValues,
      acrLevels,
      nationalIdClaim: read(env, v('NATIONAL_ID_CLAIM')) ?? null,
      linkClaim,
      allowHttp,
    };
  });
}

/**
 * Whether an address is only reachable from the machine itself (localhost, 127.x, ::1, 0.0.0.0): a
 * certificate's QR code or a check-in code pointing there opens nothing on anyone else's phone.
 */
export function isLoopbackUrl(raw: string): boolean {
  let host: string;
  try {
    host = new URL(raw).hostname.toLowerCase();
  } catch {
    return false;
  }
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    /^127(\.\d{1,3}){3}$/.test(host) ||
    host === '[::1]' ||
    host === '0.0.0.0'
  );
}

function metricsToken(env: Env): string | null {
  const raw = read(env, 'METRICS_TOKEN') ?? null;
  if (raw !== null && raw.length < MIN_SECRET_LENGTH)
    throw new ConfigError('METRICS_TOKEN', `must be at least ${MIN_SECRET_LENGTH} characters long`);
  return raw;
}

function publicUrl(env: Env): string {
  const raw = read(env, 'PUBLIC_URL') ?? `http://localhost:${read(env, 'PORT') ?? '3000'}`;
  try {
    const url = new URL(raw);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error();
  } catch {
    throw new ConfigError('PUBLIC_URL', 'must be an http(s) URL');
  }
  return raw.replace(/\/+$/, '');
}

function sessionLimits(env: Env): { classSessionsMin: number; classSessionsMax: number } {
  const classSessionsMin = integer(env, 'CLASS_SESSIONS_MIN', 2, 1, 10);
  const classSessionsMax = integer(env, 'CLASS_SESSIONS_MAX', 4, 1, 10);
  if (classSessionsMin > classSessionsMax)
    throw new ConfigError('CLASS_SESSIONS_MIN', 'must not exceed CLASS_SESSIONS_MAX');
  return { classSessionsMin, classSessionsMax };
}

/** Standard Webhooks' schedule: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h (about a day and a half in all). */
const WEBHOOK_RETRY_SECONDS = '5,300,1800,7200,18000,36000,36000';

function partnersConfig(env: Env, nodeEnv: NodeEnv): PartnersConfig {
  const raw = read(env, 'WEBHOOK_RETRY_SECONDS') ?? WEBHOOK_RETRY_SECONDS;
  const retries = raw.split(',').map((part) => part.trim());
  if (retries.length > 20 || retries.some((r) => !/^\d{1,6}(\.\d{1,3})?$/.test(r) || Number(r) <= 0)) {
    throw new ConfigError(
      'WEBHOOK_RETRY_SECONDS',
      `must be up to 20 comma-separated positive numbers of seconds (got "${raw}")`,
    );
  }
  return {
    keyRateLimit: integer(env, 'PARTNER_RATE_LIMIT', 120, 1, 100_000),
    webhookRetrySeconds: retries.map(Number),
    webhookTimeoutMs: integer(env, 'WEBHOOK_TIMEOUT_MS', 10_000, 100, 60_000),
    webhookAllowHttp:
      oneOf(
        env,
        'WEBHOOK_ALLOW_HTTP',
        ['true', 'false'] as const,
        nodeEnv === 'production' ? 'false' : 'true',
      ) === 'true',
  };
}

function webDir(env: Env, cwd: string): string | null {
  const raw = read(env, 'WEB_DIR');
  if (raw === 'none') return null;
  if (raw === undefined) return join(projectRoot(), 'apps', 'web', 'dist');
  return isAbsolute(raw) ? raw : resolve(cwd, raw);
}

export function loadConfig(env: Env = process.env, cwd = process.cwd()): AppConfig {
  const nodeEnv = oneOf(env, 'NODE_ENV', ['development', 'production', 'test'] as const, 'development');
  const rawDir = read(env, 'DATA_DIR') ?? './data';
  const dataDir = isAbsolute(rawDir) ? rawDir : resolve(cwd, rawDir);
  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new ConfigError('DATA_DIR', `cannot be created (${(error as Error).message})`);
  }
  const url = databaseUrl(env);
  return {
    nodeEnv,
    host: read(env, 'HOST') ?? '0.0.0.0',
    port: integer(env, 'PORT', 3000, 0, 65535),
    databaseUrl: url,
    replicas: replicasConfig(env, url),
    // The embedded database has a single backend, and statements of concurrent connections can interleave
    // mid-protocol there: one connection, so requests queue at the pool instead.
    dbPoolSize: integer(env, 'DB_POOL_SIZE', url ? 10 : 1, 1, 200),
    dataDir,
    jwtSecret: jwtSecret(env, nodeEnv, dataDir),
    logLevel: oneOf(
      env,
      'LOG_LEVEL',
      ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const,
      nodeEnv === 'test' ? 'warn' : 'info',
    ),
    unitsSeedFile:
      read(env, 'UNITS_SEED_FILE') === 'none' ? null : (read(env, 'UNITS_SEED_FILE') ?? 'default'),
    auth: authConfig(env),
    seedDemo: oneOf(env, 'SEED_DEMO', ['true', 'false', 'auto'] as const, 'auto'),
    demoPassword: read(env, 'DEMO_PASSWORD') ?? 'LanToa-Demo-2026',
    publicUrl: publicUrl(env),
    webDir: webDir(env, cwd),
    cookieSecure: oneOf(env, 'COOKIE_SECURE', ['true', 'false'] as const, 'true') === 'true',
    jobs: {
      run: { true: true, false: false, auto: url === null }[
        oneOf(env, 'RUN_JOBS', ['true', 'false', 'auto'] as const, 'auto')
      ],
      pollMs: integer(env, 'JOBS_POLL_MS', 1000, 50, 60_000),
      concurrency: integer(env, 'JOBS_CONCURRENCY', 1, 1, 16),
      maxRunning: integer(env, 'JOBS_MAX_RUNNING', 2, 1, 64),
      staleSeconds: integer(env, 'JOBS_STALE_SECONDS', 60, 3, 3600),
    },
    certificateSyncLimit: integer(env, 'CERTIFICATE_SYNC_LIMIT', 50, 1, 10_000),
    exportSyncRows: integer(env, 'EXPORT_SYNC_ROWS', 20_000, 0, 1_000_000),
    exportMaxRunning: integer(env, 'EXPORT_MAX_RUNNING', 1, 1, 64),
    verifyRateLimit: integer(env, 'VERIFY_RATE_LIMIT', 60, 1, 100_000),
    metricsToken: metricsToken(env),
    ...sessionLimits(env),
    partners: partnersConfig(env, nodeEnv),
    oidc: oidcProviders(env, nodeEnv),
    credentials: { signingKeyJwk: jsonObject(env, 'CREDENTIAL_SIGNING_KEY') },
  };
}
