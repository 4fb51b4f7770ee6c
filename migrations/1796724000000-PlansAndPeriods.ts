import { MigrationInterface, QueryRunner } from 'typeorm';

/** Every period code a target may have (libs/kpi/src/period.ts), as a PostgreSQL regular expression. */
const TARGET_PERIOD_CHECK =
  `period ~ '^([0-9]{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?` +
  `|([0-9]{4}(-Q[1-4]|-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?)?[.][.]` +
  `[0-9]{4}(-Q[1-4]|-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?|P[1-9])$'`;

/**
 * The plans provinces publish, and the history of campaigns that began before Lan Tỏa: targets for any period (spans of years or days, cumulative "by 2030", a phase
 * of the program), targets that are a rate of another indicator ("80 % of learners apply a tool"), named
 * population figures for any denominator a plan uses ("adults with a smartphone"), and completions read by
 * day for periods that do not start or end on a month's boundary.
 */
export class PlansAndPeriods1796724000000 implements MigrationInterface {
  name = 'PlansAndPeriods1796724000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE target DROP CONSTRAINT ck_target_period`);
    await q.query(`ALTER TABLE target ALTER COLUMN period TYPE varchar(22)`);
    await q.query(`ALTER TABLE target ADD CONSTRAINT ck_target_period CHECK (${TARGET_PERIOD_CHECK})`);
    await q.query(`ALTER TABLE target ADD COLUMN base_indicator varchar(40)`);
    await q.query(`ALTER TABLE target DROP CONSTRAINT ck_target_kind`);
    await q.query(
      `ALTER TABLE target ADD CONSTRAINT ck_target_kind CHECK (kind IN ('absolute', 'percentage', 'rate'))`,
    );
    await q.query(
      `ALTER TABLE target ADD CONSTRAINT ck_target_rate CHECK ((kind = 'rate') = (base_indicator IS NOT NULL))`,
    );

    await q.query(`
      CREATE TABLE population_figure_kind (
        code varchar(40) NOT NULL,
        name varchar(200) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_population_figure_kind PRIMARY KEY (code),
        CONSTRAINT ck_population_figure_kind_code CHECK (code ~ '^[a-z][a-z0-9_]{1,39}$')
      )`);
    await q.query(`
      INSERT INTO population_figure_kind (code, name) VALUES
        ('total', 'Tổng dân số'),
        ('working_age', 'Người trong độ tuổi lao động'),
        ('civil_servants', 'Cán bộ, công chức, viên chức'),
        ('enterprise_owners', 'Chủ doanh nghiệp, hợp tác xã, hộ kinh doanh')`);

    // History entered after the fact: when a trainer was registered (the day they count from in the core
    // trainers' stock), and which trainers, certificates and materials were entered back-dated.
    await q.query(`ALTER TABLE trainer ADD COLUMN registered_on date`);
    await q.query(
      `UPDATE trainer SET registered_on = ((created_at AT TIME ZONE 'UTC') + interval '7 hours')::date`,
    );
    await q.query(`ALTER TABLE trainer ALTER COLUMN registered_on SET NOT NULL`);
    for (const table of ['trainer', 'certificate', 'learning_material']) {
      await q.query(`ALTER TABLE ${table} ADD COLUMN imported boolean NOT NULL DEFAULT false`);
    }

    // Completions of a span of days (a phase, "the first 55 days"): the partial months at its edges.
    await q.query(`
      CREATE INDEX ix_kpi_person_fact_completed ON kpi_person_fact (program_id, view, unit_id, completed_on)
       WHERE completed_on IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ix_kpi_person_fact_completed`);
    for (const table of ['trainer', 'certificate', 'learning_material']) {
      await q.query(`ALTER TABLE ${table} DROP COLUMN imported`);
    }
    await q.query(`ALTER TABLE trainer DROP COLUMN registered_on`);
    await q.query(`DROP TABLE population_figure_kind`);
    await q.query(`DELETE FROM target WHERE kind = 'rate' OR length(period) > 10 OR period !~ '^[0-9]{4}'`);
    await q.query(`ALTER TABLE target DROP CONSTRAINT ck_target_rate`);
    await q.query(`ALTER TABLE target DROP CONSTRAINT ck_target_kind`);
    await q.query(
      `ALTER TABLE target ADD CONSTRAINT ck_target_kind CHECK (kind IN ('absolute', 'percentage'))`,
    );
    await q.query(`ALTER TABLE target DROP COLUMN base_indicator`);
    await q.query(`ALTER TABLE target DROP CONSTRAINT ck_target_period`);
    await q.query(`ALTER TABLE target ALTER COLUMN period TYPE varchar(10)`);
    await q.query(
      `ALTER TABLE target ADD CONSTRAINT ck_target_period CHECK (period ~ '^[0-9]{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?$')`,
    );
  }
}
