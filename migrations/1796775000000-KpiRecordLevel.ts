import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The KPI's figures by curriculum level read sums, as its other counts do, instead of joining every class and
 * certificate of a unit's period to its row for the level (at province scale that join was most of a KPI
 * request, docs/benchmarks.md):
 * - a record fact (a class held, a certificate, an online completion) keeps its level, which never changes
 *   after the record is created, and `ix_kpi_record_fact_unit` carries it (the partial months at a period's
 *   edges are counted from the index alone);
 * - the monthly sums of classes held and certificates issued are kept per level: `level` joins
 *   `kpi_monthly`'s key (0 on the rows of people), and the rows of classes and certificates are rewritten
 *   from the facts by level.
 */
/** A row of monthly sums whose every count is zero: the same figures as no row. */
const ALL_ZERO = [
  'reached',
  'completed',
  'proficient',
  'classes_held',
  'certificates_issued',
  'reached_online',
  'completed_online',
  'proficient_online',
]
  .map((c) => `${c} = 0`)
  .join(' AND ');

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

    await q.query(`ALTER TABLE kpi_monthly ADD COLUMN level smallint NOT NULL DEFAULT 0`);
    await q.query(`ALTER TABLE kpi_monthly DROP CONSTRAINT pk_kpi_monthly`);
    await q.query(
      `ALTER TABLE kpi_monthly ADD CONSTRAINT pk_kpi_monthly
         PRIMARY KEY (program_id, view, unit_id, month, segment, working_age, level)`,
    );
    // Classes and certificates, until now summed at level 0, summed again from their facts by level.
    await q.query(`UPDATE kpi_monthly SET classes_held = 0, certificates_issued = 0
                    WHERE classes_held <> 0 OR certificates_issued <> 0`);
    await q.query(`
      INSERT INTO kpi_monthly (program_id, view, unit_id, month, segment, working_age, level, classes_held,
                               certificates_issued)
      SELECT program_id, view, unit_id, date_trunc('month', day)::date, '', false, level,
             count(*) FILTER (WHERE kind = 'class'), count(*) FILTER (WHERE kind = 'certificate')
        FROM kpi_record_fact WHERE kind <> 'online'
       GROUP BY program_id, view, unit_id, date_trunc('month', day), level`);
    await q.query(`DELETE FROM kpi_monthly WHERE ${ALL_ZERO}`);
  }

  async down(q: QueryRunner): Promise<void> {
    // The sums of all levels back on one row per key (added to the people's row where there is one).
    await q.query(`
      INSERT INTO kpi_monthly AS d (program_id, view, unit_id, month, segment, working_age, level, classes_held,
                                    certificates_issued)
      SELECT program_id, view, unit_id, month, segment, working_age, 0, sum(classes_held), sum(certificates_issued)
        FROM kpi_monthly WHERE level <> 0
       GROUP BY program_id, view, unit_id, month, segment, working_age
      ON CONFLICT (program_id, view, unit_id, month, segment, working_age, level) DO UPDATE
         SET classes_held = d.classes_held + EXCLUDED.classes_held,
             certificates_issued = d.certificates_issued + EXCLUDED.certificates_issued`);
    await q.query(`DELETE FROM kpi_monthly WHERE level <> 0`);
    await q.query(`ALTER TABLE kpi_monthly DROP CONSTRAINT pk_kpi_monthly`);
    await q.query(
      `ALTER TABLE kpi_monthly ADD CONSTRAINT pk_kpi_monthly
         PRIMARY KEY (program_id, view, unit_id, month, segment, working_age)`,
    );
    await q.query(`ALTER TABLE kpi_monthly DROP COLUMN level`);
    await q.query(`DROP INDEX ix_kpi_record_fact_unit`);
    await q.query(
      `CREATE INDEX ix_kpi_record_fact_unit ON kpi_record_fact (program_id, view, unit_id, kind, day)`,
    );
    await q.query(`ALTER TABLE kpi_record_fact DROP COLUMN level`);
  }
}
