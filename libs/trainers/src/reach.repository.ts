import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { returning } from '../../platform/src';
import { lastFourWeeksSql } from './pace';

/** A (trainer, person) pair's reach: the day the person first completed one of the trainer's citizen classes. */
export interface ReachChange {
  trainerId: string;
  personId: string;
  /** null: the person no longer counts for the trainer (completions corrected away). */
  reachedOn: string | null;
}

export interface ReachSummary {
  cascadeReach: number;
  lastFourWeeks: number;
  downstreamTrainers: number;
}

/** Reach facts ($1 trainers, $2 people) counted for every trainer of each one's chain, the trainer included. */
const FACTS_UP_THE_CHAIN = `
  SELECT a.id AS trainer_id, i.p AS person_id, count(*)::int AS n
    FROM unnest($1::uuid[], $2::uuid[]) AS i(t, p) JOIN trainer t ON t.id = i.t
    JOIN trainer a ON a.program_id = t.program_id
     AND a.seq = ANY (string_to_array(trim(both '/' FROM t.lineage_path), '/')::bigint[])
   GROUP BY a.id, i.p`;

/** The people of a subtree ($2: its root's path, in program $1) counted for each of the trainers with seq in $3. */
const SUBTREE_UP_TO = `
  SELECT a.id AS trainer_id, s.person_id, s.n
    FROM (SELECT f.person_id, count(*)::int AS n FROM trainer d JOIN reach_fact f ON f.trainer_id = d.id
           WHERE d.program_id = $1 AND d.lineage_path LIKE $2 || '%' GROUP BY f.person_id) s
   CROSS JOIN trainer a WHERE a.program_id = $1 AND a.seq = ANY ($3::bigint[])`;

/**
 * Reach facts and what follows from them (trainer.direct_reach, trainer_reach_daily, cascade_reach_fact), kept
 * in step incrementally: a change touches only the pairs it names, so recording a mark or a batch never
 * recomputes a province. Every statement reports what it really changed (RETURNING), so concurrent batches
 * never double-count.
 */
@Injectable()
export class ReachRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async apply(m: EntityManager, changes: ReachChange[]): Promise<void> {
    if (!changes.length) return;
    const deltas = new Map<string, number>();
    const bump = (trainerId: string, day: string, by: number) => {
      const key = `${trainerId}|${day}`;
      deltas.set(key, (deltas.get(key) ?? 0) + by);
    };
    const removes = changes.filter((c) => c.reachedOn === null);
    const sets = changes.filter((c) => c.reachedOn !== null);
    const gone: { trainerId: string; personId: string }[] = [];
    const came: { trainerId: string; personId: string }[] = [];
    if (removes.length) {
      const removed = await returning<{ trainerId: string; personId: string; day: string }>(
        m,
        `DELETE FROM reach_fact f USING unnest($1::uuid[], $2::uuid[]) AS i(t, p)
          WHERE f.trainer_id = i.t AND f.person_id = i.p
          RETURNING f.trainer_id AS "trainerId", f.person_id AS "personId", f.reached_on AS day`,
        [removes.map((c) => c.trainerId), removes.map((c) => c.personId)],
      );
      for (const row of removed) bump(row.trainerId, row.day, -1);
      gone.push(...removed);
    }
    if (sets.length) {
      const params = [
        sets.map((c) => c.trainerId),
        sets.map((c) => c.personId),
        sets.map((c) => c.reachedOn),
      ];
      const inserted: { trainerId: string; personId: string; day: string }[] = await m.query(
        `INSERT INTO reach_fact (trainer_id, person_id, program_id, reached_on)
         SELECT i.t, i.p, tr.program_id, i.d FROM unnest($1::uuid[], $2::uuid[], $3::date[]) AS i(t, p, d)
           JOIN trainer tr ON tr.id = i.t
         ON CONFLICT (trainer_id, person_id) DO NOTHING
         RETURNING trainer_id AS "trainerId", person_id AS "personId", reached_on AS day`,
        params,
      );
      for (const row of inserted) bump(row.trainerId, row.day, 1);
      came.push(...inserted);
      const moved = await returning<{ trainerId: string; oldDay: string; newDay: string }>(
        m,
        `WITH input AS (SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::date[]) AS i(t, p, d)),
              old AS (SELECT f.trainer_id, f.person_id, f.reached_on FROM reach_fact f
                        JOIN input ON f.trainer_id = input.t AND f.person_id = input.p
                       WHERE f.reached_on <> input.d FOR UPDATE OF f)
         UPDATE reach_fact f SET reached_on = input.d
           FROM old JOIN input ON input.t = old.trainer_id AND input.p = old.person_id
          WHERE f.trainer_id = old.trainer_id AND f.person_id = old.person_id
          RETURNING f.trainer_id AS "trainerId", old.reached_on AS "oldDay", f.reached_on AS "newDay"`,
        params,
      );
      for (const row of moved) {
        bump(row.trainerId, row.oldDay, -1);
        bump(row.trainerId, row.newDay, 1);
      }
    }
    const touched = [...new Set([...deltas.keys()].map((key) => key.split('|')[0]))].sort();
    if (!touched.length) return;
    // Trainers locked in id order (concurrent batches cannot deadlock) before their chains are read: a
    // subtree being moved holds them, so people join the cascades of the chain as it stands once it moved.
    await m.query(`SELECT 1 FROM trainer WHERE id = ANY ($1::uuid[]) ORDER BY id FOR UPDATE`, [touched]);
    for (const [sign, pairs] of [
      [-1, gone],
      [1, came],
    ] as const) {
      await this.cascade(m, sign, FACTS_UP_THE_CHAIN, [
        pairs.map((p) => p.trainerId),
        pairs.map((p) => p.personId),
      ]);
    }
    await this.applyDeltas(m, deltas);
  }

  /**
   * After a trainer's subtree moved under another trainer: its people leave the cascades of the ancestors it
   * left and join those of the ancestors it joined (`oldPath`, `newPath`: the subtree root's lineage paths).
   */
  async subtreeMoved(m: EntityManager, programId: string, oldPath: string, newPath: string): Promise<void> {
    const above = (path: string) => path.split('/').filter(Boolean).slice(0, -1);
    const params = (path: string) => [programId, newPath, above(path)];
    await this.cascade(m, -1, SUBTREE_UP_TO, params(oldPath));
    await this.cascade(m, 1, SUBTREE_UP_TO, params(newPath));
  }

  /**
   * Adds (`sign` 1) or takes away (-1) people from cascades: `pairs` yields (trainer_id, person_id, n) — n of
   * the trainer's subtree reached the person. A row whose count falls to zero goes; a removal locks its rows
   * first, then deletes some and updates the others (disjoint rows).
   */
  private async cascade(m: EntityManager, sign: 1 | -1, pairs: string, params: unknown[]): Promise<void> {
    if (Array.isArray(params[0]) && !params[0].length) return;
    // Rows are written (or locked) in key order, so concurrent batches sharing some cannot deadlock.
    if (sign > 0) {
      await m.query(
        `INSERT INTO cascade_reach_fact AS c (trainer_id, person_id, via)
         SELECT * FROM (${pairs}) p ORDER BY trainer_id, person_id
         ON CONFLICT (trainer_id, person_id) DO UPDATE SET via = c.via + EXCLUDED.via`,
        params,
      );
      return;
    }
    await m.query(
      `WITH pairs AS MATERIALIZED (${pairs}),
            locked AS MATERIALIZED (
              SELECT c.trainer_id, c.person_id, c.via - p.n AS left_over FROM cascade_reach_fact c
                JOIN pairs p ON p.trainer_id = c.trainer_id AND p.person_id = c.person_id
               ORDER BY c.trainer_id, c.person_id FOR UPDATE OF c),
            gone AS (DELETE FROM cascade_reach_fact c USING locked l
                      WHERE c.trainer_id = l.trainer_id AND c.person_id = l.person_id AND l.left_over <= 0)
       UPDATE cascade_reach_fact c SET via = l.left_over FROM locked l
        WHERE c.trainer_id = l.trainer_id AND c.person_id = l.person_id AND l.left_over > 0`,
      params,
    );
  }

  private async applyDeltas(m: EntityManager, deltas: Map<string, number>): Promise<void> {
    const entries = [...deltas.entries()]
      .filter(([, d]) => d !== 0)
      .map(([key, d]): [string, string, number] => {
        const [trainerId, day] = key.split('|');
        return [trainerId, day, d];
      });
    if (!entries.length) return;
    const perTrainer = new Map<string, number>();
    for (const [trainerId, , d] of entries) perTrainer.set(trainerId, (perTrainer.get(trainerId) ?? 0) + d);
    const trainerIds = [...perTrainer.keys()].sort();
    await m.query(
      `UPDATE trainer t SET direct_reach = t.direct_reach + i.d FROM unnest($1::uuid[], $2::int[]) AS i(id, d)
        WHERE t.id = i.id`,
      [trainerIds, trainerIds.map((id) => perTrainer.get(id))],
    );
    await m.query(
      `INSERT INTO trainer_reach_daily AS r (trainer_id, day, reached)
       SELECT * FROM unnest($1::uuid[], $2::date[], $3::int[])
       ON CONFLICT (trainer_id, day) DO UPDATE SET reached = r.reached + EXCLUDED.reached`,
      [entries.map((e) => e[0]), entries.map((e) => e[1]), entries.map((e) => e[2])],
    );
    await m.query(`DELETE FROM trainer_reach_daily WHERE trainer_id = ANY ($1::uuid[]) AND reached = 0`, [
      trainerIds,
    ]);
  }

  /**
   * The trainer `trainerSql` finds (one row with TRAINER_SELECT's columns, or none), in the same statement as
   * their cascade reach (their rows of cascade_reach_fact), the people newly reached in the 28 days up to and
   * including `today`, and the number of trainers downstream — the lineage paths that start with theirs:
   * paths are numbers between slashes, so that range ends where the last '/' becomes '0', a range
   * ix_trainer_lineage (text_pattern_ops) serves.
   */
  async withSummary<T extends { id: string; programId: string; lineagePath: string }>(
    trainerSql: string,
    params: unknown[],
    today: string,
  ): Promise<(T & ReachSummary) | undefined> {
    const rows: (T & ReachSummary)[] = await this.dataSource.query(
      `WITH v AS (${trainerSql})
       SELECT v.*,
              (SELECT count(*)::int FROM cascade_reach_fact c WHERE c.trainer_id = v.id) AS "cascadeReach",
              ${lastFourWeeksSql('v.id', `$${params.length + 1}`)} AS "lastFourWeeks",
              (SELECT count(*)::int - 1 FROM trainer d
                WHERE d.program_id = v."programId" AND d.lineage_path ~>=~ v."lineagePath"
                  AND d.lineage_path ~<~ (left(v."lineagePath", -1) || '0')) AS "downstreamTrainers"
         FROM v`,
      [...params, today],
    );
    return rows[0];
  }

  /** Current facts for these pairs (for merges and recomputations). */
  async factsOf(
    m: EntityManager,
    personIds: string[],
  ): Promise<{ trainerId: string; personId: string; reachedOn: string }[]> {
    return m.query(
      `SELECT trainer_id AS "trainerId", person_id AS "personId", reached_on AS "reachedOn" FROM reach_fact
        WHERE person_id = ANY ($1::uuid[]) ORDER BY trainer_id, person_id FOR UPDATE`,
      [personIds],
    );
  }
}
