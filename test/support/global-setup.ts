import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { ENTITIES, MIGRATIONS } from '../../migrations/schema';
import { UnitImportService, UnitWriter } from '../../libs/hierarchy/src';
import { EmbeddedPostgres, postgresOptions, runMigrations } from '../../libs/platform/src';
import { assertTestUrl, templateName, withDatabase } from './test-database';

async function prepare(url: string, withUnits: boolean): Promise<void> {
  const dataSource = new DataSource(postgresOptions(url, 2, { entities: ENTITIES, migrations: MIGRATIONS }));
  await dataSource.initialize();
  try {
    await runMigrations(dataSource);
    if (withUnits) await new UnitImportService(dataSource, new UnitWriter()).seedIfEmpty('default');
  } finally {
    await dataSource.destroy();
  }
}

/** Builds the template databases once per run; every test file then starts from a copy. */
export default async function globalSetup(): Promise<void> {
  Logger.overrideLogger(['error', 'warn']);
  process.env.LANTOA_TEST_RUN = `${process.pid}${randomBytes(2).toString('hex')}`;
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (serverUrl) {
    assertTestUrl(serverUrl);
    const admin = new Client({ connectionString: serverUrl });
    await admin.connect();
    try {
      for (const template of ['empty', 'units'] as const) {
        const name = templateName(template);
        await admin.query(`CREATE DATABASE ${name}`);
        await prepare(withDatabase(serverUrl, name), template === 'units');
      }
    } finally {
      await admin.end();
    }
    return;
  }
  console.log('\nTEST_DATABASE_URL is not set: the suite runs on the embedded PostgreSQL (PGlite).');
  const folder = mkdtempSync(join(tmpdir(), 'lantoa-test-'));
  process.env.LANTOA_TEST_FOLDER = folder;
  const embedded = await EmbeddedPostgres.start({ dataDir: 'memory://', maxConnections: 2 });
  try {
    await prepare(embedded.url, false);
    writeFileSync(join(folder, 'empty.tar'), Buffer.from(await (await embedded.dump()).arrayBuffer()));
    await prepare(embedded.url, true);
    writeFileSync(join(folder, 'units.tar'), Buffer.from(await (await embedded.dump()).arrayBuffer()));
  } finally {
    await embedded.stop();
  }
  process.env.LANTOA_TEST_DUMP_EMPTY = join(folder, 'empty.tar');
  process.env.LANTOA_TEST_DUMP_UNITS = join(folder, 'units.tar');
}
