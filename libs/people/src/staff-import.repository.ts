import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Policy, Principal } from '../../access/src';

/** An organisation as the staff import sees it: `mine` when the caller may register its staff. */
export interface StaffOrganisationRow {
  id: string;
  name: string;
  mine: boolean;
}

@Injectable()
export class StaffImportRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * The organisation, and whether the caller may register its staff, decided in SQL: one of the
   * organisations the caller heads, or one whose unit lies in a steering member's subtree.
   */
  async organisation(principal: Principal, id: string): Promise<StaffOrganisationRow | undefined> {
    const params: unknown[] = [id, Policy.organisations(principal)];
    const steering = Policy.sqlScope(principal, ['steering'], 'u.path', params);
    const [row]: StaffOrganisationRow[] = await this.dataSource.query(
      `SELECT o.id, o.name, (o.id = ANY ($2::uuid[]) OR ${steering}) AS mine
         FROM organisation o JOIN admin_unit u ON u.id = o.unit_id
        WHERE o.id = $1`,
      params,
    );
    return row;
  }
}
