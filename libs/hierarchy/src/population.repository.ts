import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { POPULATION_FIGURES } from './population.entity';

export interface PopulationFigureKind {
  code: string;
  name: string;
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
}
