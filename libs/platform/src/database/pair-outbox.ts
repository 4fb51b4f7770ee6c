import { DataSource, EntityManager } from 'typeorm';
import { returning } from './paged-query';

/** A (class, person) pair whose marks changed. */
export interface ClassPersonPair {
  classId: string;
  personId: string;
}

/** What one pass over an outbox did. */
export interface DrainPass {
  /** Outbox rows taken. */
  rows: number;
  /** Distinct (class, person) pairs the work was given. */
  pairs: number;
}

/**
 * A transactional outbox of work about (class, person) pairs: the transaction that changes marks stores one row
 * naming the pairs it changed (two parallel uuid arrays), and a job later takes the oldest rows, deletes them
 * and does their work for the distinct pairs — in one transaction, so if the worker or the database stops in
 * between, the rows are still there for the next pass. Passes hold an advisory lock, one at a time across
 * every process, so two passes never work on the same people from different states. The table has columns
 * id (identity), class_ids, person_ids and created_at.
 */
export class PairOutbox {
  constructor(
    private readonly dataSource: DataSource,
    private readonly options: {
      table: string;
      lockKey: number;
      /** Rows a pass takes at most. */
      rowsPerPass: number;
      /** The work of a pass, in its transaction, for the distinct pairs of its rows. */
      work: (m: EntityManager, pairs: ClassPersonPair[]) => Promise<void>;
    },
  ) {}

  /** In the caller's transaction: a row for these pairs (none when there are none). */
  async insert(m: EntityManager, pairs: ClassPersonPair[]): Promise<void> {
    if (!pairs.length) return;
    await m.query(
      `INSERT INTO ${this.options.table} (class_ids, person_ids) VALUES ($1::uuid[], $2::uuid[])`,
      [pairs.map((p) => p.classId), pairs.map((p) => p.personId)],
    );
  }

  /** One pass: the oldest `limit` rows, their distinct pairs given to the work, the rows deleted, in one transaction. */
  async pass(limit = this.options.rowsPerPass): Promise<DrainPass> {
    return this.dataSource.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock($1)`, [this.options.lockKey]);
      const rows = await returning<{ classIds: string[]; personIds: string[] }>(
        m,
        `DELETE FROM ${this.options.table}
          WHERE id IN (SELECT id FROM ${this.options.table} ORDER BY id LIMIT $1 FOR UPDATE)
         RETURNING class_ids AS "classIds", person_ids AS "personIds"`,
        [limit],
      );
      const pairs = new Map<string, ClassPersonPair>();
      for (const row of rows)
        row.classIds.forEach((classId, i) =>
          pairs.set(`${classId}|${row.personIds[i]}`, { classId, personId: row.personIds[i] }),
        );
      if (pairs.size) await this.options.work(m, [...pairs.values()]);
      return { rows: rows.length, pairs: pairs.size };
    });
  }

  /** Passes until the outbox is empty. */
  async drain(): Promise<DrainPass> {
    const total: DrainPass = { rows: 0, pairs: 0 };
    for (;;) {
      const done = await this.pass();
      if (!done.rows) return total;
      total.rows += done.rows;
      total.pairs += done.pairs;
    }
  }

  async pending(): Promise<number> {
    const [row]: { n: number }[] = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM ${this.options.table}`,
    );
    return row.n;
  }

  /** Age of the oldest row, in seconds (0 when none). */
  async oldestSeconds(): Promise<number> {
    const [row]: { age: number }[] = await this.dataSource.query(
      `SELECT coalesce(extract(epoch FROM now() - min(created_at)), 0)::float8 AS age FROM ${this.options.table}`,
    );
    return row.age;
  }
}
