import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ADVISORY_LOCKS, foldVietnamese, vietnameseSortKey } from '../../platform/src';
import { UnitLevel } from './unit.entity';

/** The columns of admin_unit that writes work with. */
export interface UnitRecord {
  id: number;
  code: string;
  level: UnitLevel;
  type: string;
  name: string;
  fullName: string;
  parentId: number | null;
  path: string;
  depth: number;
  validFrom: string;
  validTo: string | null;
  stateFrom: string;
}

/** A unit to insert: its record but the day its present state began, which starts as its first day. */
export type NewUnit = Omit<UnitRecord, 'stateFrom'>;

const RECORD_COLUMNS = `id, code, level, type, name, full_name AS "fullName", parent_id AS "parentId", path, depth,
  valid_from AS "validFrom", valid_to AS "validTo", state_from AS "stateFrom"`;

/** Writes to the unit tables. Every method runs on the caller's transaction. */
@Injectable()
export class UnitWriter {
  /**
   * Takes the seed lock for the rest of the transaction and counts today's units. Two processes starting on
   * an empty database: the second waits here, then finds the units.
   */
  async lockSeedAndCountCurrent(m: EntityManager): Promise<number> {
    await m.query('SELECT pg_advisory_xact_lock($1)', [ADVISORY_LOCKS.seed]);
    const [{ n }]: { n: number }[] = await m.query(
      'SELECT count(*)::int AS n FROM admin_unit WHERE valid_to IS NULL',
    );
    return n;
  }

  /** Units with one of these codes whose validity overlaps [from, to). */
  async overlapping(
    m: EntityManager,
    codes: string[],
    from: string,
    to: string | null,
  ): Promise<UnitRecord[]> {
    return m.query(
      `SELECT ${RECORD_COLUMNS} FROM admin_unit
        WHERE code = ANY ($1::text[]) AND valid_from < coalesce($3::date, 'infinity')
          AND coalesce(valid_to, 'infinity') > $2::date
        ORDER BY valid_from`,
      [codes, from, to],
    );
  }

  /** The unit carrying `code` on `date`, locked for the rest of the transaction. */
  async lockValidOn(m: EntityManager, code: string, date: string): Promise<UnitRecord | null> {
    const rows: UnitRecord[] = await m.query(
      `SELECT ${RECORD_COLUMNS} FROM admin_unit
        WHERE code = $1 AND valid_from <= $2 AND (valid_to IS NULL OR valid_to > $2)
        FOR UPDATE`,
      [code, date],
    );
    return rows[0] ?? null;
  }

  async lockById(m: EntityManager, id: number): Promise<UnitRecord> {
    const [row]: UnitRecord[] = await m.query(
      `SELECT ${RECORD_COLUMNS} FROM admin_unit WHERE id = $1 FOR UPDATE`,
      [id],
    );
    return row;
  }

  async currentCodeTaken(m: EntityManager, code: string, exceptIds: number[]): Promise<boolean> {
    const rows: unknown[] = await m.query(
      `SELECT 1 FROM admin_unit WHERE code = $1 AND valid_to IS NULL AND id <> ALL ($2::int[])`,
      [code, exceptIds],
    );
    return rows.length > 0;
  }

  async currentChildren(m: EntityManager, parentId: number): Promise<UnitRecord[]> {
    return m.query(
      `SELECT ${RECORD_COLUMNS} FROM admin_unit WHERE parent_id = $1 AND valid_to IS NULL ORDER BY id FOR UPDATE`,
      [parentId],
    );
  }

  async allocateIds(m: EntityManager, count: number): Promise<number[]> {
    if (count === 0) return [];
    const rows: { id: number }[] = await m.query(
      `SELECT nextval(pg_get_serial_sequence('admin_unit', 'id'))::int AS id FROM generate_series(1, $1)`,
      [count],
    );
    return rows.map((row) => row.id);
  }

  async insert(m: EntityManager, units: NewUnit[]): Promise<void> {
    // Thousands of rows in one statement (unnest works on both PostgreSQL and the embedded database).
    for (let start = 0; start < units.length; start += 5000) {
      const chunk = units.slice(start, start + 5000);
      await m.query(
        `INSERT INTO admin_unit (id, code, level, type, name, full_name, search_text, sort_key, parent_id, path,
                                 depth, valid_from, valid_to, state_from)
         SELECT id, code, level, type, name, full_name, search_text, sort_key, parent_id, path, depth,
                valid_from, valid_to, valid_from
           FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                       $8::text[], $9::int[], $10::text[], $11::int[], $12::date[], $13::date[])
             AS t(id, code, level, type, name, full_name, search_text, sort_key, parent_id, path, depth,
                  valid_from, valid_to)`,
        [
          chunk.map((u) => u.id),
          chunk.map((u) => u.code),
          chunk.map((u) => u.level),
          chunk.map((u) => u.type),
          chunk.map((u) => u.name),
          chunk.map((u) => u.fullName),
          chunk.map((u) => foldVietnamese(u.fullName)),
          chunk.map((u) => vietnameseSortKey(u.name)),
          chunk.map((u) => u.parentId),
          chunk.map((u) => u.path),
          chunk.map((u) => u.depth),
          chunk.map((u) => u.validFrom),
          chunk.map((u) => u.validTo),
        ],
      );
    }
  }

  /** Corrects names and types in place (an import fixing a typo is not a rename with history). */
  async correct(
    m: EntityManager,
    units: Pick<UnitRecord, 'id' | 'type' | 'name' | 'fullName'>[],
  ): Promise<void> {
    if (!units.length) return;
    await m.query(
      `UPDATE admin_unit u
          SET type = t.type, name = t.name, full_name = t.full_name, search_text = t.search_text,
              sort_key = t.sort_key, updated_at = now()
         FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
           AS t(id, type, name, full_name, search_text, sort_key)
        WHERE u.id = t.id`,
      [
        units.map((u) => u.id),
        units.map((u) => u.type),
        units.map((u) => u.name),
        units.map((u) => u.fullName),
        units.map((u) => foldVietnamese(u.fullName)),
        units.map((u) => vietnameseSortKey(u.name)),
      ],
    );
  }

  /**
   * Moves a unit under another parent; the subtree's materialised paths and depths follow. With a `date`,
   * the unit's new state starts that day (the caller archives the old one first); without, it is a correction.
   */
  async moveUnder(
    m: EntityManager,
    unitId: number,
    parentId: number | null,
    date: string | null,
  ): Promise<void> {
    // Paths are read afresh: an earlier move in the same transaction may have changed them.
    const [unit]: { path: string; depth: number }[] = await m.query(
      `SELECT path, depth FROM admin_unit WHERE id = $1`,
      [unitId],
    );
    const [parent]: { path: string; depth: number }[] =
      parentId === null ? [] : await m.query(`SELECT path, depth FROM admin_unit WHERE id = $1`, [parentId]);
    const newPath = `${parent ? parent.path : '/'}${unitId}/`;
    const depthDelta = (parent ? parent.depth + 1 : 0) - unit.depth;
    await m.query(
      `UPDATE admin_unit SET parent_id = $2, state_from = coalesce($3::date, state_from), updated_at = now() WHERE id = $1`,
      [unitId, parentId, date],
    );
    await m.query(
      `UPDATE admin_unit SET path = $2 || substr(path, length($1) + 1), depth = depth + $3
        WHERE path LIKE $1 || '%'`,
      [unit.path, newPath, depthDelta],
    );
  }

  /** Keeps the unit's present state in the history, valid from its state_from until `date`. */
  async archiveState(
    m: EntityManager,
    unit: UnitRecord,
    date: string,
    change: 'rename' | 'reparent',
  ): Promise<void> {
    // A second change on the same day replaces a state nobody could observe: nothing to keep.
    if (unit.stateFrom === date) return;
    await m.query(
      `INSERT INTO admin_unit_history (unit_id, code, type, name, full_name, search_text, sort_key, parent_id,
                                       valid_from, valid_to, change)
       SELECT id, code, type, name, full_name, search_text, sort_key, parent_id, state_from, $2, $3
         FROM admin_unit WHERE id = $1`,
      [unit.id, date, change],
    );
  }

  async rename(
    m: EntityManager,
    unitId: number,
    to: { name: string; fullName: string; type: string },
    date: string,
  ) {
    await m.query(
      `UPDATE admin_unit SET name = $2, full_name = $3, type = $4, search_text = $5, sort_key = $6,
              state_from = $7, updated_at = now()
        WHERE id = $1`,
      [unitId, to.name, to.fullName, to.type, foldVietnamese(to.fullName), vietnameseSortKey(to.name), date],
    );
  }

  async end(m: EntityManager, unitIds: number[], date: string): Promise<void> {
    await m.query(`UPDATE admin_unit SET valid_to = $2, updated_at = now() WHERE id = ANY ($1::int[])`, [
      unitIds,
      date,
    ]);
  }

  /** Units with one of these codes whose validity ended on `date` (the units a reorganisation that day replaced). */
  async endedOn(m: EntityManager, codes: string[], date: string): Promise<UnitRecord[]> {
    return m.query(
      `SELECT ${RECORD_COLUMNS} FROM admin_unit WHERE code = ANY ($1::text[]) AND valid_to = $2::date`,
      [codes, date],
    );
  }

  async byIds(m: EntityManager, ids: number[]): Promise<UnitRecord[]> {
    return m.query(`SELECT ${RECORD_COLUMNS} FROM admin_unit WHERE id = ANY ($1::int[])`, [ids]);
  }

  /** Today's units with one of these codes, already in force on `date`. */
  async currentOn(m: EntityManager, codes: string[], date: string): Promise<UnitRecord[]> {
    return m.query(
      `SELECT ${RECORD_COLUMNS} FROM admin_unit
        WHERE code = ANY ($1::text[]) AND valid_to IS NULL AND valid_from <= $2::date`,
      [codes, date],
    );
  }

  /** Today's units of a level under `path` whose full name, folded, is `folded` (search_text). */
  async currentByFoldedName(
    m: EntityManager,
    level: UnitLevel,
    path: string,
    folded: string,
  ): Promise<UnitRecord[]> {
    return m.query(
      `SELECT ${RECORD_COLUMNS} FROM admin_unit
        WHERE valid_to IS NULL AND level = $1 AND path LIKE $2 || '%' AND search_text = $3`,
      [level, path, folded],
    );
  }

  /** The succession links of these predecessors dated `date`. */
  async successionsFrom(
    m: EntityManager,
    predecessorIds: number[],
    date: string,
  ): Promise<{ predecessorId: number; successorId: number; kind: 'merge' | 'split' }[]> {
    return m.query(
      `SELECT predecessor_id AS "predecessorId", successor_id AS "successorId", kind
         FROM admin_unit_succession WHERE predecessor_id = ANY ($1::int[]) AND effective_date = $2::date`,
      [predecessorIds, date],
    );
  }

  /** Writes links (a link already there takes the given kind and date) and removes others, in bulk. */
  async putSuccessions(
    m: EntityManager,
    links: { predecessorId: number; successorId: number; kind: 'merge' | 'split' }[],
    removed: { predecessorId: number; successorId: number }[],
    date: string,
  ): Promise<void> {
    if (removed.length) {
      await m.query(
        `DELETE FROM admin_unit_succession s
          USING unnest($1::int[], $2::int[]) AS r(predecessor_id, successor_id)
          WHERE s.predecessor_id = r.predecessor_id AND s.successor_id = r.successor_id`,
        [removed.map((l) => l.predecessorId), removed.map((l) => l.successorId)],
      );
    }
    for (let start = 0; start < links.length; start += 5000) {
      const chunk = links.slice(start, start + 5000);
      await m.query(
        `INSERT INTO admin_unit_succession (predecessor_id, successor_id, kind, effective_date)
         SELECT p, s, k, $4::date FROM unnest($1::int[], $2::int[], $3::text[]) AS t(p, s, k)
         ON CONFLICT ON CONSTRAINT uq_admin_unit_succession
           DO UPDATE SET kind = EXCLUDED.kind, effective_date = EXCLUDED.effective_date`,
        [chunk.map((l) => l.predecessorId), chunk.map((l) => l.successorId), chunk.map((l) => l.kind), date],
      );
    }
  }

  async recordSuccession(
    m: EntityManager,
    predecessorIds: number[],
    successorIds: number[],
    kind: 'merge' | 'split',
    date: string,
  ): Promise<void> {
    await m.query(
      `INSERT INTO admin_unit_succession (predecessor_id, successor_id, kind, effective_date)
       SELECT p, s, $3, $4 FROM unnest($1::int[]) p CROSS JOIN unnest($2::int[]) s`,
      [predecessorIds, successorIds, kind, date],
    );
  }
}
