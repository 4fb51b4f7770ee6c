import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger as PinoLogger } from 'nestjs-pino';
import { ConfigError, loadConfig } from '../../../libs/platform/src';
import { WorkerModule } from './worker.module';

/**
 * The background-job process (attendance's derived work, certificate batches, large exports): the domain
 * modules without an HTTP server, always running jobs. Any number of workers can run against one database.
 */
async function main(): Promise<void> {
  const loaded = loadConfig();
  if (!loaded.databaseUrl) {
    throw new ConfigError(
      'DATABASE_URL',
      'is required for the worker (the embedded database belongs to the API process)',
    );
  }
  const config = { ...loaded, jobs: { ...loaded.jobs, run: true } };
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot({ config }), {
    bufferLogs: true,
  });
  app.useLogger(app.get(PinoLogger));
  app.enableShutdownHooks();
  new Logger('Worker').log(`Lan Tỏa worker started: up to ${config.jobs.concurrency} job(s) at a time.`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
