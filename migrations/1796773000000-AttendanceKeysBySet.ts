import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A mark's class and person are checked once per statement, for all its rows together, instead of by a
 * foreign key row by row. An offline sync batch writes 500 marks in one statement; the two foreign keys ran
 * 1,000 lookups one at a time and share-locked the class and the person of every mark (the person's row is
 * written to for that lock), most of the attendance upsert's time (docs/benchmarks.md, "Attendance sync").
 *
 * The rules stay what the keys were: a mark's class is its session's (stricter than before, when any class
 * would do), and its person exists. The session keeps its foreign key (and a class's deletion still removes
 * its marks, through its sessions); a person with marks cannot be deleted. Rows of an update whose class and
 * key did not change (an offline correction, a roster over a mark) are not looked up again; an update that
 * moves a mark (a person merge) checks it alone.
 */
/** The end of a check function's body: the error a foreign key would give, then nothing (an AFTER trigger). */
const REFUSE_MARK = `
          RAISE EXCEPTION 'a mark names a session of another class, or a person who does not exist'
            USING ERRCODE = 'foreign_key_violation', TABLE = 'attendance';
        END IF;
        RETURN NULL;
      END $$`;

export class AttendanceKeysBySet1796773000000 implements MigrationInterface {
  name = 'AttendanceKeysBySet1796773000000';

  async up(q: QueryRunner): Promise<void> {
    // Marks inserted by a statement, all at once.
    await q.query(`
      CREATE FUNCTION attendance_keys_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF EXISTS (
          SELECT 1 FROM new_marks n
            LEFT JOIN class_session s ON s.id = n.session_id
            LEFT JOIN person p ON p.id = n.person_id
           WHERE s.class_id IS DISTINCT FROM n.class_id OR p.id IS NULL
        ) THEN ${REFUSE_MARK}`);
    // A mark whose session, person or class an update moves (a person merge), one by one: rare.
    await q.query(`
      CREATE FUNCTION attendance_keys_moved() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM class_session s WHERE s.id = NEW.session_id AND s.class_id = NEW.class_id)
           OR NOT EXISTS (SELECT 1 FROM person p WHERE p.id = NEW.person_id) THEN ${REFUSE_MARK}`);
    await q.query(`
      CREATE FUNCTION person_marks_check() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM attendance a JOIN old_people o ON o.id = a.person_id) THEN
          RAISE EXCEPTION 'a person with attendance marks cannot be deleted'
            USING ERRCODE = 'foreign_key_violation', TABLE = 'person';
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`ALTER TABLE attendance DROP CONSTRAINT fk_attendance_class`);
    await q.query(`ALTER TABLE attendance DROP CONSTRAINT fk_attendance_person`);
    await q.query(`
      CREATE TRIGGER tg_attendance_keys_insert AFTER INSERT ON attendance REFERENCING NEW TABLE AS new_marks
        FOR EACH STATEMENT EXECUTE FUNCTION attendance_keys_inserted()`);
    // An update that sets none of these columns (an offline correction, a roster over a mark) fires nothing.
    await q.query(`
      CREATE TRIGGER tg_attendance_keys_update AFTER UPDATE OF session_id, person_id, class_id ON attendance
        FOR EACH ROW
        WHEN (OLD.session_id IS DISTINCT FROM NEW.session_id OR OLD.person_id IS DISTINCT FROM NEW.person_id
              OR OLD.class_id IS DISTINCT FROM NEW.class_id)
        EXECUTE FUNCTION attendance_keys_moved()`);
    await q.query(`
      CREATE TRIGGER tg_person_marks AFTER DELETE ON person REFERENCING OLD TABLE AS old_people
        FOR EACH STATEMENT EXECUTE FUNCTION person_marks_check()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER tg_person_marks ON person`);
    await q.query(`DROP TRIGGER tg_attendance_keys_update ON attendance`);
    await q.query(`DROP TRIGGER tg_attendance_keys_insert ON attendance`);
    await q.query(`
      ALTER TABLE attendance ADD CONSTRAINT fk_attendance_person FOREIGN KEY (person_id) REFERENCES person (id)`);
    await q.query(`
      ALTER TABLE attendance ADD CONSTRAINT fk_attendance_class FOREIGN KEY (class_id) REFERENCES training_class (id)
        ON DELETE CASCADE`);
    await q.query(`DROP FUNCTION person_marks_check()`);
    await q.query(`DROP FUNCTION attendance_keys_moved()`);
    await q.query(`DROP FUNCTION attendance_keys_inserted()`);
  }
}
