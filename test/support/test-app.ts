import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createApiApp } from '../../apps/api/src/bootstrap';
import { Clock, loadConfig } from '../../libs/platform/src';
import { Http } from './http';
import { createTestDatabase, Template, TestDatabase } from './test-database';
export { freePort } from './net';

export const ADMIN = { login: 'admin@test.lantoa.vn', password: 'Admin-Password-2026' };

export interface TestApp {
  app: INestApplication;
  db: TestDatabase;
  dataSource: DataSource;
  /** Authenticated as the administrator. */
  http: Http;
  /** No credentials. */
  anonymous: Http;
  baseUrl: string;
  /** Every JSON log line the app wrote. */
  logs: string[];
  /** Logs the administrator in again (after a test moved the clock past the token's expiry). */
  reauthenticate(): Promise<void>;
  /** Logs in and returns a client carrying that user's access token. */
  login(login: string, password: string): Promise<Http>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  template?: Template;
  env?: Record<string, string>;
  clock?: Clock;
  /** Another app's database: a second API process on the same data (it is left open on close). */
  db?: TestDatabase;
  /** Listen on this port (0: any free one). */
  port?: number;
}

/** Boots the real API (same bootstrap as production) on a fresh database, listening on a random port. */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const shared = options.db !== undefined;
  const db = options.db ?? (await createTestDatabase(options.template ?? 'units'));
  const dataDir = mkdtempSync(join(tmpdir(), 'lantoa-app-'));
  const logs: string[] = [];
  try {
    const config = loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: db.url,
      DATA_DIR: dataDir,
      DB_POOL_SIZE: String(db.poolSize),
      UNITS_SEED_FILE: 'none',
      LOG_LEVEL: 'info',
      ADMIN_LOGIN: ADMIN.login,
      ADMIN_PASSWORD: ADMIN.password,
      ...options.env,
    });
    const app = await createApiApp({
      config,
      clock: options.clock,
      logStream: { write: (line: string) => void logs.push(line) },
    });
    await app.listen(options.port ?? 0, '127.0.0.1');
    // Tests block their event loop at times (pdftoppm, LibreOffice): the server must not close an idle
    // keep-alive connection the client is about to reuse when the loop runs again.
    app.getHttpServer().keepAliveTimeout = 60_000;
    const { port } = app.getHttpServer().address() as AddressInfo;
    const baseUrl = `http://127.0.0.1:${port}`;
    const login = async (name: string, password: string): Promise<Http> => {
      const res = await new Http(baseUrl).post('/api/v1/auth/login', { login: name, password });
      if (res.status !== 200) throw new Error(`login of ${name} failed: ${res.status} ${res.text}`);
      const client = new Http(baseUrl);
      client.token = res.body.accessToken;
      return client;
    };
    const http = await login(ADMIN.login, ADMIN.password);
    return {
      app,
      db,
      dataSource: app.get(DataSource),
      http,
      reauthenticate: async () => {
        http.token = (await login(ADMIN.login, ADMIN.password)).token;
      },
      anonymous: new Http(baseUrl),
      baseUrl,
      logs,
      login,
      close: async () => {
        await app.close();
        if (!shared) await db.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    if (!shared) await db.close();
    throw error;
  }
}
