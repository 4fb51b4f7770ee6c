import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { pagedQuery } from '../../platform/src';
import { OrganisationKind } from './organisation.entity';

export interface OrganisationRef {
  id: string;
  name: string;
  kind: OrganisationKind;
  unitId: number;
  unitCode: string;
  unitName: string;
  unitPath: string;
  headUserId: string | null;
  headName: string | null;
}

const SELECT = `
  SELECT o.id, o.name, o.kind, o.unit_id AS "unitId", u.code AS "unitCode", u.full_name AS "unitName",
         u.path AS "unitPath", o.head_user_id AS "headUserId", h.display_name AS "headName", o.created_at
    FROM organisation o JOIN admin_unit u ON u.id = o.unit_id LEFT JOIN app_user h ON h.id = o.head_user_id`;

@Injectable()
export class OrganisationRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async findById(id: string, m: EntityManager = this.dataSource.manager): Promise<OrganisationRef | null> {
    const rows: OrganisationRef[] = await m.query(`${SELECT} WHERE o.id = $1`, [id]);
    return rows[0] ?? null;
  }

  /** Organisations matching `scope` (SQL on aliases o and u) and the filters, by name. */
  async list(
    scope: string,
    params: unknown[],
    filter: { unitPath?: string; kind?: string; q?: string },
    limit: number,
    offset: number,
  ) {
    const conditions = [scope];
    const add = (condition: string, value: unknown) => {
      params.push(value);
      conditions.push(condition.replace('?', `$${params.length}`));
    };
    if (filter.unitPath) add(`u.path LIKE ? || '%'`, filter.unitPath);
    if (filter.kind) add('o.kind = ?', filter.kind);
    if (filter.q) add(`lower(o.name) LIKE ?`, `%${filter.q.toLowerCase()}%`);
    return pagedQuery<OrganisationRef & { created_at: Date }>(
      this.dataSource,
      `${SELECT} WHERE ${conditions.join(' AND ')}`,
      params,
      'name, id',
      limit,
      offset,
    );
  }

  async insert(
    m: EntityManager,
    o: { unitId: number; name: string; kind: string; headUserId: string | null },
  ): Promise<string> {
    const [row]: { id: string }[] = await m.query(
      `INSERT INTO organisation (unit_id, name, kind, head_user_id) VALUES ($1, $2, $3, $4) RETURNING id`,
      [o.unitId, o.name, o.kind, o.headUserId],
    );
    return row.id;
  }

  async update(
    m: EntityManager,
    id: string,
    o: { name: string; kind: string; headUserId: string | null },
  ): Promise<void> {
    await m.query(
      `UPDATE organisation SET name = $2, kind = $3, head_user_id = $4, updated_at = now() WHERE id = $1`,
      [id, o.name, o.kind, o.headUserId],
    );
  }

  async userExists(m: EntityManager, userId: string): Promise<boolean> {
    const rows: unknown[] = await m.query(`SELECT 1 FROM app_user WHERE id = $1`, [userId]);
    return rows.length > 0;
  }
}
