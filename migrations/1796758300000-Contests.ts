import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Contests ("hội thi") of a program in a unit and period: criteria with weights and maximum points, entries
 * by people, trainers, classes or organisations of the unit's subtree, each judge's points per criterion and
 * entry, and the published result (each entry's weighted total out of 100 and its rank).
 */
export class Contests1796758300000 implements MigrationInterface {
  name = 'Contests1796758300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE contest (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        program_id uuid NOT NULL,
        unit_id integer NOT NULL,
        name varchar(300) NOT NULL,
        description varchar(2000),
        period varchar(22) NOT NULL,
        starts_on date NOT NULL,
        ends_on date NOT NULL,
        winners smallint NOT NULL DEFAULT 3,
        status varchar(12) NOT NULL DEFAULT 'open',
        published_at timestamptz,
        published_by uuid,
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_contest PRIMARY KEY (id),
        CONSTRAINT fk_contest_program FOREIGN KEY (program_id) REFERENCES program (id),
        CONSTRAINT fk_contest_unit FOREIGN KEY (unit_id) REFERENCES admin_unit (id),
        CONSTRAINT ck_contest_status CHECK (status IN ('open', 'published')),
        CONSTRAINT ck_contest_winners CHECK (winners BETWEEN 1 AND 100),
        CONSTRAINT ck_contest_days CHECK (starts_on <= ends_on)
      )`);
    await q.query(`CREATE INDEX ix_contest_program_ends ON contest (program_id, ends_on)`);
    await q.query(`CREATE INDEX ix_contest_unit ON contest (unit_id)`);
    await q.query(`
      CREATE TABLE contest_criterion (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        contest_id uuid NOT NULL,
        position smallint NOT NULL,
        name varchar(200) NOT NULL,
        weight smallint NOT NULL,
        max_points smallint NOT NULL,
        CONSTRAINT pk_contest_criterion PRIMARY KEY (id),
        CONSTRAINT uq_contest_criterion_position UNIQUE (contest_id, position),
        CONSTRAINT fk_contest_criterion_contest FOREIGN KEY (contest_id) REFERENCES contest (id),
        CONSTRAINT ck_contest_criterion_points CHECK (weight BETWEEN 1 AND 100 AND max_points BETWEEN 1 AND 1000)
      )`);
    await q.query(`
      CREATE TABLE contest_entry (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        contest_id uuid NOT NULL,
        kind varchar(20) NOT NULL,
        subject_id uuid NOT NULL,
        unit_id integer NOT NULL,
        title varchar(300),
        total numeric(6,2),
        rank integer,
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_contest_entry PRIMARY KEY (id),
        CONSTRAINT uq_contest_entry_subject UNIQUE (contest_id, kind, subject_id),
        CONSTRAINT fk_contest_entry_contest FOREIGN KEY (contest_id) REFERENCES contest (id),
        CONSTRAINT fk_contest_entry_unit FOREIGN KEY (unit_id) REFERENCES admin_unit (id),
        CONSTRAINT ck_contest_entry_kind CHECK (kind IN ('person', 'trainer', 'class', 'organisation'))
      )`);
    await q.query(`CREATE INDEX ix_contest_entry_unit ON contest_entry (unit_id)`);
    await q.query(`
      CREATE TABLE contest_score (
        entry_id uuid NOT NULL,
        criterion_id uuid NOT NULL,
        judge_id uuid NOT NULL,
        points numeric(6,2) NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_contest_score PRIMARY KEY (entry_id, criterion_id, judge_id),
        CONSTRAINT fk_contest_score_entry FOREIGN KEY (entry_id) REFERENCES contest_entry (id) ON DELETE CASCADE,
        CONSTRAINT fk_contest_score_criterion FOREIGN KEY (criterion_id) REFERENCES contest_criterion (id),
        CONSTRAINT fk_contest_score_judge FOREIGN KEY (judge_id) REFERENCES app_user (id),
        CONSTRAINT ck_contest_score_points CHECK (points >= 0)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE contest_score`);
    await q.query(`DROP TABLE contest_entry`);
    await q.query(`DROP TABLE contest_criterion`);
    await q.query(`DROP TABLE contest`);
  }
}
