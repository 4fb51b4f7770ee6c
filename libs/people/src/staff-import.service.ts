import { Injectable } from '@nestjs/common';
import { AccessErrors, Principal } from '../../access/src';
import { DomainError } from '../../platform/src';
import { PersonImportService } from './person-import.service';
import { StaffImportResultDto } from './person.dto';
import { StaffImportRepository } from './staff-import.repository';

/**
 * A department head's staff list from Excel, for their own organisation: the people import (template, row
 * checks with row numbers, dry run, all or nothing) with every new person joining the organisation, and the
 * people already registered (matched as the people rules match duplicates) joining it too unless another
 * organisation has them. Who may do it is decided in SQL: the organisations the caller heads, or one whose
 * unit lies in a steering member's subtree.
 */
@Injectable()
export class StaffImportService {
  constructor(
    private readonly organisations: StaffImportRepository,
    private readonly imports: PersonImportService,
  ) {}

  async template(principal: Principal, organisationId: string): Promise<{ body: Buffer; name: string }> {
    const organisation = await this.organisation(principal, organisationId);
    return { body: await this.imports.template(organisation.name), name: 'danh-sach-nhan-su.xlsx' };
  }

  async import(
    principal: Principal,
    organisationId: string,
    file: { buffer?: Buffer } | undefined,
    dryRun: boolean,
  ): Promise<StaffImportResultDto> {
    const organisation = await this.organisation(principal, organisationId);
    const result = await this.imports.import(principal, file, dryRun, { organisationId: organisation.id });
    return { ...result, attached: result.attached ?? 0, elsewhere: result.elsewhere ?? 0 };
  }

  /** The organisation, if the caller may register its staff (404 when there is none, 403 when not theirs). */
  private async organisation(principal: Principal, id: string): Promise<{ id: string; name: string }> {
    const row = await this.organisations.organisation(principal, id);
    if (!row) throw new DomainError('ORGANISATION_NOT_FOUND', 404, 'Không tìm thấy cơ quan, đơn vị.');
    if (!row.mine) throw AccessErrors.outOfScope();
    return row;
  }
}
