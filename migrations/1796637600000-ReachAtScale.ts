import { MigrationInterface, QueryRunner } from 'typeorm';

/** The people of each trainer's subtree, distinct (built from the reach facts already recorded). */
export const CASCADE_FROM_REACH = `
  INSERT INTO cascade_reach_fact (trainer_id, person_id, via)
  SELECT a.id, f.person_id, count(*)::int
    FROM reach_fact f JOIN trainer t ON t.id = f.trainer_id
    JOIN trainer a ON a.program_id = t.program_id
     AND a.seq = ANY (string_to_array(trim(both '/' FROM t.lineage_path), '/')::bigint[])
   GROUP BY a.id, f.person_id`;

/**
 * Reach at province scale. Cascade reach as facts, like direct reach: one row per (trainer, person reached by
 * the trainer or anyone downstream), with the number of the subtree's trainers who reached them — so a
 * trainer's cascade reach is a count of its own rows, not a distinct count over the subtree's reach facts.
 * And the 4-week pace of every trainer of a program at once (the KPI's "trainers on pace"): one index-only
 * range over the last 28 days.
 */
export class ReachAtScale1796637600000 implements MigrationInterface {
  name = 'ReachAtScale1796637600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX ix_trainer_reach_daily_day ON trainer_reach_daily (day) INCLUDE (trainer_id, reached)`,
    );
    await q.query(`
      CREATE TABLE cascade_reach_fact (
        trainer_id uuid NOT NULL,
        person_id uuid NOT NULL,
        via integer NOT NULL,
        CONSTRAINT pk_cascade_reach_fact PRIMARY KEY (trainer_id, person_id),
        CONSTRAINT fk_cascade_reach_fact_trainer FOREIGN KEY (trainer_id) REFERENCES trainer (id),
        CONSTRAINT fk_cascade_reach_fact_person FOREIGN KEY (person_id) REFERENCES person (id),
        CONSTRAINT ck_cascade_reach_fact_via CHECK (via > 0)
      )`);
    await q.query(CASCADE_FROM_REACH);
    // The people side, for the foreign key's checks (an unindexed one scans the table per person deleted).
    await q.query(`CREATE INDEX ix_cascade_reach_fact_person ON cascade_reach_fact (person_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE cascade_reach_fact`);
    await q.query(`DROP INDEX ix_trainer_reach_daily_day`);
  }
}
