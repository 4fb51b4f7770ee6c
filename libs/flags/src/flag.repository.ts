import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Principal } from '../../access/src';
import { pagedQuery, returning } from '../../platform/src';
import { FlagPattern, FlagSeverity, FlagStatus } from './flag-patterns';
import { flagScopeSql } from './flag.scope';

export interface FlagRow {
  id: string;
  programId: string;
  pattern: FlagPattern;
  severity: FlagSeverity;
  status: FlagStatus;
  unitCode: string;
  unitName: string;
  unitPath: string;
  classId: string | null;
  classTitle: string | null;
  trainerName: string | null;
  records: number;
  evidence: Record<string, unknown>;
  raisedAt: Date;
  explanation: string | null;
  decisionReason: string | null;
  decidedAt: Date | null;
  /** The person ids of the class's trainers (lead, assistants) and of the flag's trainer. */
  teacherIds: string[];
  ownerScopePath: string;
}

const SELECT = `
  SELECT f.id, f.program_id AS "programId", f.pattern, f.severity, f.status, u.code AS "unitCode",
         u.full_name AS "unitName", u.path AS "unitPath", f.class_id AS "classId", c.title AS "classTitle",
         tp.full_name AS "trainerName", f.records, f.evidence, f.raised_at AS "raisedAt", f.explanation,
         f.decision_reason AS "decisionReason", f.decided_at AS "decidedAt",
         array_remove(ARRAY[t.person_id] || coalesce((SELECT array_agg(at.person_id) FROM class_assistant ca
                                                        JOIN trainer at ON at.id = ca.trainer_id
                                                       WHERE ca.class_id = f.class_id), '{}'), NULL) AS "teacherIds",
         admin_unit_scope_path(g.owner_unit_id) AS "ownerScopePath"
    FROM data_flag f
    JOIN admin_unit u ON u.id = f.unit_id
    JOIN program g ON g.id = f.program_id
    LEFT JOIN training_class c ON c.id = f.class_id
    LEFT JOIN trainer t ON t.id = coalesce(f.trainer_id, c.lead_trainer_id)
    LEFT JOIN person tp ON tp.id = t.person_id`;

/** What the review list filters on (each optional filter when given). */
export interface FlagFilter {
  programId: string;
  status: FlagStatus;
  pattern?: FlagPattern;
  severity?: FlagSeverity;
  /** A unit code: flags of units in its subtree on today's map. */
  unit?: string;
}

export interface FlagSettingRow {
  pattern: FlagPattern;
  enabled: boolean;
  threshold: string;
  severity: FlagSeverity;
}

@Injectable()
export class FlagRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** A page of the flags the principal sees matching `filter`: by severity, then the latest raised first. */
  async list(principal: Principal, filter: FlagFilter, limit: number, offset: number) {
    const params: unknown[] = [filter.programId, filter.status];
    const where = [`f.program_id = $1`, `f.status = $2`, flagScopeSql(principal, params)];
    if (filter.pattern) {
      params.push(filter.pattern);
      where.push(`f.pattern = $${params.length}`);
    }
    if (filter.severity) {
      params.push(filter.severity);
      where.push(`f.severity = $${params.length}`);
    }
    if (filter.unit) {
      params.push(filter.unit);
      where.push(`EXISTS (SELECT 1 FROM admin_unit q WHERE q.code = $${params.length} AND q.valid_to IS NULL
                           AND starts_with(u.path, q.path))`);
    }
    return pagedQuery<FlagRow>(
      this.dataSource,
      `${SELECT} WHERE ${where.join(' AND ')}`,
      params,
      `CASE x.severity WHEN 'high' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END, x."raisedAt" DESC, x.id`,
      limit,
      offset,
    );
  }

  /** The flag if the principal sees it; `lock` locks its row for a decision. */
  async findVisible(
    m: EntityManager,
    principal: Principal,
    id: string,
    lock = false,
  ): Promise<FlagRow | undefined> {
    const params: unknown[] = [id];
    const scope = flagScopeSql(principal, params);
    const [row]: FlagRow[] = await m.query(
      `${SELECT} WHERE f.id = $1 AND ${scope} ${lock ? 'FOR UPDATE OF f' : ''}`,
      params,
    );
    return row;
  }

  /** The people whose records the flag questions, in name order. */
  async people(id: string): Promise<{ personId: string; fullName: string; classId: string | null }[]> {
    return this.dataSource.query(
      `SELECT r.person_id AS "personId", p.full_name AS "fullName", r.class_id AS "classId"
         FROM data_flag_record r JOIN person p ON p.id = r.person_id WHERE r.flag_id = $1
        ORDER BY p.sort_key, p.id`,
      [id],
    );
  }

  /** The flag's audit trail: each action, when, by whom, and its reason or explanation. */
  async history(
    id: string,
  ): Promise<{ action: string; at: Date; actorName: string | null; reason: string | null }[]> {
    return this.dataSource.query(
      `SELECT l.action, l.at, coalesce(a.display_name, l.actor_name) AS "actorName",
                coalesce(l.after ->> 'reason', l.after ->> 'explanation') AS reason
           FROM audit_log l LEFT JOIN app_user a ON a.id = l.actor_id
          WHERE l.entity_type = 'data_flag' AND l.entity_id = $1 ORDER BY l.at, l.id`,
      [id],
    );
  }

  async decide(m: EntityManager, id: string, status: FlagStatus, by: string, reason: string): Promise<void> {
    await m.query(
      `UPDATE data_flag SET status = $2, decided_by = $3, decided_at = now(), decision_reason = $4, updated_at = now()
          WHERE id = $1`,
      [id, status, by, reason],
    );
  }

  async explain(m: EntityManager, id: string, text: string, by: string): Promise<void> {
    await m.query(
      `UPDATE data_flag SET explanation = $2, explained_by = $3, explained_at = now(), updated_at = now() WHERE id = $1`,
      [id, text, by],
    );
  }

  /** The program's own settings (patterns without one take the defaults). */
  async settings(programId: string): Promise<FlagSettingRow[]> {
    return this.dataSource.query(
      `SELECT pattern, enabled, threshold, severity FROM data_flag_setting WHERE program_id = $1`,
      [programId],
    );
  }

  /** The program's own settings of these patterns, as the audit trail records them. */
  async settingsOf(m: EntityManager, programId: string, patterns: string[]): Promise<unknown[]> {
    return m.query(
      `SELECT pattern, enabled, threshold::float8 AS threshold, severity FROM data_flag_setting
          WHERE program_id = $1 AND pattern = ANY ($2::text[]) ORDER BY pattern`,
      [programId, patterns],
    );
  }

  /** Sets the program's settings of the patterns in `settings` (JSON: pattern, enabled, threshold, severity). */
  async putSettings(m: EntityManager, programId: string, settings: string, by: string): Promise<void> {
    await m.query(
      `INSERT INTO data_flag_setting (program_id, pattern, enabled, threshold, severity, updated_by)
         SELECT $1, x.pattern, x.enabled, x.threshold, x.severity, $3
           FROM jsonb_to_recordset($2::jsonb) AS x(pattern text, enabled boolean, threshold numeric, severity text)
         ON CONFLICT (program_id, pattern) DO UPDATE
           SET enabled = EXCLUDED.enabled, threshold = EXCLUDED.threshold, severity = EXCLUDED.severity,
               updated_by = EXCLUDED.updated_by, updated_at = now()`,
      [programId, settings, by],
    );
  }

  /** The scope path of the program's owner unit (undefined when there is no such program). */
  async programScopePath(m: EntityManager, id: string): Promise<string | undefined> {
    const [row]: { path: string }[] = await m.query(
      `SELECT admin_unit_scope_path(owner_unit_id) AS path FROM program WHERE id = $1`,
      [id],
    );
    return row?.path;
  }

  /** A merge: the source's records on flags that also question the survivor, deleted; their flags. */
  async dropDoubledRecords(
    m: EntityManager,
    survivorId: string,
    sourceId: string,
  ): Promise<{ flag_id: string }[]> {
    return returning<{ flag_id: string }>(
      m,
      `DELETE FROM data_flag_record s
        USING data_flag_record v
        WHERE s.person_id = $2 AND v.person_id = $1 AND v.flag_id = s.flag_id
       RETURNING s.flag_id`,
      [survivorId, sourceId],
    );
  }

  /** The flags' counts of people, from their records. */
  async recountRecords(m: EntityManager, flagIds: string[]): Promise<void> {
    await m.query(
      `UPDATE data_flag f SET records = (SELECT count(*)::int FROM data_flag_record r WHERE r.flag_id = f.id),
                updated_at = now()
          WHERE f.id = ANY ($1::uuid[])`,
      [flagIds],
    );
  }

  /** A merge: the source's remaining records become the survivor's; how many moved. */
  async moveRecords(m: EntityManager, survivorId: string, sourceId: string): Promise<number> {
    const moved = await returning(
      m,
      `UPDATE data_flag_record SET person_id = $1 WHERE person_id = $2 RETURNING flag_id`,
      [survivorId, sourceId],
    );
    return moved.length;
  }
}
