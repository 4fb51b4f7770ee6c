import { DataSource } from 'typeorm';
import { ENTITIES, MIGRATIONS } from '../../migrations/schema';
import { postgresOptions, runMigrations } from '../../libs/platform/src';
import { createTestDatabase, TestDatabase } from '../support/test-database';

describe('migrations', () => {
  let db: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    // The template already ran every migration on an empty database.
    db = await createTestDatabase('empty');
    dataSource = new DataSource(postgresOptions(db.url, 2, { entities: ENTITIES, migrations: MIGRATIONS }));
    await dataSource.initialize();
  });
  afterAll(async () => {
    await dataSource.destroy();
    await db.close();
  });

  const pendingSchemaChanges = async (): Promise<string[]> =>
    (await dataSource.driver.createSchemaBuilder().log()).upQueries.map((q) => q.query);

  it('produce exactly the schema the entities describe (generating a migration finds nothing)', async () => {
    expect(await pendingSchemaChanges()).toEqual([]);
  });

  it('are all applied, and applying again does nothing', async () => {
    expect(await runMigrations(dataSource)).toEqual([]);
    const applied: { name: string }[] = await dataSource.query(
      'SELECT name FROM schema_migration ORDER BY id',
    );
    expect(applied.map((m) => m.name)).toEqual(MIGRATIONS.map((m) => m.name));
  });

  it('revert exactly: undoing every migration leaves no table, and redoing them restores the schema', async () => {
    for (let i = 0; i < MIGRATIONS.length; i++) await dataSource.undoLastMigration({ transaction: 'each' });
    const tables: { table_name: string }[] = await dataSource.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'schema_migration'`,
    );
    expect(tables).toEqual([]);
    expect(await runMigrations(dataSource)).toHaveLength(MIGRATIONS.length);
    expect(await pendingSchemaChanges()).toEqual([]);
  });
});
