import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Http } from '../support/http';

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
    };
    for (const name of ['DATABASE_URL', 'TEST_DATABASE_URL', 'NODE_ENV', 'ADMIN_LOGIN', 'ADMIN_PASSWORD'])
      delete env[name];
    const child = spawn('npm', ['start', '--silent'], { cwd: root, env, detached: true });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    // The first start builds the app and seeds the demo campaign: minutes on a busy 2-core machine.
    const deadline = Date.now() + 240_000;
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

  async function login(http: Http, name: string, password: string): Promise<Http> {
    const res = await http.post('/api/v1/auth/login', { login: name, password });
    expect(res.status).toBe(200);
    const client = new Http(http.baseUrl);
    client.token = res.body.accessToken;
    return client;
  }

  it('comes up seeded with the real units and an administrator, and a second start reuses the data', async () => {
    const port = await freePort();
    const anonymous = new Http(`http://127.0.0.1:${port}`);
    const newPassword = 'Smoke-Test-Password-2026';

    const first = await start(port);
    let adminLogin: string;
    try {
      expect((await anonymous.get('/api/v1/units?parent=19')).status).toBe(401);
      const file = join(dataDir, 'admin-password.txt');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const [name, generated] = readFileSync(file, 'utf8').trim().split('\n');
      adminLogin = name;
      const admin = await login(anonymous, name, generated);
      // A generated password must be changed before anything else.
      const blocked = await admin.get('/api/v1/units?parent=19');
      expect([blocked.status, blocked.body.code]).toEqual([403, 'PASSWORD_CHANGE_REQUIRED']);
      expect(
        (await admin.post('/api/v1/auth/password', { currentPassword: generated, newPassword })).status,
      ).toBe(204);
      const signedIn = await login(anonymous, name, newPassword);
      expect((await signedIn.get('/api/v1/units?parent=19')).body.total).toBe(92);
      // The demo campaign is there at once on the embedded database.
      const programs = await signedIn.get('/api/v1/programs?unit=19');
      expect(programs.body.items.map((p: { code: string }) => p.code)).toEqual(['TN']);
      const steering = await login(anonymous, 'bcd.thainguyen@lantoa.vn', 'LanToa-Demo-2026');
      const board = await steering.get(
        `/api/v1/programs/${programs.body.items[0].id}/leaderboard?unit=19&limit=1`,
      );
      expect(board.body.items[0].pace.directReach).toBeGreaterThan(0);
    } finally {
      await stop(first.child);
    }
    expect(first.output()).toContain('Imported 3355 administrative units');
    expect(first.output()).toContain('Administrator account created');
    expect(existsSync(join(dataDir, 'pgdata'))).toBe(true);

    const second = await start(port);
    try {
      const communes = await (await login(anonymous, adminLogin, newPassword)).get('/api/v1/units?parent=19');
      expect(communes.body.total).toBe(92);
    } finally {
      await stop(second.child);
    }
    expect(second.output()).not.toContain('Imported');
    expect(second.output()).not.toContain('Administrator account created');
    expect(second.output()).not.toContain('Demo campaign seeded');
  }, 480_000);
});
