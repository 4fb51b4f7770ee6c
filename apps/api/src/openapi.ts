import 'reflect-metadata';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from '../../../libs/platform/src';
import { AppModule } from './app.module';
import { openApiDocument } from './bootstrap';

/**
 * Writes the OpenAPI document to the file named on the command line, without a database: the application
 * is built in Nest's preview mode, which reads the controllers' and DTOs' metadata but instantiates nothing.
 * The web app's typed client is generated from this file (apps/web: npm run api:types).
 */
async function main(out: string): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'lantoa-openapi-'));
  try {
    const config = loadConfig({
      NODE_ENV: 'test',
      DATA_DIR: dataDir,
      DATABASE_URL: 'postgres://preview@127.0.0.1:1/none',
    });
    const app = await NestFactory.create(AppModule.forRoot({ config }), { preview: true, logger: false });
    writeFileSync(out, JSON.stringify(openApiDocument(app), null, 2) + '\n');
    await app.close();
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const out = process.argv[2];
if (!out) {
  console.error('Usage: node dist/apps/api/src/openapi.js <file.json>');
  process.exit(2);
}
main(out).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
