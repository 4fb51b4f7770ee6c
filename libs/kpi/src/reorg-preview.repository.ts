import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { UnitLevel } from '../../hierarchy/src';
import { RecordKind } from './kpi-facts.repository';
import { KpiView } from './kpi-view';
import { attributed } from './kpi-figures.repository';
import { PreviewKpiDto } from './reorg-preview.dto';

export interface PreviewUnitRow {
  id: number;
  code: string;
  fullName: string;
  level: UnitLevel;
  path: string;
  parentCode: string | null;
  current: boolean;
}

/** What a reorganisation preview counts: the monthly sums of a unit's KPI, per program and view. */
export type PreviewCounts = Omit<PreviewKpiDto, 'programId' | 'programName' | 'view'>;

export interface PreviewKpiRow extends PreviewCounts {
  unitId: number;
  view: KpiView;
  programId: string;
  programName: string;
}

/** People, classes and trainers counted at a unit on today's map. */
export type StockName = 'people' | 'classes' | 'trainers';

/** The facts a reorganisation can move: the people and records counted at some units. */
export interface TouchedFacts {
  people: { programId: string; personId: string }[];
  records: { programId: string; kind: RecordKind; id: string }[];
}

const STOCK_SOURCES: Record<StockName, string> = {
  people: `SELECT id, commune_id AS unit_id FROM person WHERE merged_into_id IS NULL`,
  classes: `SELECT id, unit_id FROM training_class WHERE status <> 'cancelled'`,
  trainers: `SELECT person_id AS id, home_unit_id AS unit_id FROM trainer WHERE status = 'active'`,
};

/**
 * The reads of a reorganisation preview, all inside the transaction that applies the change and is rolled
 * back (see ReorgPreviewService).
 */
@Injectable()
export class ReorgPreviewRepository {
  /**
   * The facts the change can move: those of the people and records counted at these units (the ones that
   * merge, split or move; their subtrees' records count there too).
   */
  async touched(m: EntityManager, unitIds: number[]): Promise<TouchedFacts> {
    const people: { programId: string; personId: string }[] = await m.query(
      `SELECT DISTINCT program_id AS "programId", person_id AS "personId"
         FROM kpi_person_fact WHERE unit_id = ANY ($1::int[])`,
      [unitIds],
    );
    const records: { programId: string; kind: RecordKind; id: string }[] = await m.query(
      `SELECT DISTINCT program_id AS "programId", kind, record_id AS id
         FROM kpi_record_fact WHERE unit_id = ANY ($1::int[])`,
      [unitIds],
    );
    return { people, records };
  }

  /** People, classes and trainers counted at each of these units on today's map, stock by stock. */
  async stocks(m: EntityManager, ids: number[]): Promise<{ name: StockName; unitId: number; n: number }[]> {
    const counts: { name: StockName; unitId: number; n: number }[] = [];
    for (const [name, source] of Object.entries(STOCK_SOURCES) as [StockName, string][]) {
      const rows: { unitId: number; n: number }[] = await m.query(
        `SELECT a.anc AS "unitId", count(DISTINCT a.id)::int AS n
           FROM (${attributed('current', source)}) a WHERE a.anc = ANY ($1::int[]) GROUP BY a.anc`,
        [ids],
      );
      counts.push(...rows.map((r) => ({ name, ...r })));
    }
    return counts;
  }

  /** The KPI of these units from the monthly sums, per program and view. */
  kpi(m: EntityManager, ids: number[]): Promise<PreviewKpiRow[]> {
    return m.query(
      `SELECT k.unit_id AS "unitId", k.view, k.program_id AS "programId", g.name AS "programName",
                sum(k.reached)::int AS "learnersReached", sum(k.completed)::int AS completions,
                sum(k.proficient)::int AS "proficientLearners", sum(k.classes_held)::int AS "classesHeld",
                sum(k.certificates_issued)::int AS "certificatesIssued"
           FROM kpi_monthly k JOIN program g ON g.id = k.program_id
          WHERE k.unit_id = ANY ($1::int[])
          GROUP BY 1, 2, 3, 4`,
      [ids],
    );
  }

  /** The units with these codes that are valid on `date`. */
  validOn(m: EntityManager, codes: string[], date: string): Promise<PreviewUnitRow[]> {
    return this.units(
      m,
      `u.code = ANY ($1::text[]) AND u.valid_from <= $2 AND (u.valid_to IS NULL OR u.valid_to > $2)`,
      [codes, date],
    );
  }

  byIds(m: EntityManager, ids: number[]): Promise<PreviewUnitRow[]> {
    return this.units(m, `u.id = ANY ($1::int[])`, [ids]);
  }

  private async units(m: EntityManager, where: string, params: unknown[]): Promise<PreviewUnitRow[]> {
    return m.query(
      `SELECT u.id, u.code, u.full_name AS "fullName", u.level, u.path, p.code AS "parentCode",
              u.valid_to IS NULL AS current
         FROM admin_unit u LEFT JOIN admin_unit p ON p.id = u.parent_id
        WHERE ${where} ORDER BY u.depth, u.code`,
      params,
    );
  }
}
