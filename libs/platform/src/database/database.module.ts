import { DynamicModule, Logger, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { join } from 'node:path';
import { types } from 'pg';
import { DataSource, DataSourceOptions, MixedList } from 'typeorm';
import { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';
import { EmbeddedPostgres } from './embedded-postgres';
import { runMigrations } from './migrate';

export interface DatabaseModuleOptions {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function>;
}

/** A DataSource that also stops the embedded server it runs on, once its own pool is closed. */
class OwnedDataSource extends DataSource {
  constructor(
    options: DataSourceOptions,
    private readonly embedded: EmbeddedPostgres | null,
  ) {
    super(options);
  }

  override async destroy(): Promise<void> {
    if (this.isInitialized) await super.destroy();
    await this.embedded?.stop();
  }
}

// A DATE is a calendar day, not an instant: keep it as 'YYYY-MM-DD' instead of a local-midnight Date.
types.setTypeParser(types.builtins.DATE, (value: string) => value);

export function postgresOptions(
  url: string,
  poolSize: number,
  options: DatabaseModuleOptions,
): PostgresConnectionOptions {
  return {
    type: 'postgres',
    url,
    entities: options.entities,
    migrations: options.migrations,
    migrationsTableName: 'schema_migration',
    synchronize: false,
    migrationsRun: false,
    logging: false,
    // Timestamps travel as UTC instants; calendar days are cut in Asia/Ho_Chi_Minh by the code and SQL.
    // A province's working set sits in memory (or on SSD), where an index lookup costs little more than a
    // sequential read: with the default random_page_cost (4, for spinning disks) the planner would hash whole
    // tables to serve a batch of a few hundred people.
    extra: { max: poolSize, options: '-c TimeZone=UTC -c random_page_cost=1.1' },
  };
}

/**
 * One code path for both databases: with DATABASE_URL the service uses that server, otherwise it starts an
 * embedded PostgreSQL in DATA_DIR/pgdata. Either way, migrations run before anything else touches the schema.
 */
@Module({})
export class DatabaseModule {
  static forRoot(options: DatabaseModuleOptions): DynamicModule {
    const logger = new Logger('Database');
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => ({
            ...postgresOptions(config.databaseUrl ?? 'embedded', config.dbPoolSize, options),
            // The connection is made (and the embedded server started) in dataSourceFactory.
            manualInitialization: true,
            retryAttempts: 3,
            retryDelay: 2000,
            dataDir: config.dataDir,
          }),
          dataSourceFactory: async (factoryOptions) => {
            const { dataDir, ...dataSourceOptions } = factoryOptions as PostgresConnectionOptions & {
              dataDir: string;
            };
            const poolSize = (dataSourceOptions.extra as { max: number }).max;
            let embedded: EmbeddedPostgres | null = null;
            if (dataSourceOptions.url === 'embedded') {
              const folder = join(dataDir, 'pgdata');
              embedded = await EmbeddedPostgres.start({ dataDir: folder, maxConnections: poolSize });
              logger.log(`Embedded PostgreSQL (PGlite) started with data in ${folder}`);
            }
            const url = embedded ? embedded.url : dataSourceOptions.url;
            const dataSource = new OwnedDataSource({ ...dataSourceOptions, url }, embedded);
            try {
              await dataSource.initialize();
              const applied = await runMigrations(dataSource);
              if (applied.length) logger.log(`Applied migrations: ${applied.join(', ')}`);
            } catch (error) {
              await dataSource.destroy().catch(() => undefined);
              throw error;
            }
            return dataSource;
          },
        }),
      ],
    };
  }
}
