import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { DockerfileStepFailed, runDockerfile } from './dockerfile-steps';
import { freePort } from '../support/net';

const ROOT = join(__dirname, '../..');
const read = (path: string) => readFileSync(path, 'utf8');
const ignoreOf = (path: string) => read(path).split('\n');

/**
 * Waits (bounded) for a process to exit: its exit code or the signal that ended it, or null if it did not.
 * Nest closes the application on SIGTERM and then ends the process with the same signal, as Docker expects.
 */
function exited(child: ChildProcess, ms: number): Promise<number | string | null> {
  if (child.exitCode !== null || child.signalCode !== null)
    return Promise.resolve(child.exitCode ?? child.signalCode);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), ms);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(code ?? signal);
    });
  });
}

/** SIGTERM, then the process closes (its jobs finished) and exits by itself within 30 s. */
async function stopsGracefully(child: ChildProcess, output: string[]): Promise<void> {
  child.kill('SIGTERM');
  expect(await exited(child, 30_000)).toBe('SIGTERM');
  const log = output.join('');
  expect(log).toContain('Stopping: waiting for 0 running job(s) to finish.');
  expect(log).toContain('Stopped.');
}

/**
 * The image's recipe, run here without Docker: the Dockerfile that shipped on 2026-12-05 installs before it
 * copies the patches (so exceljs's UTF-8 fix and the web app's packages are missing); the current one builds a
 * service that starts, serves the web app, answers /health, and stops gracefully on SIGTERM — as the API and as
 * the worker.
 */
describe('the Docker image, built from its Dockerfile without a Docker engine', () => {
  const out = mkdtempSync(join(tmpdir(), 'lantoa-docker-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('refuses the Dockerfile that installed before copying the patches', () => {
    let failure: unknown;
    try {
      runDockerfile(
        read(join(__dirname, 'Dockerfile.2026-12-05')),
        ROOT,
        join(out, 'before'),
        ignoreOf(join(__dirname, 'Dockerfile.2026-12-05.dockerignore')),
      );
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(DockerfileStepFailed);
    const step = failure as DockerfileStepFailed;
    // Its first install already fails: the postinstall needs the patches and the web app's package files.
    expect(step.step).toBe('RUN npm ci');
    expect(step.output).toMatch(/apps\/web|patch/);
  }, 900_000);

  describe('the current Dockerfile', () => {
    let db: TestDatabase;
    let run: ReturnType<typeof runDockerfile>;

    beforeAll(async () => {
      db = await createTestDatabase('empty');
      run = runDockerfile(
        read(join(ROOT, 'apps/api/Dockerfile')),
        ROOT,
        join(out, 'after'),
        ignoreOf(join(ROOT, 'apps/api/Dockerfile.dockerignore')),
      );
    }, 900_000);
    afterAll(() => db?.close());

    it('installs with the patches applied and keeps only what the service needs', () => {
      // exceljs's streaming reader, patched to decode UTF-8 across chunks: the same file as here.
      const patched = 'node_modules/exceljs/lib/utils/parse-sax.js';
      expect(read(join(run.appDir, patched))).toBe(read(join(ROOT, patched)));
      expect(read(join(run.appDir, patched))).toContain('StringDecoder');
      expect(read(join(run.appDir, 'apps/web/dist/index.html'))).toContain('<div id="root">');
      expect(() => read(join(run.appDir, 'node_modules/jest/package.json'))).toThrow();
      expect(run.user).toBe('node');
      expect(run.healthcheck).toContain('/health');
      expect(run.cmd).toEqual(['node', 'dist/apps/api/src/main.js']);
    });

    async function start(cmd: string[]): Promise<{ child: ChildProcess; baseUrl: string; output: string[] }> {
      const port = await freePort();
      const output: string[] = [];
      const child = spawn(cmd[0], cmd.slice(1), {
        cwd: run.appDir,
        env: {
          PATH: process.env.PATH,
          ...run.env,
          PORT: String(port),
          HOST: '127.0.0.1',
          DATA_DIR: mkdtempSync(join(out, 'data-')),
          DATABASE_URL: db.url,
          JWT_SECRET: 'a-test-secret-that-is-long-enough-for-production-use',
          PUBLIC_URL: `http://127.0.0.1:${port}`,
          ADMIN_PASSWORD: 'Quan-tri-thu-nghiem-2026',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      for (const stream of [child.stdout, child.stderr])
        stream.on('data', (c: Buffer) => output.push(c.toString()));
      return { child, baseUrl: `http://127.0.0.1:${port}`, output };
    }

    it('starts the API with the web app, and stops gracefully on SIGTERM', async () => {
      const { child, baseUrl, output } = await start(run.cmd);
      try {
        let health: Response | null = null;
        for (let i = 0; i < 240 && child.exitCode === null; i++) {
          health = await fetch(`${baseUrl}/health`).catch(() => null);
          if (health?.ok) break;
          await new Promise((r) => setTimeout(r, 500));
        }
        expect([health?.status, output.join('').slice(-2000)]).toEqual([200, expect.any(String)]);
        const page = await fetch(`${baseUrl}/tong-quan`);
        expect(page.headers.get('content-type')).toContain('text/html');
        expect(await page.text()).toContain('<div id="root">');
        await stopsGracefully(child, output);
      } finally {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      }
    }, 180_000);

    it('starts the worker from the same image, and stops it gracefully', async () => {
      const { child, output } = await start(['node', 'dist/apps/worker/src/main.js']);
      try {
        for (let i = 0; i < 120 && !output.join('').includes('worker started'); i++) {
          await new Promise((r) => setTimeout(r, 500));
        }
        expect(output.join('')).toContain('worker started');
        await stopsGracefully(child, output);
      } finally {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      }
    }, 120_000);
  });
});
