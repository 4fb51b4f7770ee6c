import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Targets, progress reports, and the KPI facts: one row per (program, view, unit, person) for every unit a
 * learner's classes roll up to — distinct by construction — likewise for classes held and certificates, with
 * monthly sums, so a province's figures are sums over a few thousand rows instead of distinct counts over
 * millions of attendance marks.
 * Two views: 'recorded' (units as they were when the class was held) and 'current' (today's map, history
 * re-attributed through merges and splits).
 */
export class TargetsKpiReports1796551200000 implements MigrationInterface {
  name = 'TargetsKpiReports1796551200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE program ADD COLUMN reported_indicators jsonb NOT NULL DEFAULT '[]'`);

    await q.query(`
      CREATE TABLE target (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        program_id uuid NOT NULL,
        unit_id integer NOT NULL,
        indicator varchar(40) NOT NULL,
        period varchar(10) NOT NULL,
        segment varchar(40) NOT NULL DEFAULT '',
        kind varchar(12) NOT NULL,
        value numeric(14,3) NOT NULL,
        population_figure varchar(40),
        split_from_id uuid,
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_target PRIMARY KEY (id),
        CONSTRAINT fk_target_program FOREIGN KEY (program_id) REFERENCES program (id),
        CONSTRAINT fk_target_unit FOREIGN KEY (unit_id) REFERENCES admin_unit (id),
        CONSTRAINT fk_target_split_from FOREIGN KEY (split_from_id) REFERENCES target (id) ON DELETE SET NULL,
        CONSTRAINT uq_target UNIQUE (program_id, unit_id, indicator, period, segment),
        CONSTRAINT ck_target_kind CHECK (kind IN ('absolute', 'percentage')),
        CONSTRAINT ck_target_value CHECK (value >= 0),
        CONSTRAINT ck_target_period CHECK (period ~ '^[0-9]{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?$'),
        CONSTRAINT ck_target_percentage CHECK ((kind = 'percentage') = (population_figure IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX ix_target_unit ON target (unit_id)`);

    await q.query(`
      CREATE TABLE progress_report (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        program_id uuid NOT NULL,
        unit_id integer NOT NULL,
        organisation_id uuid,
        period varchar(10) NOT NULL,
        status varchar(12) NOT NULL DEFAULT 'draft',
        headcount integer,
        trained integer,
        proficient integer,
        indicators jsonb NOT NULL DEFAULT '{}',
        notes text,
        author_id uuid,
        submitted_at timestamptz,
        reviewed_by uuid,
        reviewed_at timestamptz,
        review_comment varchar(1000),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_progress_report PRIMARY KEY (id),
        CONSTRAINT fk_progress_report_program FOREIGN KEY (program_id) REFERENCES program (id),
        CONSTRAINT fk_progress_report_unit FOREIGN KEY (unit_id) REFERENCES admin_unit (id),
        CONSTRAINT fk_progress_report_organisation FOREIGN KEY (organisation_id) REFERENCES organisation (id),
        CONSTRAINT ck_progress_report_status CHECK (status IN ('draft', 'submitted', 'approved', 'returned')),
        CONSTRAINT ck_progress_report_period CHECK (period ~ '^[0-9]{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?$'),
        CONSTRAINT ck_progress_report_figures CHECK (
          (headcount IS NULL OR headcount >= 0) AND (trained IS NULL OR trained >= 0) AND (proficient IS NULL OR proficient >= 0))
      )`);
    // One report per program, period and reporter (a unit, or an organisation).
    await q.query(`
      CREATE UNIQUE INDEX ux_progress_report ON progress_report
        (program_id, period, unit_id, coalesce(organisation_id, '00000000-0000-0000-0000-000000000000'))`);
    await q.query(`CREATE INDEX ix_progress_report_unit ON progress_report (unit_id)`);
    await q.query(`CREATE INDEX ix_progress_report_organisation ON progress_report (organisation_id)`);

    await q.query(`
      CREATE TABLE kpi_person_fact (
        program_id uuid NOT NULL,
        view varchar(10) NOT NULL,
        unit_id integer NOT NULL,
        person_id uuid NOT NULL,
        segment varchar(40) NOT NULL,
        working_age boolean NOT NULL,
        first_attended_on date NOT NULL,
        completed_on date,
        proficient boolean NOT NULL DEFAULT false,
        CONSTRAINT pk_kpi_person_fact PRIMARY KEY (program_id, view, unit_id, person_id),
        CONSTRAINT ck_kpi_person_fact_view CHECK (view IN ('recorded', 'current'))
      )`);
    // Drill-down: the people behind a unit's figure for a period.
    await q.query(
      `CREATE INDEX ix_kpi_person_fact_reached ON kpi_person_fact (program_id, view, unit_id, first_attended_on)`,
    );
    await q.query(`CREATE INDEX ix_kpi_person_fact_person ON kpi_person_fact (person_id)`);

    // Classes held and certificates issued, once for every unit they count in (both views).
    await q.query(`
      CREATE TABLE kpi_record_fact (
        program_id uuid NOT NULL,
        view varchar(10) NOT NULL,
        kind varchar(12) NOT NULL,
        record_id uuid NOT NULL,
        unit_id integer NOT NULL,
        day date NOT NULL,
        CONSTRAINT pk_kpi_record_fact PRIMARY KEY (program_id, view, kind, record_id, unit_id),
        CONSTRAINT ck_kpi_record_fact_view CHECK (view IN ('recorded', 'current')),
        CONSTRAINT ck_kpi_record_fact_kind CHECK (kind IN ('class', 'certificate'))
      )`);
    await q.query(
      `CREATE INDEX ix_kpi_record_fact_unit ON kpi_record_fact (program_id, view, unit_id, kind, day)`,
    );

    // Monthly sums of both kinds of facts: every KPI figure of a unit and period is a sum over a few rows.
    await q.query(`
      CREATE TABLE kpi_monthly (
        program_id uuid NOT NULL,
        view varchar(10) NOT NULL,
        unit_id integer NOT NULL,
        month date NOT NULL,
        segment varchar(40) NOT NULL,
        working_age boolean NOT NULL,
        reached integer NOT NULL DEFAULT 0,
        completed integer NOT NULL DEFAULT 0,
        proficient integer NOT NULL DEFAULT 0,
        classes_held integer NOT NULL DEFAULT 0,
        certificates_issued integer NOT NULL DEFAULT 0,
        CONSTRAINT pk_kpi_monthly PRIMARY KEY (program_id, view, unit_id, month, segment, working_age)
      )`);

    // The unit a historical unit stands for on today's map: follow merges and splits (to the successor with
    // the lowest code) until a unit that is still current.
    await q.query(`
      CREATE FUNCTION kpi_current_unit(start_id integer) RETURNS integer LANGUAGE plpgsql STABLE AS $$
      DECLARE
        unit integer := start_id;
        hops integer := 0;
        next integer;
      BEGIN
        WHILE hops < 20 LOOP
          EXIT WHEN EXISTS (SELECT 1 FROM admin_unit WHERE id = unit AND valid_to IS NULL);
          SELECT s.successor_id INTO next FROM admin_unit_succession s JOIN admin_unit u ON u.id = s.successor_id
           WHERE s.predecessor_id = unit ORDER BY u.code LIMIT 1;
          EXIT WHEN next IS NULL;
          unit := next;
          hops := hops + 1;
        END LOOP;
        RETURN unit;
      END $$`);
    // A unit and its ancestors as they stood on a day (parents from admin_unit_history where it changed).
    await q.query(`
      CREATE FUNCTION kpi_ancestors_as_of(start_id integer, on_day date) RETURNS integer[] LANGUAGE plpgsql STABLE AS $$
      DECLARE
        unit integer := start_id;
        chain integer[] := ARRAY[]::integer[];
        parent integer;
      BEGIN
        WHILE unit IS NOT NULL AND array_length(chain, 1) IS DISTINCT FROM 20 LOOP
          chain := chain || unit;
          SELECT h.parent_id INTO parent FROM admin_unit_history h
           WHERE h.unit_id = unit AND h.valid_from <= on_day AND h.valid_to > on_day LIMIT 1;
          IF NOT FOUND THEN
            SELECT u.parent_id INTO parent FROM admin_unit u WHERE u.id = unit;
          END IF;
          unit := parent;
        END LOOP;
        RETURN chain;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION kpi_ancestors_as_of(integer, date)`);
    await q.query(`DROP FUNCTION kpi_current_unit(integer)`);
    await q.query(`DROP TABLE kpi_monthly`);
    await q.query(`DROP TABLE kpi_record_fact`);
    await q.query(`DROP TABLE kpi_person_fact`);
    await q.query(`DROP TABLE progress_report`);
    await q.query(`DROP TABLE target`);
    await q.query(`ALTER TABLE program DROP COLUMN reported_indicators`);
  }
}
