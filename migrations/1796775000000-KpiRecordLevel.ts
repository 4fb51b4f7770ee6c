import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A record fact (a class held, a certificate, an online completion) keeps its curriculum level, and the unit
 * index carries it: the KPI's figures by level read the facts alone, index-only, instead of joining every
 * class and certificate of a unit's period to its row for the level (at province scale that join was most of
 * a KPI request, docs/benchmarks.md). A record's level never changes after it is created.
 */
export class KpiRecordLevel1796775000000 implements MigrationInterface {
  name = 'KpiRecordLevel1796775000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE kpi_record_fact ADD COLUMN level smallint`);
    for (const [kind, table] of [
      ['class', 'training_class'],
      ['certificate', 'certificate'],
      ['online', 'partner_learning_record'],
    ]) {
      await q.query(
        `UPDATE kpi_record_fact f SET level = r.level FROM ${table} r WHERE f.kind = $1 AND r.id = f.record_id`,
        [kind],
      );
    }
    await q.query(`ALTER TABLE kpi_record_fact ALTER COLUMN level SET NOT NULL`);
    await q.query(`DROP INDEX ix_kpi_record_fact_unit`);
    await q.query(
      `CREATE INDEX ix_kpi_record_fact_unit ON kpi_record_fact (program_id, view, unit_id, kind, day, level)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ix_kpi_record_fact_unit`);
    await q.query(
      `CREATE INDEX ix_kpi_record_fact_unit ON kpi_record_fact (program_id, view, unit_id, kind, day)`,
    );
    await q.query(`ALTER TABLE kpi_record_fact DROP COLUMN level`);
  }
}
