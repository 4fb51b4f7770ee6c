import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

/** A partner's xAPI activity mapped to a program level (and a lesson of it, if any). */
export interface XapiActivityRow {
  activityId: string;
  programCode: string;
  level: number;
  lesson: string | null;
}

/** A new mapping, by program id. */
export interface XapiActivityWrite {
  activityId: string;
  programId: string;
  level: number;
  lesson: string | null;
}

/** The xAPI activity mappings of partners (partner_xapi_activity). */
@Injectable()
export class XapiActivityRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The client's mappings, in its transaction (statements are read with them). */
  mappings(m: EntityManager, clientId: string): Promise<XapiActivityRow[]> {
    return m.query(
      `SELECT a.activity_id AS "activityId", g.code AS "programCode", a.level, a.lesson
         FROM partner_xapi_activity a JOIN program g ON g.id = a.program_id WHERE a.client_id = $1`,
      [clientId],
    );
  }

  /** The client's mappings by activity id. */
  list(clientId: string): Promise<XapiActivityRow[]> {
    return this.dataSource.query(
      `SELECT a.activity_id AS "activityId", g.code AS "programCode", a.level, a.lesson
         FROM partner_xapi_activity a JOIN program g ON g.id = a.program_id
        WHERE a.client_id = $1 ORDER BY a.activity_id`,
      [clientId],
    );
  }

  /** The programs among `ids` with their levels (`levels` as the driver gives them). */
  programLevels(ids: string[]): Promise<{ id: string; code: string; levels: number[] }[]> {
    return this.dataSource.query(
      `SELECT g.id, g.code, coalesce(array_agg(l.level) FILTER (WHERE l.level IS NOT NULL), '{}') AS levels
         FROM program g LEFT JOIN program_level l ON l.program_id = g.id
        WHERE g.id = ANY ($1::uuid[]) GROUP BY g.id, g.code`,
      [ids],
    );
  }

  /** Replaces all of the client's mappings. */
  async replace(m: EntityManager, clientId: string, activities: XapiActivityWrite[]): Promise<void> {
    await m.query(`DELETE FROM partner_xapi_activity WHERE client_id = $1`, [clientId]);
    if (activities.length) {
      await m.query(
        `INSERT INTO partner_xapi_activity (client_id, activity_id, program_id, level, lesson)
           SELECT $1, t.a, t.p, t.l, t.s FROM unnest($2::text[], $3::uuid[], $4::int[], $5::text[]) AS t(a, p, l, s)`,
        [
          clientId,
          activities.map((a) => a.activityId),
          activities.map((a) => a.programId),
          activities.map((a) => a.level),
          activities.map((a) => a.lesson),
        ],
      );
    }
  }
}
