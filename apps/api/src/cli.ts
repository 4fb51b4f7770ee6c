import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DemoSeedService } from '../../../libs/demo/src';
import {
  SuccessionSummary,
  TWO_LEVEL_SINCE,
  UnitImportService,
  UnitSuccessionService,
} from '../../../libs/hierarchy/src';
import {
  BackupError,
  backupDatabase,
  ConfigError,
  DomainError,
  loadConfig,
  restoreDatabase,
} from '../../../libs/platform/src';
import { AppModule } from './app.module';

const USAGE = `Usage: npm run cli -- <command>
  migrate                                   apply pending migrations (also done at every start)
  units:import --file F [--valid-from D] [--valid-to D]
                                            import a units file (two- or three-level shape); a three-level
                                            list (with districts) is the map before 2025-07-01, as history
  units:successions [--file F] [--effective-date D] [--strict]
                                            record which earlier units formed today's (default: the bundled
                                            2025 reorganisation); the earlier map must be imported first
  units:history                             import the bundled map before 2025-07-01 (63 provinces, 696
                                            districts, 10,035 communes) and the 2025 reorganisation
  seed:demo                                 create the demo campaign in Thái Nguyên (once)
  backup --out F                            write a backup of the database to F (pg_dump of DATABASE_URL,
                                            or the embedded data folder with the service stopped)
  restore --file F [--force]                restore the backup F into an empty database (or, with --force,
                                            over the current one); docs/operations.md`;

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

/** A successions report with its lists cut to their first 20 entries (the whole country has thousands). */
function inShort(summary: SuccessionSummary): unknown {
  const cut = <T>(items: T[]): (T | string)[] =>
    items.length > 20 ? [...items.slice(0, 20), `… và ${items.length - 20} mã khác`] : items;
  return {
    ...summary,
    unmatched: { earlier: cut(summary.unmatched.earlier), today: cut(summary.unmatched.today) },
    matchedByName: cut(summary.matchedByName),
    namesDiffer: cut(summary.namesDiffer),
  };
}

/** Runs `work` with the application's modules, and closes them whatever happens. */
async function withApp(work: (app: INestApplicationContext) => Promise<void>): Promise<void> {
  const app = await context();
  try {
    await work(app);
  } finally {
    await app.close();
  }
}

const print = (value: unknown) => console.log(JSON.stringify(value, null, 2));

async function run(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'migrate':
      return withApp(async () => console.log('Migrations are up to date.'));
    case 'units:import': {
      const { values } = parseArgs({
        args: rest,
        options: {
          file: { type: 'string' },
          'valid-from': { type: 'string' },
          'valid-to': { type: 'string' },
        },
      });
      const file = values.file;
      if (!file) throw new Error('--file is required\n' + USAGE);
      return withApp(async (app) => {
        const summary = await app.get(UnitImportService).importFile(file, {
          validFrom: values['valid-from'],
          validTo: values['valid-to'],
        });
        print(summary);
        if (summary.history && summary.validTo === TWO_LEVEL_SINCE) {
          console.log(
            `Imported as the map before ${TWO_LEVEL_SINCE}; to link it to today's map: npm run units:successions`,
          );
        }
      });
    }
    case 'units:successions': {
      const { values } = parseArgs({
        args: rest,
        options: {
          file: { type: 'string' },
          'effective-date': { type: 'string' },
          strict: { type: 'boolean' },
        },
      });
      return withApp(async (app) => {
        const service = app.get(UnitSuccessionService);
        const options = { effectiveDate: values['effective-date'], strict: values.strict };
        const summary = values.file
          ? await service.importFile(values.file, options)
          : await service.importBundled(options);
        print(inShort(summary));
      });
    }
    case 'units:history':
      return withApp(async (app) => {
        const { units, successions } = await app.get(UnitSuccessionService).importBundledHistory();
        print({ units, successions: inShort(successions) });
      });
    case 'seed:demo':
      return withApp(async (app) => {
        const summary = await app.get(DemoSeedService).seedIfAbsent();
        console.log(summary ? JSON.stringify(summary, null, 2) : 'The demo campaign exists already.');
      });
    case 'backup': {
      const { values } = parseArgs({ args: rest, options: { out: { type: 'string' } } });
      if (!values.out) throw new Error('--out is required\n' + USAGE);
      return print(await backupDatabase(loadConfig(), values.out));
    }
    case 'restore': {
      const { values } = parseArgs({
        args: rest,
        options: { file: { type: 'string' }, force: { type: 'boolean' } },
      });
      if (!values.file) throw new Error('--file is required\n' + USAGE);
      // Restored as it was taken: the next start applies any migrations written since.
      return print(await restoreDatabase(loadConfig(), values.file, { force: values.force }));
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
  } else if (error instanceof ConfigError || error instanceof BackupError) {
    console.error(error.message);
  } else {
    console.error(error instanceof Error ? error.message : error);
  }
  process.exit(1);
});
