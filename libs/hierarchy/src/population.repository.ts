import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { POPULATION_FIGURES } from './population.entity';

export interface PopulationFigureKind {
  code: string;
  name: string;
}

/** One stored figure of a unit for a year; `value` is a bigint, as the driver gives it (text). */
export interface PopulationFigureRow {
  year: number;
  figure: string;
  value: string;
}

/** A current unit (the one asked or a direct child) with its figures for a year, if any. */
export interface PopulationTemplateRow {
  code: string;
  fullName: string;
  figures: Record<string, number> | null;
}

/** A current unit, found by code. */
export interface PopulationUnitRow {
  id: number;
  code: string;
  path: string;
}

/** The named population figures (population_figure_kind): the standard four and those plans added. */
@Injectable()
export class PopulationRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The standard figures first, in their usual order, then the others as they were added. */
  kinds(m: EntityManager = this.dataSource.manager): Promise<PopulationFigureKind[]> {
    return m.query(
      `SELECT code, name FROM population_figure_kind
        ORDER BY array_position($1::text[], code::text) NULLS LAST, created_at, code`,
      [POPULATION_FIGURES],
    );
  }

  async kind(code: string, m: EntityManager = this.dataSource.manager): Promise<PopulationFigureKind | null> {
    const [row]: PopulationFigureKind[] = await m.query(
      `SELECT code, name FROM population_figure_kind WHERE code = $1`,
      [code],
    );
    return row ?? null;
  }

  async putKind(m: EntityManager, kind: PopulationFigureKind): Promise<void> {
    await m.query(
      `INSERT INTO population_figure_kind (code, name) VALUES ($1, $2)
       ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name`,
      [kind.code, kind.name],
    );
  }

  /** The unit's figures for `year`, or for the latest year it has any when `year` is null. */
  yearFigures(unitId: number, year: number | null): Promise<PopulationFigureRow[]> {
    return this.dataSource.query(
      `SELECT year, figure, value FROM population_figure
        WHERE unit_id = $1 AND year = coalesce($2::int, (SELECT max(year) FROM population_figure WHERE unit_id = $1))`,
      [unitId, year],
    );
  }

  /** The unit and its current direct children, in tree order, with their figures for `year`. */
  templateRows(unitId: number, year: number): Promise<PopulationTemplateRow[]> {
    return this.dataSource.query(
      `SELECT u.code, u.full_name AS "fullName",
              (SELECT jsonb_object_agg(f.figure, f.value) FROM population_figure f WHERE f.unit_id = u.id AND f.year = $2)
                AS figures
         FROM admin_unit u
        WHERE (u.id = $1 OR u.parent_id = $1) AND u.valid_to IS NULL
        ORDER BY u.depth, u.sort_key`,
      [unitId, year],
    );
  }

  /** The current units among `codes`. */
  currentUnits(codes: string[]): Promise<PopulationUnitRow[]> {
    return this.dataSource.query(
      `SELECT id, code, path FROM admin_unit WHERE code = ANY ($1::text[]) AND valid_to IS NULL`,
      [codes],
    );
  }

  /** The unit's figures for `year`, by figure code; `value` as the driver gives it (text). */
  figures(m: EntityManager, unitId: number, year: number): Promise<{ figure: string; value: string }[]> {
    return m.query(`SELECT figure, value FROM population_figure WHERE unit_id = $1 AND year = $2`, [
      unitId,
      year,
    ]);
  }

  /** Stores the given figures of a unit for a year (touching only those whose value changes). */
  async upsertFigures(
    m: EntityManager,
    unitId: number,
    year: number,
    figures: string[],
    values: number[],
  ): Promise<void> {
    await m.query(
      `INSERT INTO population_figure AS f (unit_id, year, figure, value)
         SELECT $1, $2, figure, value FROM unnest($3::text[], $4::bigint[]) AS t(figure, value)
         ON CONFLICT (unit_id, year, figure) DO UPDATE SET value = EXCLUDED.value, updated_at = now()
          WHERE f.value IS DISTINCT FROM EXCLUDED.value`,
      [unitId, year, figures, values],
    );
  }

  async deleteFigures(m: EntityManager, unitId: number, year: number, figures: string[]): Promise<void> {
    await m.query(
      `DELETE FROM population_figure WHERE unit_id = $1 AND year = $2 AND figure = ANY ($3::text[])`,
      [unitId, year, figures],
    );
  }
}
