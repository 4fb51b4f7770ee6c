import { ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../support/net';

const ROOT = join(__dirname, '../..');
export const MAIN = join(ROOT, 'dist/apps/api/src/main.js');
export const WEB_INDEX = join(ROOT, 'apps/web/dist/index.html');
/** Where the running service is described for the test files (they run in other processes). */
export const STATE_FILE = join(ROOT, 'dist/web-test-service.json');

export interface ServiceState {
  baseUrl: string;
  dataDir: string;
  pid: number;
  /** The service's own output (warnings and errors), for a failed journey to show. */
  logFile: string;
}

/**
 * Starts the built service exactly as `npm start` runs it on a fresh machine: the embedded database in a
 * new data folder, the demo campaign seeded, an administrator with a generated password.
 */
export async function startService(
  extraEnv: (port: number) => Promise<Record<string, string>> = () => Promise.resolve({}),
): Promise<{ state: ServiceState; child: ChildProcess }> {
  for (const file of [MAIN, WEB_INDEX]) {
    if (!existsSync(file))
      throw new Error(`${file} is missing: run "npm run build" before the browser tests.`);
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'lantoa-web-'));
  const port = await freePort();
  const extra = await extraEnv(port);
  const log: string[] = [];
  const logFile = join(dataDir, 'service.log');
  const child = spawn(process.execPath, [MAIN], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'development',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      PUBLIC_URL: `http://localhost:${port}`,
      ...extra,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout, child.stderr]) {
    stream.on('data', (chunk: Buffer) => {
      log.push(chunk.toString());
      appendFileSync(logFile, chunk);
    });
  }
  const baseUrl = `http://localhost:${port}`;
  // The first start imports the units and seeds the demo campaign: allow it a few minutes, no more (more on a
  // machine shared with other runs: LANTOA_WEB_START_SECONDS).
  const deadline = Date.now() + Number(process.env.LANTOA_WEB_START_SECONDS ?? 240) * 1000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`The service exited (${child.exitCode}):\n${log.join('')}`);
    try {
      const res = await fetch(`${baseUrl}/health`);
      if (res.ok) {
        const state = { baseUrl, dataDir, pid: child.pid!, logFile };
        writeFileSync(STATE_FILE, JSON.stringify(state));
        return { state, child };
      }
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  child.kill('SIGKILL');
  throw new Error(`The service did not answer /health in time:\n${log.join('')}`);
}

export function serviceState(): ServiceState {
  return JSON.parse(readFileSync(STATE_FILE, 'utf8')) as ServiceState;
}

/** The last lines the service wrote. */
export function serviceLogTail(lines = 30): string {
  const { logFile } = serviceState();
  if (!existsSync(logFile)) return '';
  return readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

export function stopService(state: ServiceState): void {
  try {
    process.kill(state.pid, 'SIGTERM');
  } catch {
    // already gone
  }
  rmSync(state.dataDir, { recursive: true, force: true });
  rmSync(STATE_FILE, { force: true });
}
