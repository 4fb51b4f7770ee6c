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
});
