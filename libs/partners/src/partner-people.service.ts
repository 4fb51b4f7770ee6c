import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
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
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly people: PersonService,
    private readonly records: PersonRepository,
    private readonly idempotency: Idempotency,
    private readonly audit: AuditService,
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
      await m.query(`SELECT pg_advisory_xact_lock(hashtext(k)) FROM unnest($1::text[]) AS k ORDER BY k`, [
        [...new Set(lockKeys)].sort(),
      ]);
      const links = await this.links(m, partner.clientId, [...seen]);
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
      await m.query(
        `INSERT INTO partner_person (client_id, external_id, person_id, commune_id) VALUES ($1, $2, $3, $4)`,
        [partner.clientId, externalId, personId, write.communeId],
      );
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
  private async links(
    m: EntityManager,
    clientId: string,
    externalIds: string[],
  ): Promise<Map<string, string>> {
    const rows: { externalId: string; personId: string }[] = await m.query(
      `SELECT l.external_id AS "externalId", coalesce(p.merged_into_id, p.id) AS "personId"
         FROM partner_person l JOIN person p ON p.id = l.person_id
        WHERE l.client_id = $1 AND l.external_id = ANY ($2::text[])`,
      [clientId, externalIds],
    );
    return new Map(rows.map((r) => [r.externalId, r.personId]));
  }

  async get(partner: PartnerCaller, externalId: string): Promise<PartnerPersonDto> {
    const [row]: { externalId: string; personId: string; code: string; fullName: string; createdAt: Date }[] =
      await this.dataSource.query(
        `SELECT l.external_id AS "externalId", coalesce(p.merged_into_id, p.id) AS "personId", u.code,
                u.full_name AS "fullName", l.created_at AS "createdAt"
           FROM partner_person l JOIN person p ON p.id = l.person_id JOIN admin_unit u ON u.id = l.commune_id
          WHERE l.client_id = $1 AND l.external_id = $2`,
        [partner.clientId, externalId],
      );
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
    const rows: { id: string; externalId: string | null }[] = await this.dataSource.query(
      `SELECT p.id,
              (SELECT min(l.external_id) FROM partner_person l WHERE l.client_id = $5 AND l.person_id = p.id)
                AS "externalId"
         FROM person p JOIN admin_unit cu ON cu.id = p.commune_id
        WHERE p.merged_into_id IS NULL AND p.birth_year = $1 AND cu.path LIKE $2 || '%'
          AND ($3::text IS NULL OR p.cccd = $3) AND ($4::text IS NULL OR p.phone = $4)
        ORDER BY p.created_at, p.id LIMIT 2`,
      [dto.birthYear, partner.unitPath, dto.cccd ?? null, phone ?? null, partner.clientId],
    );
    // A phone shared by two people of that age names nobody for sure.
    if (rows.length !== 1) return { found: false, personId: null, externalId: null };
    return { found: true, personId: rows[0].id, externalId: rows[0].externalId };
  }
}
