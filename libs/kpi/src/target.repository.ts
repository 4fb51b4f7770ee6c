import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { TARGET_KINDS } from './target.dto';

export type TargetKind = (typeof TARGET_KINDS)[number];

export interface TargetRow {
  id: string;
  programId: string;
  unitId: number;
  unitCode: string;
  unitName: string;
  unitPath: string;
  indicator: string;
  period: string;
  segment: string;
  kind: TargetKind;
  value: string;
  populationFigure: string | null;
  baseIndicator: string | null;
  splitFromId: string | null;
  updatedAt: Date;
}

/** A parent's absolute target whose children's targets do not add up to it (or some children have none). */
export interface TargetGapRow extends TargetRow {
  childrenTotal: string;
  childrenWith: number;
  childrenWithout: { code: string; fullName: string }[];
}

/** A target as written: the line, and where it came from. */
export interface TargetWrite {
  programId: string;
  unitId: number;
  indicator: string;
  period: string;
  /** '' for all segments. */
  segment: string;
  kind: TargetKind;
  value: number;
  populationFigure: string | null;
  baseIndicator: string | null;
  splitFromId: string | null;
  userId: string | null;
}

const SELECT = `
  SELECT t.id, t.program_id AS "programId", t.unit_id AS "unitId", u.code AS "unitCode", u.full_name AS "unitName", u.path AS "unitPath",
         t.indicator, t.period, t.segment, t.kind, t.value, t.population_figure AS "populationFigure",
         t.base_indicator AS "baseIndicator", t.split_from_id AS "splitFromId", t.updated_at AS "updatedAt"
    FROM target t JOIN admin_unit u ON u.id = t.unit_id`;

/** Targets per program × unit × indicator × period × segment, read and written on the primary. */
@Injectable()
export class TargetRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The targets of a unit and of its children, for one period or all of them. */
  ofUnitAndChildren(programId: string, unitId: number, period: string | null): Promise<TargetRow[]> {
    return this.rows(
      this.dataSource.manager,
      `t.program_id = $1 AND (t.unit_id = $2 OR u.parent_id = $2) AND ($3::text IS NULL OR t.period = $3)`,
      [programId, unitId, period],
    );
  }

  /** Targets of these units, for one period or all of them. */
  forUnits(
    m: EntityManager,
    programId: string,
    unitIds: number[],
    period: string | null,
  ): Promise<TargetRow[]> {
    return this.rows(
      m,
      `t.program_id = $1 AND t.unit_id = ANY ($2::int[]) AND ($3::text IS NULL OR t.period = $3)`,
      [programId, unitIds, period],
    );
  }

  /** Every target of these units, of any program. */
  ofUnits(m: EntityManager, unitIds: number[]): Promise<TargetRow[]> {
    return this.rows(m, 't.unit_id = ANY ($1::int[])', [unitIds]);
  }

  /** The target of one unit × indicator × period × segment, if set. */
  async one(
    m: EntityManager,
    programId: string,
    unitId: number,
    indicator: string,
    period: string,
    segment: string,
  ): Promise<TargetRow | undefined> {
    const [row] = await this.rows(
      m,
      `t.program_id = $1 AND t.unit_id = $2 AND t.indicator = $3 AND t.period = $4 AND t.segment = $5`,
      [programId, unitId, indicator, period, segment],
    );
    return row;
  }

  async byId(id: string, m: EntityManager = this.dataSource.manager): Promise<TargetRow | undefined> {
    const [row] = await this.rows(m, 't.id = $1', [id]);
    return row;
  }

  byIds(ids: string[]): Promise<TargetRow[]> {
    return this.rows(this.dataSource.manager, 't.id = ANY ($1::uuid[])', [ids]);
  }

  async inProgram(programId: string, targetId: string): Promise<TargetRow | undefined> {
    const [row] = await this.rows(this.dataSource.manager, 't.program_id = $1 AND t.id = $2', [
      programId,
      targetId,
    ]);
    return row;
  }

  /** The targets of a unit's parent that had been split among its children (to split again after a merge). */
  splitParents(m: EntityManager, unitId: number): Promise<TargetRow[]> {
    return this.rows(
      m,
      `t.kind = 'absolute' AND t.unit_id = (SELECT parent_id FROM admin_unit WHERE id = $1)
       AND EXISTS (SELECT 1 FROM target s WHERE s.split_from_id = t.id)`,
      [unitId],
    );
  }

  /** Today's children of a unit, by code (the units a parent's target is split again among). */
  async currentChildIds(m: EntityManager, unitId: number): Promise<number[]> {
    const children: { id: number }[] = await m.query(
      `SELECT id FROM admin_unit WHERE parent_id = $1 AND valid_to IS NULL ORDER BY code`,
      [unitId],
    );
    return children.map((c) => c.id);
  }

  /** The values these units have now for one indicator × period × segment, by unit id. */
  async currentValues(
    programId: string,
    indicator: string,
    period: string,
    segment: string,
    unitIds: number[],
  ): Promise<Map<number, number>> {
    const existing: { unitId: number; value: string }[] = await this.dataSource.query(
      `SELECT unit_id AS "unitId", value FROM target
        WHERE program_id = $1 AND indicator = $2 AND period = $3 AND segment = $4 AND unit_id = ANY ($5::int[])`,
      [programId, indicator, period, segment, unitIds],
    );
    return new Map(existing.map((e) => [e.unitId, Number(e.value)]));
  }

  /**
   * Where the children's targets do not add up to the parent's, for the absolute targets in a subtree (one
   * period or all of them).
   */
  gaps(programId: string, unitPath: string, period: string | null): Promise<TargetGapRow[]> {
    return this.dataSource.query(
      `SELECT x.*, s.total AS "childrenTotal", s.with_target AS "childrenWith", s.without AS "childrenWithout"
         FROM (${SELECT} WHERE t.program_id = $1 AND u.path LIKE $2 || '%' AND t.kind = 'absolute'
                          AND ($3::text IS NULL OR t.period = $3)) x
        CROSS JOIN LATERAL (
          SELECT coalesce(sum(c.value), 0) AS total, count(c.id)::int AS with_target,
                 coalesce(json_agg(json_build_object('code', k.code, 'fullName', k.full_name) ORDER BY k.code)
                          FILTER (WHERE c.id IS NULL), '[]') AS without
            FROM admin_unit k
            LEFT JOIN target c ON c.unit_id = k.id AND c.program_id = $1 AND c.indicator = x.indicator
                              AND c.period = x.period AND c.segment = x.segment
           WHERE k.parent_id = x."unitId" AND k.valid_to IS NULL) s
        WHERE s.with_target > 0 AND (s.total <> x.value OR jsonb_array_length(s.without::jsonb) > 0)
        ORDER BY x."unitPath", x.indicator, x.period, x.segment`,
      [programId, unitPath, period],
    );
  }

  /** Sets the target (a new one, or the one already there for its key); returns its id. */
  async upsert(m: EntityManager, t: TargetWrite): Promise<string> {
    const [row]: { id: string }[] = await m.query(
      `INSERT INTO target (program_id, unit_id, indicator, period, segment, kind, value, population_figure,
                           split_from_id, created_by, base_indicator)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (program_id, unit_id, indicator, period, segment) DO UPDATE
          SET kind = EXCLUDED.kind, value = EXCLUDED.value, population_figure = EXCLUDED.population_figure,
              base_indicator = EXCLUDED.base_indicator, split_from_id = EXCLUDED.split_from_id, updated_at = now()
       RETURNING id`,
      [
        t.programId,
        t.unitId,
        t.indicator,
        t.period,
        t.segment,
        t.kind,
        t.value,
        t.populationFigure,
        t.splitFromId,
        t.userId,
        t.baseIndicator,
      ],
    );
    return row.id;
  }

  async delete(m: EntityManager, id: string): Promise<void> {
    await m.query(`DELETE FROM target WHERE id = $1`, [id]);
  }

  private rows(m: EntityManager, where: string, params: unknown[]): Promise<TargetRow[]> {
    return m.query(`${SELECT} WHERE ${where} ORDER BY u.path, t.indicator, t.period, t.segment`, params);
  }
}
