import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DemoSeedService } from '../../../libs/demo/src';
import { UnitImportService } from '../../../libs/hierarchy/src';
import { ConfigError, DomainError, loadConfig } from '../../../libs/platform/src';
import { AppModule } from './app.module';

const USAGE = `Usage: npm run cli -- <command>
  migrate                                   apply pending migrations (also done at every start)
  units:import --file F [--valid-from D] [--valid-to D]
                                            import a units file (two- or three-level shape)
  seed:demo                                 create the demo campaign in Thái Nguyên (once)`;

async function context(): Promise<INestApplicationContext> {
  // A command does its one job: it seeds nothing (an import into an empty database imports the given file
  // only), creates no administrator (that password file belongs to the service's own start, and a run
  // against DATABASE_URL must not replace the embedded instance's) and runs no queued jobs (it exits).
  const loaded = loadConfig();
  const config = {
    ...loaded,
    unitsSeedFile: null,
    seedDemo: 'false' as const,
    auth: { ...loaded.auth, bootstrapAdmin: false },
    jobs: { ...loaded.jobs, run: false },
  };
  return NestFactory.createApplicationContext(AppModule.forRoot({ config }), { logger: ['error', 'warn'] });
}

async function run(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'migrate': {
      const app = await context();
      console.log('Migrations are up to date.');
      await app.close();
      return;
    }
    case 'units:import': {
      const { values } = parseArgs({
        args: rest,
        options: {
          file: { type: 'string' },
          'valid-from': { type: 'string' },
          'valid-to': { type: 'string' },
        },
      });
      if (!values.file) throw new Error('--file is required\n' + USAGE);
      const app = await context();
      try {
        const summary = await app.get(UnitImportService).importFile(values.file, {
          validFrom: values['valid-from'],
          validTo: values['valid-to'],
        });
        console.log(JSON.stringify(summary, null, 2));
      } finally {
        await app.close();
      }
      return;
    }
    case 'seed:demo': {
      const app = await context();
      try {
        const summary = await app.get(DemoSeedService).seedIfAbsent();
        console.log(summary ? JSON.stringify(summary, null, 2) : 'The demo campaign exists already.');
      } finally {
        await app.close();
      }
      return;
    }
    default:
      console.log(USAGE);
      if (command) process.exitCode = 2;
  }
}

run(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof DomainError) {
    console.error(`${error.code}: ${error.message}`);
    for (const e of error.errors) console.error(`  ${e.field}: ${e.reason}`);
  } else if (error instanceof ConfigError) {
    console.error(error.message);
  } else {
    console.error(error instanceof Error ? error.message : error);
  }
  process.exit(1);
});
