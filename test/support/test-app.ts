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

export interface TestApp {
  app: INestApplication;
  db: TestDatabase;
  dataSource: DataSource;
  http: Http;
  baseUrl: string;
  /** Every JSON log line the app wrote. */
  logs: string[];
  close(): Promise<void>;
}

export interface TestAppOptions {
  template?: Template;
  env?: Record<string, string>;
  clock?: Clock;
}

/** Boots the real API (same bootstrap as production) on a fresh database, listening on a random port. */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const db = await createTestDatabase(options.template ?? 'units');
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
      ...options.env,
    });
    const app = await createApiApp({
      config,
      clock: options.clock,
      logStream: { write: (line: string) => void logs.push(line) },
    });
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as AddressInfo;
    const baseUrl = `http://127.0.0.1:${port}`;
    return {
      app,
      db,
      dataSource: app.get(DataSource),
      http: new Http(baseUrl),
      baseUrl,
      logs,
      close: async () => {
        await app.close();
        await db.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await db.close();
    throw error;
  }
}
