import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './net';

const run = promisify(execFile);
const BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';
/** The PostgreSQL tools refuse to run as root: as root, they run as the postgres user. */
const AS_POSTGRES = process.getuid?.() === 0;

/** A server of a private cluster: the primary, or a standby streaming from it. */
export interface PrivateServer {
  url: string;
  start(): Promise<void>;
  /** A fast shutdown: open connections are terminated (57P01), new ones refused. */
  stop(): Promise<void>;
  /** An immediate shutdown, as if the server were killed: no checkpoint, crash recovery at the next start. */
  crash(): Promise<void>;
}

/**
 * A PostgreSQL cluster of the test's own (initdb in a temporary folder, its own port), for tests that take
 * the database down. The shared server the other tests use is never touched. The primary runs with
 * wal_level=replica, so that a test can add a hot standby.
 */
export interface PrivatePostgres extends PrivateServer {
  /**
   * A hot standby made with `pg_basebackup -R` from the running primary, on another loopback port, started
   * and streaming (replay can be paused with pg_wal_replay_pause() on it).
   */
  startStandby(): Promise<PrivateServer>;
  /** Stops the cluster (and its standbys) if it runs and deletes its folder. */
  destroy(): Promise<void>;
}

async function tool(name: string, args: string[]): Promise<void> {
  const [file, argv] = AS_POSTGRES
    ? ['runuser', ['-u', 'postgres', '--', join(BIN, name), ...args]]
    : [join(BIN, name), args];
  // Every call is bounded: pg_ctl waits at most its -t, and the process itself at most a minute.
  await run(file, argv, { timeout: 60_000 });
}

/** One server of the cluster: its data folder, port and whether it runs. */
function server(dir: string, name: string, port: number, settings: string) {
  const data = join(dir, name);
  const state = { running: false };
  return {
    data,
    state,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start: async (): Promise<void> => {
      const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off ${settings}`;
      await tool('pg_ctl', [
        '-D',
        data,
        '-o',
        options,
        '-l',
        join(dir, `${name}.log`),
        '-w',
        '-t',
        '30',
        'start',
      ]);
      state.running = true;
    },
    stop: async (): Promise<void> => {
      await tool('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '30', 'stop']);
      state.running = false;
    },
    crash: async (): Promise<void> => {
      if (state.running) await tool('pg_ctl', ['-D', data, '-m', 'immediate', '-w', '-t', '30', 'stop']);
      state.running = false;
    },
  };
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'lantoa-private-pg-'));
  if (AS_POSTGRES) await run('chown', ['postgres', dir]);
  const port = await freePort();
  const primary = server(dir, 'data', port, '-c wal_level=replica -c max_wal_senders=4');
  const standbys: ReturnType<typeof server>[] = [];
  try {
    await tool('initdb', ['-D', primary.data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync']);
    await primary.start();
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    url: primary.url,
    start: primary.start,
    stop: primary.stop,
    crash: primary.crash,
    startStandby: async () => {
      const standby = server(dir, `standby-${standbys.length + 1}`, await freePort(), '-c hot_standby=on');
      // -R writes standby.signal and primary_conninfo; -X stream copies the WAL written meanwhile.
      await tool('pg_basebackup', [
        ...['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres'],
        ...['-D', standby.data, '-R', '-X', 'stream', '--no-sync', '-c', 'fast'],
      ]);
      standbys.push(standby);
      await standby.start();
      return { url: standby.url, start: standby.start, stop: standby.stop, crash: standby.crash };
    },
    destroy: async () => {
      try {
        for (const standby of standbys) await standby.crash();
        await primary.crash();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
