import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { OrganisationKind } from './organisation.entity';

export interface OrganisationRef {
  id: string;
  name: string;
  kind: OrganisationKind;
  unitId: number;
  unitCode: string;
  unitPath: string;
}

@Injectable()
export class OrganisationRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async findById(id: string, m: EntityManager = this.dataSource.manager): Promise<OrganisationRef | null> {
    const rows: OrganisationRef[] = await m.query(
      `SELECT o.id, o.name, o.kind, o.unit_id AS "unitId", u.code AS "unitCode", u.path AS "unitPath"
         FROM organisation o JOIN admin_unit u ON u.id = o.unit_id WHERE o.id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }
}
