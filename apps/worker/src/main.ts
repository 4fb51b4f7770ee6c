import 'reflect-metadata';
import { Logger, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigError, loadConfig, PlatformModule } from '../../../libs/platform/src';
import { ENTITIES, MIGRATIONS } from '../../api/src/schema';

/**
 * The background-job process (exports, certificate batches). No job exists yet, so for now it connects to
 * the database (applying migrations like the API) and waits for a stop signal.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.databaseUrl) {
    throw new ConfigError(
      'DATABASE_URL',
      'is required for the worker (the embedded database belongs to the API)',
    );
  }
  @Module({ imports: [PlatformModule.forRoot({ config, entities: ENTITIES, migrations: MIGRATIONS })] })
  class WorkerModule {}
  const app = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true });
  app.enableShutdownHooks();
  new Logger('Worker').log('Lan Tỏa worker started; no background jobs are defined yet.');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
