import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Programs (campaigns) with phases, a 5-level curriculum and materials; organisation heads and population
 * figures; people (learners) with duplicate detection; trainers in a cascade (materialised lineage path);
 * and reach facts maintained incrementally, so that a trainer's reach never needs a scan of completions.
 */
export class PeopleProgramsTrainers1796292000000 implements MigrationInterface {
  name = 'PeopleProgramsTrainers1796292000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE organisation ADD COLUMN head_user_id uuid`);
    await q.query(`
      ALTER TABLE organisation ADD CONSTRAINT fk_organisation_head FOREIGN KEY (head_user_id) REFERENCES app_user (id)`);
    await q.query(`CREATE INDEX ix_organisation_head ON organisation (head_user_id)`);

    await q.query(`
      CREATE TABLE population_figure (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        unit_id integer NOT NULL,
        year smallint NOT NULL,
        figure varchar(40) NOT NULL,
        value bigint NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_population_figure PRIMARY KEY (id),
        CONSTRAINT fk_population_figure_unit FOREIGN KEY (unit_id) REFERENCES admin_unit (id),
        CONSTRAINT uq_population_figure UNIQUE (unit_id, year, figure),
        CONSTRAINT ck_population_figure_value CHECK (value >= 0),
        CONSTRAINT ck_population_figure_year CHECK (year BETWEEN 1900 AND 2200)
      )`);

    await q.query(`
      CREATE TABLE program (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        code varchar(10) NOT NULL,
        name varchar(300) NOT NULL,
        owner_unit_id integer NOT NULL,
        starts_on date NOT NULL,
        ends_on date NOT NULL,
        default_quota integer NOT NULL DEFAULT 1500,
        completion_min_sessions smallint,
        completion_min_share numeric(4,3),
        extra_segments jsonb NOT NULL DEFAULT '[]',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_program PRIMARY KEY (id),
        CONSTRAINT fk_program_owner_unit FOREIGN KEY (owner_unit_id) REFERENCES admin_unit (id),
        CONSTRAINT uq_program_code UNIQUE (code),
        CONSTRAINT ck_program_dates CHECK (ends_on >= starts_on),
        CONSTRAINT ck_program_quota CHECK (default_quota > 0),
        CONSTRAINT ck_program_completion CHECK (
          (completion_min_sessions IS NOT NULL AND completion_min_share IS NULL AND completion_min_sessions > 0)
          OR (completion_min_sessions IS NULL AND completion_min_share IS NOT NULL
              AND completion_min_share > 0 AND completion_min_share <= 1))
      )`);
    await q.query(`CREATE INDEX ix_program_owner_unit ON program (owner_unit_id)`);

    await q.query(`
      CREATE TABLE program_phase (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        program_id uuid NOT NULL,
        position smallint NOT NULL,
        name varchar(200) NOT NULL,
        starts_on date NOT NULL,
        ends_on date NOT NULL,
        CONSTRAINT pk_program_phase PRIMARY KEY (id),
        CONSTRAINT fk_program_phase_program FOREIGN KEY (program_id) REFERENCES program (id) ON DELETE CASCADE,
        CONSTRAINT uq_program_phase_position UNIQUE (program_id, position),
        CONSTRAINT ck_program_phase_dates CHECK (ends_on >= starts_on)
      )`);

    await q.query(`
      CREATE TABLE program_level (
        program_id uuid NOT NULL,
        level smallint NOT NULL,
        title varchar(200) NOT NULL,
        description text,
        CONSTRAINT pk_program_level PRIMARY KEY (program_id, level),
        CONSTRAINT fk_program_level_program FOREIGN KEY (program_id) REFERENCES program (id) ON DELETE CASCADE,
        CONSTRAINT ck_program_level_level CHECK (level BETWEEN 1 AND 5)
      )`);

    await q.query(`
      CREATE TABLE learning_material (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        program_id uuid NOT NULL,
        level smallint NOT NULL,
        title varchar(300) NOT NULL,
        kind varchar(10) NOT NULL,
        url varchar(2000) NOT NULL,
        published_at timestamptz NOT NULL DEFAULT now(),
        created_by uuid,
        CONSTRAINT pk_learning_material PRIMARY KEY (id),
        CONSTRAINT fk_learning_material_program FOREIGN KEY (program_id) REFERENCES program (id) ON DELETE CASCADE,
        CONSTRAINT ck_learning_material_kind CHECK (kind IN ('video', 'document', 'link')),
        CONSTRAINT ck_learning_material_level CHECK (level BETWEEN 1 AND 5)
      )`);
    await q.query(`CREATE INDEX ix_learning_material_program ON learning_material (program_id, level)`);

    await q.query(`
      CREATE TABLE person (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        full_name varchar(200) NOT NULL,
        name_key varchar(200) NOT NULL,
        swapped_name_key varchar(200) NOT NULL,
        sort_key text COLLATE "C" NOT NULL,
        birth_date date,
        birth_year smallint NOT NULL,
        gender varchar(10) NOT NULL,
        commune_id integer NOT NULL,
        segment varchar(40) NOT NULL,
        organisation_id uuid,
        cccd varchar(12),
        phone varchar(16),
        merged_into_id uuid,
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_person PRIMARY KEY (id),
        CONSTRAINT fk_person_commune FOREIGN KEY (commune_id) REFERENCES admin_unit (id),
        CONSTRAINT fk_person_organisation FOREIGN KEY (organisation_id) REFERENCES organisation (id),
        CONSTRAINT fk_person_merged_into FOREIGN KEY (merged_into_id) REFERENCES person (id),
        CONSTRAINT ck_person_gender CHECK (gender IN ('male', 'female', 'other')),
        CONSTRAINT ck_person_birth_year CHECK (birth_year BETWEEN 1900 AND 2100),
        CONSTRAINT ck_person_cccd CHECK (cccd ~ '^[0-9]{12}$'),
        CONSTRAINT ck_person_phone CHECK (phone ~ '^\\+84[0-9]{9,10}$')
      )`);
    // A CCCD identifies one living record; merged-away records keep theirs for the trail.
    await q.query(
      `CREATE UNIQUE INDEX ux_person_cccd ON person (cccd) WHERE cccd IS NOT NULL AND merged_into_id IS NULL`,
    );
    await q.query(`CREATE INDEX ix_person_phone ON person (phone) WHERE phone IS NOT NULL`);
    // Duplicate rules: same folded name + birth year (+ commune), and given/family names swapped.
    await q.query(`CREATE INDEX ix_person_name ON person (name_key, birth_year, commune_id)`);
    await q.query(`CREATE INDEX ix_person_swapped_name ON person (swapped_name_key, birth_year)`);
    // Name search anywhere in the name at 2,000,000 people.
    await q.query(`CREATE INDEX ix_person_name_search ON person USING gin (name_key gin_trgm_ops)`);
    // Lists sort the Vietnamese way; scope filters join the commune.
    await q.query(`CREATE INDEX ix_person_sort ON person (sort_key, id)`);
    await q.query(`CREATE INDEX ix_person_commune ON person (commune_id)`);
    await q.query(`CREATE INDEX ix_person_organisation ON person (organisation_id)`);
    await q.query(`CREATE INDEX ix_person_created_by ON person (created_by)`);
    await q.query(`CREATE INDEX ix_person_merged_into ON person (merged_into_id)`);

    await q.query(`
      CREATE TABLE person_duplicate (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        person_id uuid NOT NULL,
        other_person_id uuid NOT NULL,
        reason varchar(20) NOT NULL,
        status varchar(10) NOT NULL DEFAULT 'open',
        created_at timestamptz NOT NULL DEFAULT now(),
        resolved_by uuid,
        resolved_at timestamptz,
        CONSTRAINT pk_person_duplicate PRIMARY KEY (id),
        CONSTRAINT fk_person_duplicate_person FOREIGN KEY (person_id) REFERENCES person (id),
        CONSTRAINT fk_person_duplicate_other FOREIGN KEY (other_person_id) REFERENCES person (id),
        CONSTRAINT uq_person_duplicate UNIQUE (person_id, other_person_id, reason),
        CONSTRAINT ck_person_duplicate_order CHECK (person_id < other_person_id),
        CONSTRAINT ck_person_duplicate_reason CHECK (reason IN ('same_name', 'same_phone', 'swapped_name')),
        CONSTRAINT ck_person_duplicate_status CHECK (status IN ('open', 'dismissed', 'merged'))
      )`);
    await q.query(`CREATE INDEX ix_person_duplicate_other ON person_duplicate (other_person_id)`);
    await q.query(`CREATE INDEX ix_person_duplicate_status ON person_duplicate (status, created_at)`);

    await q.query(`ALTER TABLE app_user ADD COLUMN person_id uuid`);
    await q.query(
      `ALTER TABLE app_user ADD CONSTRAINT fk_app_user_person FOREIGN KEY (person_id) REFERENCES person (id)`,
    );
    await q.query(`CREATE INDEX ix_app_user_person ON app_user (person_id)`);

    await q.query(`
      CREATE TABLE trainer (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        seq bigint GENERATED ALWAYS AS IDENTITY,
        program_id uuid NOT NULL,
        person_id uuid NOT NULL,
        tier varchar(20) NOT NULL,
        home_unit_id integer NOT NULL,
        quota integer,
        status varchar(10) NOT NULL DEFAULT 'active',
        trained_by_id uuid,
        lineage_path text NOT NULL,
        depth smallint NOT NULL,
        direct_reach integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_trainer PRIMARY KEY (id),
        CONSTRAINT fk_trainer_program FOREIGN KEY (program_id) REFERENCES program (id),
        CONSTRAINT fk_trainer_person FOREIGN KEY (person_id) REFERENCES person (id),
        CONSTRAINT fk_trainer_home_unit FOREIGN KEY (home_unit_id) REFERENCES admin_unit (id),
        CONSTRAINT fk_trainer_trained_by FOREIGN KEY (trained_by_id) REFERENCES trainer (id),
        CONSTRAINT uq_trainer_program_person UNIQUE (program_id, person_id),
        CONSTRAINT uq_trainer_seq UNIQUE (seq),
        CONSTRAINT ck_trainer_tier CHECK (tier IN ('provincial_core', 'commune_core', 'organisation')),
        CONSTRAINT ck_trainer_status CHECK (status IN ('active', 'inactive')),
        CONSTRAINT ck_trainer_quota CHECK (quota IS NULL OR quota > 0),
        CONSTRAINT ck_trainer_reach CHECK (direct_reach >= 0)
      )`);
    // Downstream subtree: lineage_path LIKE '/12/345/%' within a program.
    await q.query(`CREATE INDEX ix_trainer_lineage ON trainer (program_id, lineage_path text_pattern_ops)`);
    await q.query(`CREATE INDEX ix_trainer_trained_by ON trainer (trained_by_id)`);
    await q.query(`CREATE INDEX ix_trainer_home_unit ON trainer (home_unit_id)`);
    await q.query(`CREATE INDEX ix_trainer_person ON trainer (person_id)`);

    await q.query(`
      CREATE TABLE reach_fact (
        trainer_id uuid NOT NULL,
        person_id uuid NOT NULL,
        program_id uuid NOT NULL,
        reached_on date NOT NULL,
        CONSTRAINT pk_reach_fact PRIMARY KEY (trainer_id, person_id),
        CONSTRAINT fk_reach_fact_trainer FOREIGN KEY (trainer_id) REFERENCES trainer (id),
        CONSTRAINT fk_reach_fact_person FOREIGN KEY (person_id) REFERENCES person (id),
        CONSTRAINT fk_reach_fact_program FOREIGN KEY (program_id) REFERENCES program (id)
      )`);
    await q.query(`CREATE INDEX ix_reach_fact_person ON reach_fact (person_id)`);
    await q.query(`CREATE INDEX ix_reach_fact_program ON reach_fact (program_id, person_id)`);

    await q.query(`
      CREATE TABLE trainer_reach_daily (
        trainer_id uuid NOT NULL,
        day date NOT NULL,
        reached integer NOT NULL,
        CONSTRAINT pk_trainer_reach_daily PRIMARY KEY (trainer_id, day),
        CONSTRAINT fk_trainer_reach_daily_trainer FOREIGN KEY (trainer_id) REFERENCES trainer (id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE trainer_reach_daily`);
    await q.query(`DROP TABLE reach_fact`);
    await q.query(`DROP TABLE trainer`);
    await q.query(`ALTER TABLE app_user DROP COLUMN person_id`);
    await q.query(`DROP TABLE person_duplicate`);
    await q.query(`DROP TABLE person`);
    await q.query(`DROP TABLE learning_material`);
    await q.query(`DROP TABLE program_level`);
    await q.query(`DROP TABLE program_phase`);
    await q.query(`DROP TABLE program`);
    await q.query(`DROP TABLE population_figure`);
    await q.query(`ALTER TABLE organisation DROP COLUMN head_user_id`);
  }
}
