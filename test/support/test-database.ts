import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Client } from 'pg';
import { EmbeddedPostgres } from '../../libs/platform/src';

/**
 * Each test file gets a database of its own, copied from a template the global setup prepared:
 * `empty` has the schema only, `units` also today's administrative units.
 *
 * With TEST_DATABASE_URL the copies are databases on that PostgreSQL server (CREATE DATABASE … TEMPLATE);
 * without it, each is an embedded PostgreSQL (PGlite) in memory loaded from a dump of the template.
 */
export type Template = 'empty' | 'units';

export interface TestDatabase {
  url: string;
  /** Largest pool the database accepts. */
  poolSize: number;
  close(): Promise<void>;
}

/**
 * The embedded server accepts a few connections (the app's and a test's own), but the app uses one: on a
 * single backend, statements of concurrent connections can interleave mid-protocol.
 */
export const EMBEDDED_MAX_CONNECTIONS = 4;
export const EMBEDDED_POOL_SIZE = 1;

export function testRunId(): string {
  const run = process.env.LANTOA_TEST_RUN;
  if (!run) throw new Error('The global test setup did not run (LANTOA_TEST_RUN is not set).');
  return run;
}

export function templateName(template: Template): string {
  return `lantoa_test_${testRunId()}_tpl_${template}`;
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** Tests create and drop databases: refuse a server database whose name does not say it is for tests. */
export function assertTestUrl(url: string): void {
  const name = new URL(url).pathname.slice(1);
  if (!/test/i.test(name)) {
    throw new Error(`TEST_DATABASE_URL must name a database whose name contains "test" (got "${name}").`);
  }
}

export async function createTestDatabase(template: Template = 'units'): Promise<TestDatabase> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    const dump = process.env[`LANTOA_TEST_DUMP_${template.toUpperCase()}`];
    if (!dump) throw new Error('The global test setup did not prepare the embedded templates.');
    const embedded = await EmbeddedPostgres.start({
      dataDir: 'memory://',
      maxConnections: EMBEDDED_MAX_CONNECTIONS,
      loadDataDir: new Blob([readFileSync(dump)]),
    });
    return { url: embedded.url, poolSize: EMBEDDED_POOL_SIZE, close: () => embedded.stop() };
  }
  assertTestUrl(serverUrl);
  const name = `lantoa_test_${testRunId()}_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${templateName(template)}`);
  } finally {
    await admin.end();
  }
  return {
    url: withDatabase(serverUrl, name),
    poolSize: 10,
    close: async () => {
      const client = new Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
