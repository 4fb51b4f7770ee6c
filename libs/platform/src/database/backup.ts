import { spawnSync } from 'node:child_process';
import {
  existsSync,
  openSync,
  readdirSync,
  readSync,
  closeSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { AppConfig } from '../config/app-config';
import { EmbeddedPostgres } from './embedded-postgres';

/**
 * Backups of either database, taken and restored by the CLI (`npm run cli -- backup|restore`):
 * - a PostgreSQL server (DATABASE_URL): `pg_dump --format=custom`, restored with `pg_restore` in a single
 *   transaction into an empty database (or over the existing objects with `force`);
 * - the embedded database (no DATABASE_URL): a gzipped tarball of DATA_DIR/pgdata, taken while the service is
 *   stopped (PGlite is one process's files), restored into a data folder that does not exist yet (or over it
 *   with `force`, the old folder kept until the new one opens).
 * The file says which it is (its first bytes), so a dump is never restored into the other kind.
 */
export type BackupKind = 'server' | 'embedded';

export interface BackupResult {
  kind: BackupKind;
  file: string;
  bytes: number;
}

export class BackupError extends Error {}

function kindOf(file: string): BackupKind | null {
  const fd = openSync(file, 'r');
  const head = Buffer.alloc(5);
  try {
    readSync(fd, head, 0, 5, 0);
  } finally {
    closeSync(fd);
  }
  if (head.toString('latin1') === 'PGDMP') return 'server';
  if (head[0] === 0x1f && head[1] === 0x8b) return 'embedded';
  return null;
}

function run(tool: string, args: string[]): void {
  const result = spawnSync(tool, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error)
    throw new BackupError(`${tool} could not run (${result.error.message}): install postgresql-client`);
  if (result.status !== 0) throw new BackupError(`${tool} failed:\n${result.stderr.trim()}`);
}

function embeddedFolder(config: AppConfig): string {
  return join(config.dataDir, 'pgdata');
}

export async function backupDatabase(config: AppConfig, file: string): Promise<BackupResult> {
  if (config.databaseUrl) {
    run('pg_dump', [
      '--format=custom',
      '--no-owner',
      '--no-privileges',
      `--file=${file}`,
      `--dbname=${config.databaseUrl}`,
    ]);
    return { kind: 'server', file, bytes: statSync(file).size };
  }
  const folder = embeddedFolder(config);
  if (!existsSync(folder)) throw new BackupError(`no embedded database in ${folder}`);
  const dump = await EmbeddedPostgres.dumpFolder(folder);
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()), { mode: 0o600 });
  return { kind: 'embedded', file, bytes: statSync(file).size };
}

async function serverIsEmpty(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>(
      `SELECT count(*) AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')`,
    );
    return Number(rows[0].n) === 0;
  } finally {
    await client.end();
  }
}

export async function restoreDatabase(
  config: AppConfig,
  file: string,
  options: { force?: boolean } = {},
): Promise<BackupResult> {
  if (!existsSync(file)) throw new BackupError(`${file} does not exist`);
  const kind = kindOf(file);
  const target: BackupKind = config.databaseUrl ? 'server' : 'embedded';
  if (kind === null) throw new BackupError(`${file} is not a backup of this service`);
  if (kind !== target) {
    throw new BackupError(
      `${file} is a backup of ${kind === 'server' ? 'a PostgreSQL server' : 'the embedded database'}; ` +
        `this configuration uses ${target === 'server' ? 'a server (DATABASE_URL)' : 'the embedded database'}`,
    );
  }
  if (config.databaseUrl) {
    const empty = await serverIsEmpty(config.databaseUrl);
    if (!empty && !options.force)
      throw new BackupError(
        'the database is not empty: restore into a new database, or pass --force to replace it',
      );
    run('pg_restore', [
      '--no-owner',
      '--no-privileges',
      '--single-transaction',
      '--exit-on-error',
      ...(empty ? [] : ['--clean', '--if-exists']),
      `--dbname=${config.databaseUrl}`,
      file,
    ]);
    return { kind, file, bytes: statSync(file).size };
  }
  const folder = embeddedFolder(config);
  const present = existsSync(folder) && readdirSync(folder).length > 0;
  if (present && !options.force)
    throw new BackupError(`${folder} exists: stop the service and pass --force to replace it`);
  const fresh = `${folder}.restoring`;
  rmSync(fresh, { recursive: true, force: true });
  await EmbeddedPostgres.restoreFolder(fresh, new Blob([readFileSync(file)]));
  if (present) {
    const old = `${folder}.before-restore`;
    rmSync(old, { recursive: true, force: true });
    renameSync(folder, old);
  }
  renameSync(fresh, folder);
  return { kind, file, bytes: statSync(file).size };
}
