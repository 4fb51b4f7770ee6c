/**
 * Writes test/sql/snapshots/*.sql: the SQL the API sends for its hot operations, captured on a test
 * database of the PostgreSQL server at TEST_DATABASE_URL (by default CI's, postgres://…/test), with the
 * index each statement must use. Review the difference, then commit it.
 *   npm run sql:snapshots
 */
import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { Logger } from '@nestjs/common';
import globalSetup from '../support/global-setup';
import globalTeardown from '../support/global-teardown';
import { captureFamilies, render, SNAPSHOT_DIR, snapshotPath, startCaptureSession } from './capture';

async function main(): Promise<void> {
  process.env.TEST_DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/test';
  Logger.overrideLogger(['error', 'warn']);
  await globalSetup();
  try {
    const session = await startCaptureSession();
    try {
      const families = await captureFamilies(session);
      mkdirSync(SNAPSHOT_DIR, { recursive: true });
      for (const [family, captured] of families) {
        writeFileSync(snapshotPath(family), render(family, captured));
        console.log(`test/sql/snapshots/${family.file}: ${captured.length} statements`);
      }
    } finally {
      await session.close();
    }
  } finally {
    await globalTeardown();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
