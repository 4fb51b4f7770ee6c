import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Principal } from '../../access/src';
import { pagedQuery } from '../../platform/src';
import { ClassKind, ClassStatus } from './class.entities';
import { attendedByOrganisationsSql, classScopeSql } from './class.scope';

export interface ClassRow {
  id: string;
  programId: string;
  level: number;
  kind: ClassKind;
  title: string;
  leadTrainerId: string;
  leadName: string;
  leadPersonId: string;
  unitId: number;
  unitCode: string;
  unitName: string;
  unitPath: string;
  venueType: string;
  venueAddress: string | null;
  mode: string;
  capacity: number;
  enrolledCount: number;
  targetSegment: string | null;
  status: ClassStatus;
  sessions: { id: string; position: number; startsAt: string; endsAt: string }[];
  assistants: { id: string; fullName: string; personId: string }[];
}

/** Class columns with lead trainer, unit, sessions and assistants (aliases c, lt, lp, u). */
export const CLASS_SELECT = `
  SELECT c.id, c.program_id AS "programId", c.level, c.kind, c.title, c.lead_trainer_id AS "leadTrainerId",
         lp.full_name AS "leadName", lt.person_id AS "leadPersonId", c.unit_id AS "unitId", u.code AS "unitCode",
         u.full_name AS "unitName", u.path AS "unitPath", c.venue_type AS "venueType", c.venue_address AS "venueAddress",
         c.mode, c.capacity, c.enrolled_count AS "enrolledCount", c.target_segment AS "targetSegment", c.status,
         c.created_at,
         coalesce((SELECT json_agg(json_build_object('id', s.id, 'position', s.position, 'startsAt', s.starts_at,
                                                     'endsAt', s.ends_at) ORDER BY s.position)
                     FROM class_session s WHERE s.class_id = c.id), '[]') AS sessions,
         coalesce((SELECT json_agg(json_build_object('id', a.trainer_id, 'fullName', ap.full_name, 'personId', at.person_id))
                     FROM class_assistant a JOIN trainer at ON at.id = a.trainer_id JOIN person ap ON ap.id = at.person_id
                    WHERE a.class_id = c.id), '[]') AS assistants
    FROM training_class c
    JOIN trainer lt ON lt.id = c.lead_trainer_id
    JOIN person lp ON lp.id = lt.person_id
    JOIN admin_unit u ON u.id = c.unit_id`;

export interface ClassWrite {
  programId: string;
  level: number;
  kind: ClassKind;
  title: string;
  leadTrainerId: string;
  unitId: number;
  venueType: string;
  venueAddress: string | null;
  mode: string;
  capacity: number;
  targetSegment: string | null;
}

@Injectable()
export class ClassRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async findById(id: string, m: EntityManager = this.dataSource.manager): Promise<ClassRow | null> {
    const rows: ClassRow[] = await m.query(`${CLASS_SELECT} WHERE c.id = $1`, [id]);
    return rows[0] ?? null;
  }

  /** Several classes in one statement (those that exist). */
  async findByIds(ids: string[], m: EntityManager = this.dataSource.manager): Promise<ClassRow[]> {
    if (!ids.length) return [];
    return m.query(`${CLASS_SELECT} WHERE c.id = ANY ($1::uuid[])`, [ids]);
  }

  /** The classes of these sessions. */
  async findBySessions(
    sessionIds: string[],
    m: EntityManager = this.dataSource.manager,
  ): Promise<ClassRow[]> {
    if (!sessionIds.length) return [];
    return m.query(
      `${CLASS_SELECT} WHERE c.id IN (SELECT s.class_id FROM class_session s WHERE s.id = ANY ($1::uuid[]))`,
      [sessionIds],
    );
  }

  /** The class of a session (undefined when there is no such session). */
  async classOfSession(sessionId: string): Promise<string | undefined> {
    const [row]: { classId: string }[] = await this.dataSource.query(
      `SELECT class_id AS "classId" FROM class_session WHERE id = $1`,
      [sessionId],
    );
    return row?.classId;
  }

  /** Whether people of one of these organisations attend the class (alias c, `attendedByOrganisationsSql`). */
  async attendedByOrganisations(id: string, organisations: string[]): Promise<boolean> {
    const [attended]: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM training_class c WHERE c.id = $1 AND ${attendedByOrganisationsSql('$2')}`,
      [id, organisations],
    );
    return !!attended;
  }

  /** The code of the unit on today's map that the unit became (itself when it still exists). */
  async currentUnitCode(m: EntityManager, unitId: number): Promise<string> {
    const [{ residence }]: { residence: string }[] = await m.query(
      `SELECT u.code AS residence FROM admin_unit u WHERE u.id = kpi_current_unit($1)`,
      [unitId],
    );
    return residence;
  }

  /**
   * A page of the classes the principal sees, newest first: of the program, in the status, of the kind, led or
   * assisted by the trainer, held in the subtree of `unitPath` (each when given).
   */
  async list(
    principal: Principal,
    filter: {
      programId?: string;
      status?: ClassStatus;
      kind?: ClassKind;
      trainerId?: string;
      unitPath?: string;
    },
    limit: number,
    offset: number,
  ) {
    const params: unknown[] = [];
    const conditions = [classScopeSql(principal, params)];
    const where = (condition: string, value: unknown) => {
      params.push(value);
      conditions.push(condition.replaceAll('?', `$${params.length}`));
    };
    if (filter.programId) where('c.program_id = ?', filter.programId);
    if (filter.status) where('c.status = ?', filter.status);
    if (filter.kind) where('c.kind = ?', filter.kind);
    if (filter.trainerId) {
      where(
        '(c.lead_trainer_id = ? OR EXISTS (SELECT 1 FROM class_assistant ca WHERE ca.class_id = c.id AND ca.trainer_id = ?))',
        filter.trainerId,
      );
    }
    if (filter.unitPath !== undefined) where(`u.path LIKE ? || '%'`, filter.unitPath);
    return pagedQuery<ClassRow & { created_at: Date }>(
      this.dataSource,
      `${CLASS_SELECT} WHERE ${conditions.join(' AND ')}`,
      params,
      'created_at DESC, id',
      limit,
      offset,
    );
  }

  /**
   * Changes to a class's roster, marks and completion queue on its row, so that their many follow-on writes
   * (completion, reach, certificates, KPI facts) never interleave and deadlock.
   */
  async lock(m: EntityManager, id: string): Promise<void> {
    await this.lockAll(m, [id]);
  }

  /** Several classes, always in the same order (by id), so two requests never wait on each other. */
  async lockAll(m: EntityManager, ids: string[]): Promise<void> {
    if (!ids.length) return;
    await m.query(`SELECT 1 FROM training_class WHERE id = ANY ($1::uuid[]) ORDER BY id FOR UPDATE`, [ids]);
  }

  async insert(m: EntityManager, c: ClassWrite, createdBy: string | null): Promise<string> {
    const [row]: { id: string }[] = await m.query(
      `INSERT INTO training_class (program_id, level, kind, title, lead_trainer_id, unit_id, venue_type, venue_address, mode,
                                   capacity, target_segment, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
      [
        c.programId,
        c.level,
        c.kind,
        c.title,
        c.leadTrainerId,
        c.unitId,
        c.venueType,
        c.venueAddress,
        c.mode,
        c.capacity,
        c.targetSegment,
        createdBy,
      ],
    );
    return row.id;
  }

  async update(
    m: EntityManager,
    id: string,
    c: { title: string; venueType: string; venueAddress: string | null; mode: string; capacity: number },
  ): Promise<void> {
    await m.query(
      `UPDATE training_class SET title = $2, venue_type = $3, venue_address = $4, mode = $5, capacity = $6, updated_at = now()
        WHERE id = $1`,
      [id, c.title, c.venueType, c.venueAddress, c.mode, c.capacity],
    );
  }

  async setStatus(m: EntityManager, id: string, status: ClassStatus): Promise<void> {
    await m.query(`UPDATE training_class SET status = $2, updated_at = now() WHERE id = $1`, [id, status]);
  }

  async replaceSessions(
    m: EntityManager,
    classId: string,
    sessions: { startsAt: string; endsAt: string }[],
  ): Promise<void> {
    await m.query(`DELETE FROM class_session WHERE class_id = $1`, [classId]);
    await m.query(
      `INSERT INTO class_session (class_id, position, starts_at, ends_at)
       SELECT $1, ord, starts_at, ends_at FROM unnest($2::timestamptz[], $3::timestamptz[]) WITH ORDINALITY AS t(starts_at, ends_at, ord)`,
      [classId, sessions.map((s) => s.startsAt), sessions.map((s) => s.endsAt)],
    );
  }

  async replaceAssistants(m: EntityManager, classId: string, trainerIds: string[]): Promise<void> {
    await m.query(`DELETE FROM class_assistant WHERE class_id = $1`, [classId]);
    if (!trainerIds.length) return;
    await m.query(`INSERT INTO class_assistant (class_id, trainer_id) SELECT $1, unnest($2::uuid[])`, [
      classId,
      trainerIds,
    ]);
  }

  async hasAttendance(m: EntityManager, classId: string): Promise<boolean> {
    const rows: unknown[] = await m.query(`SELECT 1 FROM attendance WHERE class_id = $1 LIMIT 1`, [classId]);
    return rows.length > 0;
  }

  /** Trainers of the program among these ids (for lead and assistants). */
  async trainersOfProgram(
    m: EntityManager,
    programId: string,
    ids: string[],
  ): Promise<{ id: string; personId: string; status: string }[]> {
    return m.query(
      `SELECT id, person_id AS "personId", status FROM trainer WHERE program_id = $1 AND id = ANY ($2::uuid[])`,
      [programId, ids],
    );
  }
}
