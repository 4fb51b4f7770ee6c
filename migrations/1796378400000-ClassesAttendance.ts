import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Classes with 2–4 sessions, enrolments (capacity kept by a counter updated under a row lock), attendance
 * marks with their method and author, the idempotency record of offline sync batches, and one-time use of
 * QR check-in tokens.
 */
export class ClassesAttendance1796378400000 implements MigrationInterface {
  name = 'ClassesAttendance1796378400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE training_class (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        program_id uuid NOT NULL,
        level smallint NOT NULL,
        kind varchar(30) NOT NULL,
        title varchar(300) NOT NULL,
        lead_trainer_id uuid NOT NULL,
        unit_id integer NOT NULL,
        venue_type varchar(40) NOT NULL,
        venue_address varchar(500),
        mode varchar(20) NOT NULL,
        capacity integer NOT NULL,
        target_segment varchar(40),
        status varchar(20) NOT NULL DEFAULT 'draft',
        enrolled_count integer NOT NULL DEFAULT 0,
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_training_class PRIMARY KEY (id),
        CONSTRAINT fk_training_class_program FOREIGN KEY (program_id) REFERENCES program (id),
        CONSTRAINT fk_training_class_lead FOREIGN KEY (lead_trainer_id) REFERENCES trainer (id),
        CONSTRAINT fk_training_class_unit FOREIGN KEY (unit_id) REFERENCES admin_unit (id),
        CONSTRAINT ck_training_class_level CHECK (level BETWEEN 1 AND 5),
        CONSTRAINT ck_training_class_kind CHECK (kind IN ('citizen', 'training_of_trainers')),
        CONSTRAINT ck_training_class_venue CHECK (venue_type IN ('cultural_house', 'library', 'community_learning_centre',
                                                                  'commune_committee', 'school', 'online', 'other')),
        CONSTRAINT ck_training_class_mode CHECK (mode IN ('in_person', 'online', 'blended')),
        CONSTRAINT ck_training_class_capacity CHECK (capacity BETWEEN 1 AND 1000),
        CONSTRAINT ck_training_class_status
          CHECK (status IN ('draft', 'scheduled', 'in_progress', 'completed', 'cancelled')),
        CONSTRAINT ck_training_class_enrolled CHECK (enrolled_count >= 0 AND enrolled_count <= capacity)
      )`);
    await q.query(`CREATE INDEX ix_training_class_program ON training_class (program_id, status)`);
    await q.query(`CREATE INDEX ix_training_class_lead ON training_class (lead_trainer_id)`);
    await q.query(`CREATE INDEX ix_training_class_unit ON training_class (unit_id)`);

    await q.query(`
      CREATE TABLE class_assistant (
        class_id uuid NOT NULL,
        trainer_id uuid NOT NULL,
        CONSTRAINT pk_class_assistant PRIMARY KEY (class_id, trainer_id),
        CONSTRAINT fk_class_assistant_class FOREIGN KEY (class_id) REFERENCES training_class (id) ON DELETE CASCADE,
        CONSTRAINT fk_class_assistant_trainer FOREIGN KEY (trainer_id) REFERENCES trainer (id)
      )`);
    await q.query(`CREATE INDEX ix_class_assistant_trainer ON class_assistant (trainer_id)`);

    await q.query(`
      CREATE TABLE class_session (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        class_id uuid NOT NULL,
        position smallint NOT NULL,
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        CONSTRAINT pk_class_session PRIMARY KEY (id),
        CONSTRAINT fk_class_session_class FOREIGN KEY (class_id) REFERENCES training_class (id) ON DELETE CASCADE,
        CONSTRAINT uq_class_session_position UNIQUE (class_id, position),
        CONSTRAINT ck_class_session_times CHECK (ends_at > starts_at)
      )`);

    await q.query(`
      CREATE TABLE enrolment (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        class_id uuid NOT NULL,
        person_id uuid NOT NULL,
        status varchar(20) NOT NULL DEFAULT 'enrolled',
        walk_in boolean NOT NULL DEFAULT false,
        attended_sessions smallint NOT NULL DEFAULT 0,
        completed_at timestamptz,
        outcome_can_apply boolean,
        outcome_score numeric(5,2),
        outcome_recorded_at timestamptz,
        enrolled_by uuid,
        enrolled_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_enrolment PRIMARY KEY (id),
        CONSTRAINT fk_enrolment_class FOREIGN KEY (class_id) REFERENCES training_class (id) ON DELETE CASCADE,
        CONSTRAINT fk_enrolment_person FOREIGN KEY (person_id) REFERENCES person (id),
        CONSTRAINT uq_enrolment_class_person UNIQUE (class_id, person_id),
        CONSTRAINT ck_enrolment_status CHECK (status IN ('enrolled', 'completed', 'withdrawn')),
        CONSTRAINT ck_enrolment_completed CHECK ((status = 'completed') = (completed_at IS NOT NULL)),
        CONSTRAINT ck_enrolment_score CHECK (outcome_score IS NULL OR outcome_score BETWEEN 0 AND 100)
      )`);
    await q.query(`CREATE INDEX ix_enrolment_person ON enrolment (person_id)`);

    await q.query(`
      CREATE TABLE attendance (
        session_id uuid NOT NULL,
        person_id uuid NOT NULL,
        class_id uuid NOT NULL,
        status varchar(10) NOT NULL,
        method varchar(20) NOT NULL,
        recorded_by uuid,
        recorded_at timestamptz NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_attendance PRIMARY KEY (session_id, person_id),
        CONSTRAINT fk_attendance_session FOREIGN KEY (session_id) REFERENCES class_session (id) ON DELETE CASCADE,
        CONSTRAINT fk_attendance_person FOREIGN KEY (person_id) REFERENCES person (id),
        CONSTRAINT fk_attendance_class FOREIGN KEY (class_id) REFERENCES training_class (id) ON DELETE CASCADE,
        CONSTRAINT ck_attendance_status CHECK (status IN ('present', 'late', 'excused', 'absent')),
        CONSTRAINT ck_attendance_method CHECK (method IN ('roster', 'qr', 'import', 'offline_sync', 'api'))
      )`);
    // Completion counts a person's marks in one class.
    await q.query(`CREATE INDEX ix_attendance_class_person ON attendance (class_id, person_id)`);
    await q.query(`CREATE INDEX ix_attendance_person ON attendance (person_id)`);

    await q.query(`
      CREATE TABLE sync_mark (
        client_id uuid NOT NULL,
        session_id uuid NOT NULL,
        person_id uuid NOT NULL,
        status varchar(10) NOT NULL,
        recorded_at timestamptz NOT NULL,
        result varchar(20) NOT NULL,
        submitted_by uuid,
        received_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_sync_mark PRIMARY KEY (client_id)
      )`);

    await q.query(`
      CREATE TABLE checkin_use (
        token_id varchar(40) NOT NULL,
        person_id uuid NOT NULL,
        used_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_checkin_use PRIMARY KEY (token_id, person_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE checkin_use`);
    await q.query(`DROP TABLE sync_mark`);
    await q.query(`DROP TABLE attendance`);
    await q.query(`DROP TABLE enrolment`);
    await q.query(`DROP TABLE class_session`);
    await q.query(`DROP TABLE class_assistant`);
    await q.query(`DROP TABLE training_class`);
  }
}
