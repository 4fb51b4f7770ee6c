import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';
/** The PostgreSQL tools refuse to run as root: as root, they run as the postgres user. */
const AS_POSTGRES = process.getuid?.() === 0;

/**
 * A PostgreSQL cluster of the test's own (initdb in a temporary folder, its own port), for tests that take
 * the database down. The shared server the other tests use is never touched.
 */
export interface PrivatePostgres {
  url: string;
  start(): Promise<void>;
  /** A fast shutdown: open connections are terminated (57P01), new ones refused. */
  stop(): Promise<void>;
  /** An immediate shutdown, as if the server were killed: no checkpoint, crash recovery at the next start. */
  crash(): Promise<void>;
  /** Stops the cluster if it runs and deletes its folder. */
  destroy(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function tool(name: string, args: string[]): Promise<void> {
  const [file, argv] = AS_POSTGRES
    ? ['runuser', ['-u', 'postgres', '--', join(BIN, name), ...args]]
    : [join(BIN, name), args];
  // Every call is bounded: pg_ctl waits at most its -t, and the process itself at most a minute.
  await run(file, argv, { timeout: 60_000 });
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'lantoa-private-pg-'));
  if (AS_POSTGRES) await run('chown', ['postgres', dir]);
  const data = join(dir, 'data');
  const port = await freePort();
  let running = false;
  const start = async (): Promise<void> => {
    const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
    await tool('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'log'), '-w', '-t', '30', 'start']);
    running = true;
  };
  const stop = async (): Promise<void> => {
    await tool('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '30', 'stop']);
    running = false;
  };
  try {
    await tool('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync']);
    await start();
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const crash = async (): Promise<void> => {
    await tool('pg_ctl', ['-D', data, '-m', 'immediate', '-w', '-t', '30', 'stop']);
    running = false;
  };
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start,
    stop,
    crash,
    destroy: async () => {
      try {
        if (running) await crash();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
