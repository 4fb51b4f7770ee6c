import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Boots the service exactly as a newcomer does (`npm start`), with no database server: embedded PostgreSQL. */
describe('npm start on the embedded database', () => {
  const root = join(__dirname, '../..');
  const dataDir = mkdtempSync(join(tmpdir(), 'lantoa-smoke-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  const freePort = () =>
    new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });

  async function start(port: number): Promise<{ child: ChildProcess; output: () => string }> {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      NODE_ENV: 'development',
    };
    delete env.DATABASE_URL;
    delete env.TEST_DATABASE_URL;
    const child = spawn('npm', ['start', '--silent'], { cwd: root, env, detached: true });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`npm start exited early:\n${output}`);
      const ok = await fetch(`http://127.0.0.1:${port}/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return { child, output: () => output };
      await new Promise((r) => setTimeout(r, 250));
    }
    process.kill(-child.pid!, 'SIGKILL');
    throw new Error(`the service did not become healthy:\n${output}`);
  }

  async function stop(child: ChildProcess): Promise<void> {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    process.kill(-child.pid!, 'SIGTERM');
    await exited;
  }

  async function communesOfThaiNguyen(port: number): Promise<number> {
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/units?parent=19`);
    expect(res.status).toBe(200);
    return ((await res.json()) as { total: number }).total;
  }

  it('comes up seeded with the real units, and a second start reuses the data', async () => {
    const port = await freePort();
    const first = await start(port);
    try {
      expect(await communesOfThaiNguyen(port)).toBe(92);
    } finally {
      await stop(first.child);
    }
    expect(first.output()).toContain('Imported 3355 administrative units');
    expect(existsSync(join(dataDir, 'pgdata'))).toBe(true);

    const second = await start(port);
    try {
      expect(await communesOfThaiNguyen(port)).toBe(92);
    } finally {
      await stop(second.child);
    }
    expect(second.output()).not.toContain('Imported');
  }, 300_000);
});
