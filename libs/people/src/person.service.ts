import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AccessErrors, Policy, Principal } from '../../access/src';
import { AuditService } from '../../audit/src';
import { OrganisationRepository, UnitRepository } from '../../hierarchy/src';
import { Clock, FieldError, normalizeVietnamesePhone, Page, page } from '../../platform/src';
import { cccdProblem } from './cccd';
import {
  CreatedPersonDto,
  CreatePersonDto,
  DuplicateDto,
  DuplicatesQueryDto,
  ListPeopleQueryDto,
  PersonDto,
  UpdatePersonDto,
} from './person.dto';
import { DuplicateReason } from './person.entity';
import { PersonErrors } from './person.errors';
import { toPersonDto } from './person.mapper';
import { PersonMergeRegistry } from './person-merge.registry';
import { nameColumns } from './person-names';
import { PersonFilter, PersonRepository, PersonRow, PersonWrite } from './person.repository';
import { canManagePerson, canSeePerson, seesPersonalData } from './person.scope';
import { STANDARD_SEGMENTS } from './segments';

type PersonInput = CreatePersonDto;

@Injectable()
export class PersonService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly people: PersonRepository,
    private readonly units: UnitRepository,
    private readonly organisations: OrganisationRepository,
    private readonly merges: PersonMergeRegistry,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /**
   * Registers a learner. The same CCCD twice is refused (409 naming the existing record); likely duplicates
   * (same name, birth year and commune; same phone; swapped names) are accepted and queued for review.
   */
  async create(principal: Principal, dto: CreatePersonDto, m?: EntityManager): Promise<CreatedPersonDto> {
    const { write, unitPath } = await this.validate(dto, m);
    const allowed =
      Policy.covers(principal, ['steering'], unitPath) ||
      Policy.hasRole(principal, ['trainer']) ||
      (write.organisationId !== null && Policy.organisations(principal).includes(write.organisationId));
    if (!allowed) throw AccessErrors.outOfScope();
    const run = async (tx: EntityManager) => {
      const { row, duplicates } = await this.register(tx, write, principal.id);
      return { ...toPersonDto(row, seesPersonalData(principal, row)), possibleDuplicates: duplicates };
    };
    return m ? run(m) : this.dataSource.transaction(run);
  }

  /**
   * Writes a validated learner for a caller whose scope was checked (a user above, or a partner's API key):
   * the same CCCD twice is refused, likely duplicates are queued for review, and the record is audited
   * under the request's actor.
   */
  async register(
    m: EntityManager,
    write: PersonWrite,
    createdBy: string | null,
  ): Promise<{ row: PersonRow; duplicates: { personId: string; reason: DuplicateReason }[] }> {
    if (write.cccd) {
      const existing = await this.people.livingByCccd(m, write.cccd, null);
      if (existing) throw PersonErrors.cccdExists(existing);
    }
    const id = await this.people.insert(m, write, createdBy);
    const duplicates = await this.people.likelyDuplicates(m, id, write);
    await this.people.flagDuplicates(m, id, duplicates);
    const row = (await this.people.findById(id, m))!;
    await this.audit.record(
      {
        action: 'person.created',
        entityType: 'person',
        entityId: id,
        after: toPersonDto(row, true),
        scopePaths: [row.unitPath],
      },
      m,
    );
    return { row, duplicates };
  }

  async list(principal: Principal, query: ListPeopleQueryDto): Promise<Page<PersonDto>> {
    const filter: PersonFilter = {
      segment: query.segment,
      organisationId: query.organisationId,
    };
    if (query.q) {
      const q = query.q.trim();
      const phone = normalizeVietnamesePhone(q);
      if (/^\d{12}$/.test(q)) filter.cccd = q;
      else if (phone) filter.phone = phone;
      else filter.nameKey = nameColumns(q).nameKey;
    }
    if (query.unit) {
      const unit = await this.units.findByCode(query.unit, this.clock.today());
      if (!unit) return page([], 0, query);
      filter.unitPath = unit.path;
    }
    const { rows, total, capped } = await this.people.list(principal, filter, query.limit, query.offset);
    return page(
      rows.map((row) => toPersonDto(row, seesPersonalData(principal, row))),
      total,
      query,
      capped,
    );
  }

  async get(principal: Principal, id: string): Promise<PersonDto> {
    const person = await this.visible(principal, id);
    return toPersonDto(person, seesPersonalData(principal, person));
  }

  async update(principal: Principal, id: string, dto: UpdatePersonDto): Promise<PersonDto> {
    const before = await this.visible(principal, id);
    if (!canManagePerson(principal, before)) throw AccessErrors.outOfScope();
    if (before.mergedIntoId) throw PersonErrors.merged(id, before.mergedIntoId);
    const { write, unitPath } = await this.validate({ ...this.asInput(before), ...dto });
    if (
      !Policy.covers(principal, ['steering'], unitPath) &&
      !canManagePerson(principal, { ...before, unitPath })
    ) {
      throw AccessErrors.outOfScope();
    }
    await this.dataSource.transaction(async (m) => {
      await this.people.lock(m, [id]);
      if (write.cccd) {
        const existing = await this.people.livingByCccd(m, write.cccd, id);
        if (existing) throw PersonErrors.cccdExists(existing);
      }
      await this.people.update(m, id, write);
      await this.people.flagDuplicates(m, id, await this.people.likelyDuplicates(m, id, write));
      const after = (await this.people.findById(id, m))!;
      await this.audit.record(
        {
          action: 'person.updated',
          entityType: 'person',
          entityId: id,
          before: toPersonDto(before, true),
          after: toPersonDto(after, true),
          scopePaths: [...new Set([before.unitPath, after.unitPath])],
        },
        m,
      );
    });
    return this.get(principal, id);
  }

  async duplicates(principal: Principal, query: DuplicatesQueryDto): Promise<Page<DuplicateDto>> {
    const { rows, total } = await this.people.duplicates(principal, query.status, query.limit, query.offset);
    const people = new Map(
      (await this.people.findByIds(rows.flatMap((r) => [r.personId, r.otherPersonId]))).map((p) => [p.id, p]),
    );
    return page(
      rows.map((row) => ({
        id: row.id,
        reason: row.reason,
        status: row.status,
        createdAt: new Date(row.createdAt).toISOString(),
        people: [row.personId, row.otherPersonId].map((pid) => {
          const person = people.get(pid)!;
          return toPersonDto(person, seesPersonalData(principal, person));
        }),
      })),
      total,
      query,
    );
  }

  /** Marks a queued pair as two different people. */
  async dismiss(principal: Principal, duplicateId: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const pair = await this.people.duplicateById(m, duplicateId);
      if (!pair) throw PersonErrors.duplicateNotFound();
      const people = await this.people.findByIds([pair.personId, pair.otherPersonId], m);
      if (!people.some((p) => Policy.covers(principal, ['steering'], p.unitPath)))
        throw PersonErrors.duplicateNotFound();
      await this.people.resolveDuplicates(m, [duplicateId], 'dismissed', principal.id);
      await this.audit.record(
        {
          action: 'person.duplicate_dismissed',
          entityType: 'person_duplicate',
          entityId: duplicateId,
          scopePaths: people.map((p) => p.unitPath),
        },
        m,
      );
    });
  }

  /**
   * Merges duplicate records into the survivor: every step registered by other modules moves what points at
   * a source (trainer roles, reach, enrolments, attendance, certificates); the survivor takes over missing
   * CCCD, phone and birth date; sources remain as tombstones pointing at it. One transaction, audited.
   */
  async merge(principal: Principal, survivorId: string, sourceIds: string[]): Promise<PersonDto> {
    if (sourceIds.includes(survivorId)) throw PersonErrors.mergeSelf();
    const all = [survivorId, ...sourceIds];
    await this.dataSource.transaction(async (m) => {
      await this.people.lock(m, all);
      const rows = await this.people.findByIds(all, m);
      const byId = new Map(rows.map((r) => [r.id, r]));
      for (const id of all) {
        const row = byId.get(id);
        if (!row || !Policy.covers(principal, ['steering'], row.unitPath)) throw PersonErrors.notFound();
        if (row.mergedIntoId) throw PersonErrors.merged(id, row.mergedIntoId);
      }
      const survivor = byId.get(survivorId)!;
      const moved: Record<string, number> = {};
      let merged = { ...survivor };
      for (const sourceId of sourceIds) {
        for (const step of this.merges.all()) {
          moved[step.name] = (moved[step.name] ?? 0) + (await step.merge(m, survivorId, sourceId));
        }
        await this.people.markMerged(m, sourceId, survivorId);
        const source = byId.get(sourceId)!;
        merged = {
          ...merged,
          cccd: merged.cccd ?? source.cccd,
          phone: merged.phone ?? source.phone,
          birthDate: merged.birthDate ?? (source.birthYear === merged.birthYear ? source.birthDate : null),
          organisationId: merged.organisationId ?? source.organisationId,
        };
      }
      await this.people.update(m, survivorId, toWrite(merged));
      await this.people.resolveDuplicates(
        m,
        await this.people.openDuplicatesOf(m, all),
        'merged',
        principal.id,
      );
      const after = (await this.people.findById(survivorId, m))!;
      await this.audit.record(
        {
          action: 'person.merged',
          entityType: 'person',
          entityId: survivorId,
          before: {
            survivor: toPersonDto(survivor, true),
            sources: sourceIds.map((id) => toPersonDto(byId.get(id)!, true)),
          },
          after: { survivor: toPersonDto(after, true), moved },
          scopePaths: [...new Set(rows.map((r) => r.unitPath))],
        },
        m,
      );
    });
    return this.get(principal, survivorId);
  }

  /** The person if the caller may see them; "not found" otherwise. */
  async visible(principal: Principal, id: string): Promise<PersonRow> {
    const person = await this.people.findById(id);
    if (!person) throw PersonErrors.notFound();
    if (Policy.isAdmin(principal) || canSeePerson(principal, person, await this.reachedBy(principal, id)))
      return person;
    throw PersonErrors.notFound();
  }

  private async reachedBy(principal: Principal, personId: string): Promise<boolean> {
    if (!principal.personId || !Policy.hasRole(principal, ['trainer'])) return false;
    return this.people.reachedBy(personId, principal.personId);
  }

  private asInput(row: PersonRow): PersonInput {
    return {
      fullName: row.fullName,
      birthDate: row.birthDate ?? undefined,
      birthYear: row.birthYear,
      gender: row.gender,
      communeCode: row.communeCode,
      segment: row.segment,
      organisationId: row.organisationId ?? undefined,
      cccd: row.cccd ?? undefined,
      phone: row.phone ?? undefined,
    };
  }

  /** Every rule on a person's fields, with each problem reported against its field. */
  async validate(
    dto: PersonInput,
    m: EntityManager = this.dataSource.manager,
  ): Promise<{ write: PersonWrite; unitPath: string }> {
    const problems: FieldError[] = [];
    const birthYear = dto.birthDate ? Number(dto.birthDate.slice(0, 4)) : dto.birthYear;
    if (birthYear === undefined) problems.push({ field: 'birthYear', reason: 'cần ngày sinh hoặc năm sinh' });
    if (dto.birthDate && dto.birthYear !== undefined && dto.birthYear !== birthYear) {
      problems.push({ field: 'birthYear', reason: `không khớp với ngày sinh ${dto.birthDate}` });
    }
    const today = this.clock.today();
    if (dto.birthDate && dto.birthDate > today)
      problems.push({ field: 'birthDate', reason: 'không được ở tương lai' });
    const commune = await this.units.findByCode(dto.communeCode, today, m);
    if (!commune || commune.level !== 'commune' || commune.validTo !== null) {
      problems.push({
        field: 'communeCode',
        reason: `${dto.communeCode} không phải xã, phường, đặc khu hiện hành`,
      });
    }
    const segments = new Set<string>([...STANDARD_SEGMENTS, ...(await this.people.programSegments(m))]);
    if (!segments.has(dto.segment)) {
      problems.push({
        field: 'segment',
        reason: `phải là một trong các giá trị: ${[...segments].join(', ')}`,
      });
    }
    if (dto.organisationId && !(await this.organisations.findById(dto.organisationId, m))) {
      problems.push({ field: 'organisationId', reason: 'không tìm thấy tổ chức' });
    }
    const cccd = dto.cccd?.replace(/\s/g, '') || null;
    if (cccd && birthYear !== undefined) {
      const problem = cccdProblem(cccd, { gender: dto.gender, birthYear });
      if (problem) problems.push({ field: 'cccd', reason: problem });
    }
    const phone = dto.phone ? normalizeVietnamesePhone(dto.phone) : null;
    if (dto.phone && !phone)
      problems.push({ field: 'phone', reason: 'không phải số điện thoại Việt Nam hợp lệ' });
    if (problems.length) throw PersonErrors.invalid(problems);
    return {
      write: {
        ...nameColumns(dto.fullName),
        birthDate: dto.birthDate ?? null,
        birthYear: birthYear!,
        gender: dto.gender,
        communeId: commune!.id,
        segment: dto.segment,
        organisationId: dto.organisationId ?? null,
        cccd,
        phone,
      },
      unitPath: commune!.path,
    };
  }
}

/** The stored columns of a loaded record (for merges, where every field was validated when written). */
function toWrite(row: PersonRow): PersonWrite {
  return {
    ...nameColumns(row.fullName),
    birthDate: row.birthDate,
    birthYear: row.birthYear,
    gender: row.gender,
    communeId: row.communeId,
    segment: row.segment,
    organisationId: row.organisationId,
    cccd: row.cccd,
    phone: row.phone,
  };
}
