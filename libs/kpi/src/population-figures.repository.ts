import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ReadReplicas } from '../../platform/src';

/** One percentage target's population figure to look up: its unit, the figure's name and the year. */
export interface PopulationLookup {
  id: string;
  unitId: number;
  figure: string | null;
  year: number;
}

/**
 * Units' population figures as the KPI reads them: each the unit's figure for a year or, when that year has
 * none, the latest year before it.
 */
@Injectable()
export class PopulationFiguresRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly reads: ReadReplicas,
  ) {}

  /** Every figure of these units as of the year, by unit id and figure (a KPI read: from a replica). */
  async allOf(unitIds: number[], year: number): Promise<Map<number, Map<string, number>>> {
    const rows: { unitId: number; figure: string; value: string }[] = await this.reads.query(
      `SELECT DISTINCT ON (unit_id, figure) unit_id AS "unitId", figure, value FROM population_figure
        WHERE unit_id = ANY ($1::int[]) AND year <= $2 ORDER BY unit_id, figure, year DESC`,
      [unitIds, year],
    );
    const result = new Map<number, Map<string, number>>();
    for (const r of rows) {
      if (!result.has(r.unitId)) result.set(r.unitId, new Map());
      result.get(r.unitId)!.set(r.figure, Number(r.value));
    }
    return result;
  }

  /** One figure of these units as of the year, by unit id (units without it are left out). */
  async figureOf(
    m: EntityManager,
    unitIds: number[],
    figure: string,
    year: number,
  ): Promise<Map<number, number>> {
    const rows: { unitId: number; value: string }[] = await m.query(
      `SELECT DISTINCT ON (unit_id) unit_id AS "unitId", value FROM population_figure
        WHERE unit_id = ANY ($1::int[]) AND figure = $2 AND year <= $3 ORDER BY unit_id, year DESC`,
      [unitIds, figure, year],
    );
    return new Map(rows.map((r) => [r.unitId, Number(r.value)]));
  }

  /** The figure behind each lookup, by its id (null where the unit has none). */
  async lookUp(
    lookups: PopulationLookup[],
    m: EntityManager = this.dataSource.manager,
  ): Promise<Map<string, number | null>> {
    const found: { id: string; value: string | null }[] = await m.query(
      `SELECT k.id, (SELECT f.value FROM population_figure f
                      WHERE f.unit_id = k.unit_id AND f.figure = k.figure AND f.year <= k.year
                      ORDER BY f.year DESC LIMIT 1) AS value
         FROM unnest($1::uuid[], $2::int[], $3::text[], $4::int[]) AS k(id, unit_id, figure, year)`,
      [
        lookups.map((l) => l.id),
        lookups.map((l) => l.unitId),
        lookups.map((l) => l.figure),
        lookups.map((l) => l.year),
      ],
    );
    return new Map(found.map((f) => [f.id, f.value === null ? null : Number(f.value)]));
  }
}
