import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../libs/platform/src';

describe('configuration', () => {
  const dir = () => mkdtempSync(join(tmpdir(), 'lantoa-config-'));

  it('has working defaults: port 3000, embedded database, ./data', () => {
    const cwd = dir();
    const config = loadConfig({}, cwd);
    expect(config.port).toBe(3000);
    expect(config.databaseUrl).toBeNull();
    expect(config.dataDir).toBe(join(cwd, 'data'));
    expect(config.dbPoolSize).toBe(1);
  });

  it('generates the JWT secret once outside production and keeps it in the data folder (mode 600)', () => {
    const dataDir = dir();
    const first = loadConfig({ DATA_DIR: dataDir });
    const file = join(dataDir, 'jwt-secret');
    expect(existsSync(file)).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toBe(first.jwtSecret);
    expect(first.jwtSecret.length).toBeGreaterThanOrEqual(32);
    expect(loadConfig({ DATA_DIR: dataDir }).jwtSecret).toBe(first.jwtSecret);
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL'],
    [{ NODE_ENV: 'staging' }, 'NODE_ENV'],
    [{ NODE_ENV: 'production' }, 'JWT_SECRET'],
    [{ JWT_SECRET: 'short' }, 'JWT_SECRET'],
    [{ METRICS_TOKEN: 'short' }, 'METRICS_TOKEN'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ DB_POOL_SIZE: '0' }, 'DB_POOL_SIZE'],
    [{ DATABASE_REPLICA_URLS: 'postgres://u@replica/lantoa' }, 'DATABASE_REPLICA_URLS'],
    [{ DATABASE_URL: 'postgres://u@db/lantoa', DATABASE_REPLICA_URLS: 'mysql://r' }, 'DATABASE_REPLICA_URLS'],
    [
      { DATABASE_URL: 'postgres://u@db/lantoa', DATABASE_REPLICA_URLS: 'postgres://u@r/x,,' },
      'DATABASE_REPLICA_URLS',
    ],
    [
      { DATABASE_URL: 'postgres://u@db/lantoa', DATABASE_REPLICA_URLS: 'postgres://u@db/lantoa' },
      'DATABASE_REPLICA_URLS',
    ],
    [{ DATABASE_URL: 'postgres://u@db/x', DATABASE_REPLICA_MAX_LAG_MS: '-1' }, 'DATABASE_REPLICA_MAX_LAG_MS'],
  ])('rejects %j naming %s', (env, variable) => {
    const run = () => loadConfig({ DATA_DIR: dir(), ...env });
    expect(run).toThrow(ConfigError);
    expect(run).toThrow(new RegExp(`^Invalid configuration: ${variable} `));
  });

  it('accepts a production configuration with a long secret', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      JWT_SECRET: 'x'.repeat(40),
      DATABASE_URL: 'postgres://u@db:5432/lantoa',
      DATA_DIR: dir(),
    });
    expect(config.jwtSecret).toBe('x'.repeat(40));
    expect(config.dbPoolSize).toBe(10);
  });

  it('reads replica URLs, comma-separated, with their lag bound', () => {
    const config = loadConfig({
      DATA_DIR: dir(),
      DATABASE_URL: 'postgres://u@db:5432/lantoa',
      DATABASE_REPLICA_URLS: ' postgres://u@replica-1:5432/lantoa , postgresql://u@replica-2/lantoa',
      DATABASE_REPLICA_MAX_LAG_MS: '2000',
    });
    expect(config.replicas).toEqual({
      urls: ['postgres://u@replica-1:5432/lantoa', 'postgresql://u@replica-2/lantoa'],
      maxLagMs: 2000,
      checkMs: 1000,
    });
    expect(loadConfig({ DATA_DIR: dir() }).replicas.urls).toEqual([]);
  });
});
