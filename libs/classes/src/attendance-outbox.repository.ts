import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { returning } from '../../platform/src';

/** Held by the pass that drains the outbox, so passes never interleave on the same people. */
const DRAIN_LOCK = 7_402_020;

/** An outbox row: the (class, person) pairs one offline batch changed, as two parallel arrays. */
export interface OutboxRow {
  classIds: string[];
  personIds: string[];
}

/** The outbox of offline sync's derived work (docs/attendance.md, "Derived work"). */
@Injectable()
export class AttendanceOutboxRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(m: EntityManager, classIds: string[], personIds: string[]): Promise<void> {
    await m.query(`INSERT INTO attendance_outbox (class_ids, person_ids) VALUES ($1::uuid[], $2::uuid[])`, [
      classIds,
      personIds,
    ]);
  }

  /** Waits for the drain lock, held until the transaction ends. */
  async lockDrain(m: EntityManager): Promise<void> {
    await m.query(`SELECT pg_advisory_xact_lock($1)`, [DRAIN_LOCK]);
  }

  /** Deletes the oldest `limit` rows and returns them. */
  async takeOldest(m: EntityManager, limit: number): Promise<OutboxRow[]> {
    return returning<OutboxRow>(
      m,
      `DELETE FROM attendance_outbox
          WHERE id IN (SELECT id FROM attendance_outbox ORDER BY id LIMIT $1 FOR UPDATE)
         RETURNING class_ids AS "classIds", person_ids AS "personIds"`,
      [limit],
    );
  }

  async pending(): Promise<number> {
    const [row]: { n: number }[] = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM attendance_outbox`,
    );
    return row.n;
  }

  async oldestSeconds(): Promise<number> {
    const [row]: { age: number }[] = await this.dataSource.query(
      `SELECT coalesce(extract(epoch FROM now() - min(created_at)), 0)::float8 AS age FROM attendance_outbox`,
    );
    return row.age;
  }
}
