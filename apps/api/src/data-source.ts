import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig, postgresOptions } from '../../../libs/platform/src';
import { ENTITIES, MIGRATIONS } from '../../../migrations/schema';

/**
 * The data source for the TypeORM CLI (`npm run migration:generate -- migrations/Name`), on DATABASE_URL.
 * Generated SQL is a draft: read it, name constraints and indexes, and write an exact `down`.
 */
const config = loadConfig();
if (!config.databaseUrl) throw new Error('Set DATABASE_URL to a PostgreSQL server to generate migrations.');

export default new DataSource(
  postgresOptions(config.databaseUrl, 2, { entities: ENTITIES, migrations: MIGRATIONS }),
);
