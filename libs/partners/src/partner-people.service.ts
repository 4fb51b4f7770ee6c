import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditService } from '../../audit/src';
import { Gender, PersonRepository, PersonService } from '../../people/src';
import { DomainError, normalizeVietnamesePhone } from '../../platform/src';
import { Idempotency } from './idempotency';
import {
  LookupPersonDto,
  LookupResultDto,
  PartnerPersonDto,
  PartnerPersonInputDto,
  PeopleResultsDto,
  PersonResultDto,
} from './inbound.dto';
import { checkItem, idOf, summarise } from './items';
import { PartnerCaller } from './partner-caller';
import { PartnerPersonRepository } from './partner-person.repository';
import { ItemProblem, ItemProblems, PartnerErrors } from './partner.errors';

const STATUSES = ['created', 'matched', 'unchanged', 'rejected'] as const;

const rejected = (index: number, externalId: string | null, problem: ItemProblem): PersonResultDto => ({
  index,
  externalId,
  status: 'rejected',
  personId: null,
  ...problem,
});

/**
 * People as partners know them. A partner registers its learners under its own ids; each is matched to the
 * person Lan Tỏa already knows by CCCD (so that someone who also attends a class is one person), or created
 * with the same rules and duplicate queue as any registration. A partner never reads a record back: it gets
 * the person's id, never data it did not send.
 */
@Injectable()
export class PartnerPeopleService {
  constructor(
    private readonly people: PersonService,
    private readonly records: PersonRepository,
    private readonly idempotency: Idempotency,
    private readonly audit: AuditService,
    private readonly partnerPeople: PartnerPersonRepository,
  ) {}

  async register(
    partner: PartnerCaller,
    items: object[],
    idempotencyKey: string | undefined,
  ): Promise<{ body: PeopleResultsDto; replayed: boolean }> {
    return this.idempotency.once(partner, idempotencyKey, 'POST /partner/people', items, async (m) => {
      const results: PersonResultDto[] = [];
      const valid: { index: number; input: PartnerPersonInputDto }[] = [];
      const seen = new Set<string>();
      for (const [index, raw] of items.entries()) {
        const input = await checkItem(PartnerPersonInputDto, raw, `people[${index}]`);
        const externalId = Array.isArray(input) ? idOf(raw, 'externalId', 100) : input.externalId;
        if (Array.isArray(input)) results[index] = rejected(index, externalId, ItemProblems.invalid(input));
        else if (seen.has(input.externalId))
          results[index] = rejected(index, externalId, ItemProblems.repeatedInBatch());
        else {
          seen.add(input.externalId);
          valid.push({ index, input });
        }
      }
      // Concurrent batches naming the same learner (or CCCD) wait for one another, in one order.
      const lockKeys = valid.flatMap(({ input }) => [
        `partner-person:${partner.clientId}:${input.externalId}`,
        ...(input.cccd ? [`cccd:${input.cccd.replace(/\s/g, '')}`] : []),
      ]);
      await this.partnerPeople.lock(m, lockKeys);
      const links = await this.linkedPeople(m, partner.clientId, [...seen]);
      const written: { externalId: string; personId: string; status: string }[] = [];
      for (const { index, input } of valid) {
        const linked = links.get(input.externalId);
        results[index] = linked
          ? { index, externalId: input.externalId, status: 'unchanged', personId: linked }
          : await this.registerOne(m, partner, index, input);
        const r = results[index];
        if (r.status === 'created' || r.status === 'matched')
          written.push({ externalId: input.externalId, personId: r.personId!, status: r.status });
      }
      if (written.length) {
        await this.audit.record(
          {
            action: 'partner.people_registered',
            entityType: 'partner_client',
            entityId: partner.clientId,
            after: { people: written },
            scopePaths: [partner.unitPath],
          },
          m,
        );
      }
      return { results, summary: summarise(results, STATUSES) };
    });
  }

  private async registerOne(
    m: EntityManager,
    partner: PartnerCaller,
    index: number,
    input: PartnerPersonInputDto,
  ): Promise<PersonResultDto> {
    const { externalId, ...person } = input;
    const prefix = `people[${index}]`;
    try {
      const { write, unitPath } = await this.people.validate(
        { ...person, gender: person.gender as Gender },
        m,
      );
      if (!unitPath.startsWith(partner.unitPath)) {
        return rejected(index, externalId, ItemProblems.outOfScope(`Nơi cư trú ${person.communeCode}`));
      }
      let status: 'created' | 'matched';
      let personId: string;
      let possibleDuplicate = false;
      const existing = write.cccd ? await this.records.livingByCccd(m, write.cccd, null) : null;
      if (existing) {
        // The same CCCD is the same person: linked, never a second record (and never read back).
        const [known] = await this.records.findByIds([existing], m);
        if (known.birthYear !== write.birthYear)
          return rejected(index, externalId, ItemProblems.cccdConflict());
        status = 'matched';
        personId = existing;
      } else {
        const { row, duplicates } = await this.people.register(m, write, partner.clientId);
        status = 'created';
        personId = row.id;
        possibleDuplicate = duplicates.length > 0;
      }
      await this.partnerPeople.link(m, {
        clientId: partner.clientId,
        externalId,
        personId,
        communeId: write.communeId,
      });
      return { index, externalId, status, personId, possibleDuplicate };
    } catch (error) {
      if (!(error instanceof DomainError) || error.status >= 500) throw error;
      const errors = error.errors.map((e) => ({ ...e, field: `${prefix}.${e.field}` }));
      return rejected(
        index,
        externalId,
        errors.length ? ItemProblems.invalid(errors) : { code: error.code, reason: error.message },
      );
    }
  }

  /** The persons behind a partner's ids (a merged record's survivor). */
  private async linkedPeople(
    m: EntityManager,
    clientId: string,
    externalIds: string[],
  ): Promise<Map<string, string>> {
    const rows = await this.partnerPeople.links(m, clientId, externalIds);
    return new Map(rows.map((r) => [r.externalId, r.personId]));
  }

  async get(partner: PartnerCaller, externalId: string): Promise<PartnerPersonDto> {
    const row = await this.partnerPeople.find(partner.clientId, externalId);
    if (!row) throw PartnerErrors.personNotFound();
    return {
      externalId: row.externalId,
      personId: row.personId,
      commune: { code: row.code, fullName: row.fullName },
      registeredAt: new Date(row.createdAt).toISOString(),
    };
  }

  /**
   * Whether a living person with this CCCD (or phone) and birth year lives in the key's subtree — the id, and
   * the partner's own id for them if it has one; nothing else.
   */
  async lookup(partner: PartnerCaller, dto: LookupPersonDto): Promise<LookupResultDto> {
    const phone = dto.phone === undefined ? undefined : normalizeVietnamesePhone(dto.phone);
    if (dto.cccd === undefined && dto.phone === undefined) {
      throw PartnerErrors.invalid([{ field: 'cccd', reason: 'cần số CCCD hoặc số điện thoại' }]);
    }
    if (phone === null) {
      throw PartnerErrors.invalid([{ field: 'phone', reason: 'không phải số điện thoại Việt Nam hợp lệ' }]);
    }
    const rows = await this.partnerPeople.lookup({
      clientId: partner.clientId,
      unitPath: partner.unitPath,
      birthYear: dto.birthYear,
      cccd: dto.cccd ?? null,
      phone: phone ?? null,
    });
    // A phone shared by two people of that age names nobody for sure.
    if (rows.length !== 1) return { found: false, personId: null, externalId: null };
    return { found: true, personId: rows[0].id, externalId: rows[0].externalId };
  }
}
