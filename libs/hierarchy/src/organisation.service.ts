import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AccessErrors, Policy, Principal } from '../../access/src';
import { AuditService } from '../../audit/src';
import { Clock, Page, page } from '../../platform/src';
import { HierarchyErrors } from './hierarchy.errors';
import {
  CreateOrganisationDto,
  ListOrganisationsQueryDto,
  ORGANISATION_KIND_NAMES,
  OrganisationDto,
  UpdateOrganisationDto,
} from './organisation.dto';
import { OrganisationRef, OrganisationRepository } from './organisation.repository';
import { organisationScopeSql } from './organisation.scope';
import { UnitRepository } from './unit.repository';

function toOrganisationDto(o: OrganisationRef): OrganisationDto {
  return {
    id: o.id,
    name: o.name,
    kind: o.kind,
    kindName: ORGANISATION_KIND_NAMES[o.kind],
    unit: { code: o.unitCode, fullName: o.unitName },
    head: o.headUserId ? { id: o.headUserId, displayName: o.headName ?? '' } : null,
  };
}

/** Organisations are read by anyone whose role covers their unit (or who heads them); run by steering members. */
@Injectable()
export class OrganisationService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly organisations: OrganisationRepository,
    private readonly units: UnitRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async list(principal: Principal, query: ListOrganisationsQueryDto): Promise<Page<OrganisationDto>> {
    const params: unknown[] = [];
    const scope = organisationScopeSql(principal, params);
    const unit = query.unit ? await this.units.findByCode(query.unit, this.clock.today()) : null;
    if (query.unit && !unit) return page([], 0, query);
    const { rows, total } = await this.organisations.list(
      scope,
      params,
      { unitPath: unit?.path, kind: query.kind, q: query.q },
      query.limit,
      query.offset,
    );
    return page(rows.map(toOrganisationDto), total, query);
  }

  async get(principal: Principal, id: string): Promise<OrganisationDto> {
    return toOrganisationDto(await this.visible(principal, id));
  }

  async create(principal: Principal, dto: CreateOrganisationDto): Promise<OrganisationDto> {
    const unit = await this.units.findByCode(dto.unitCode, this.clock.today());
    if (!unit)
      throw HierarchyErrors.invalid([{ field: 'unitCode', reason: `không có đơn vị mã ${dto.unitCode}` }]);
    if (!Policy.covers(principal, ['steering'], unit.path)) throw AccessErrors.outOfScope();
    const id = await this.dataSource.transaction(async (m) => {
      await this.assertHead(m, dto.headUserId ?? null);
      const created = await this.organisations.insert(m, {
        unitId: unit.id,
        name: dto.name,
        kind: dto.kind,
        headUserId: dto.headUserId ?? null,
      });
      await this.audit.record(
        {
          action: 'organisation.created',
          entityType: 'organisation',
          entityId: created,
          after: dto,
          scopePaths: [unit.path],
        },
        m,
      );
      return created;
    });
    return this.get(principal, id);
  }

  async update(principal: Principal, id: string, dto: UpdateOrganisationDto): Promise<OrganisationDto> {
    const before = await this.visible(principal, id);
    if (!Policy.covers(principal, ['steering'], before.unitPath)) throw AccessErrors.outOfScope();
    await this.dataSource.transaction(async (m) => {
      const headUserId = dto.headUserId === undefined ? before.headUserId : dto.headUserId;
      await this.assertHead(m, headUserId);
      await this.organisations.update(m, id, {
        name: dto.name ?? before.name,
        kind: dto.kind ?? before.kind,
        headUserId,
      });
      await this.audit.record(
        {
          action: 'organisation.updated',
          entityType: 'organisation',
          entityId: id,
          before: toOrganisationDto(before),
          after: toOrganisationDto((await this.organisations.findById(id, m))!),
          scopePaths: [before.unitPath],
        },
        m,
      );
    });
    return this.get(principal, id);
  }

  private async visible(principal: Principal, id: string): Promise<OrganisationRef> {
    const o = await this.organisations.findById(id);
    const sees =
      o &&
      (Policy.covers(principal, ['steering', 'viewer', 'trainer'], o.unitPath) ||
        Policy.organisations(principal).includes(o.id));
    if (!o || !sees) throw HierarchyErrors.organisationNotFound();
    return o;
  }

  private async assertHead(m: EntityManager, userId: string | null): Promise<void> {
    if (userId && !(await this.organisations.userExists(m, userId))) {
      throw HierarchyErrors.invalid([{ field: 'headUserId', reason: 'không tìm thấy người dùng này' }]);
    }
  }
}
