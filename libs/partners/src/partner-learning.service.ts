import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditService } from '../../audit/src';
import { KpiFactsRepository } from '../../kpi/src';
import { FlagDetector } from '../../flags/src';
import { Clock, FieldError, Page, page, vnDate } from '../../platform/src';
import { Idempotency } from './idempotency';
import {
  CompletionInputDto,
  LessonInputDto,
  ListRecordsQueryDto,
  OutcomeInputDto,
  PartnerRecordDto,
  RecordResultDto,
  RecordResultsDto,
} from './inbound.dto';
import { checkItem, idOf, summarise } from './items';
import { KeyProgram, LearningRepository, LearningWrite } from './learning.repository';
import { PartnerCaller } from './partner-caller';
import { LearningKind } from './partner.entities';
import { ItemProblem, ItemProblems } from './partner.errors';
import { WebhookOutbox } from './webhook-outbox';

/** A learning item after its shape was checked: what the API and the xAPI adapter both hand in. */
export interface LearningInput {
  index: number;
  /** Where the item's fields are named in problems: `lessons[3]`, `statements[0]`. */
  prefix: string;
  /** The name of the item's time field (`completedAt`, `reportedAt`, `timestamp`). */
  timeField: string;
  itemId: string;
  kind: LearningKind;
  externalId: string;
  programCode: string;
  level: number | null;
  lesson: string | null;
  occurredAt: Date;
  canApply: boolean | null;
  score: number | null;
  communeCode: string | null;
  /** What makes two sendings of the item the same (by default, every field above but the index). */
  contentHash?: string;
}

/** An item checked against the partner's key and what Lan Tỏa knows: ready to write, or why not. */
export type Resolved =
  | { input: LearningInput; problem: ItemProblem }
  | { input: LearningInput; duplicateOf: string }
  | { input: LearningInput; write: LearningWrite; unitPath: string; program: KeyProgram };

const STATUSES = ['recorded', 'duplicate', 'rejected'] as const;
/** Devices and servers disagree on the time by a few minutes; later than this is the future. */
const CLOCK_SKEW_MS = 5 * 60_000;

const KINDS: Record<LearningKind, { type: new () => object; field: string; at: string }> = {
  lesson: { type: LessonInputDto, field: 'lessons', at: 'completedAt' },
  completion: { type: CompletionInputDto, field: 'completions', at: 'completedAt' },
  outcome: { type: OutcomeInputDto, field: 'outcomes', at: 'reportedAt' },
};

function contentHash(input: LearningInput): string {
  const { kind, externalId, programCode, level, lesson, occurredAt, canApply, score, communeCode } = input;
  return createHash('sha256')
    .update(
      JSON.stringify([
        kind,
        externalId,
        programCode,
        level,
        lesson,
        occurredAt.toISOString(),
        canApply,
        score,
        communeCode,
      ]),
    )
    .digest('hex');
}

/**
 * Online lessons, level completions and outcomes that partners push: checked item by item against the key
 * (its programs, its subtree), the person (registered by the partner first) and what was already received
 * (the same id with the same content is a duplicate, changing nothing; with other content it is refused).
 * What is written counts at once in the KPI facts — the same person once, whether they learned in a class,
 * online, or both — and completions go out to webhook subscribers.
 */
@Injectable()
export class PartnerLearningService {
  constructor(
    private readonly learning: LearningRepository,
    private readonly facts: KpiFactsRepository,
    private readonly outbox: WebhookOutbox,
    private readonly idempotency: Idempotency,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly flags: FlagDetector,
  ) {}

  /** A batch from the REST API: per-item results, partial failure allowed, idempotent. */
  async record(
    partner: PartnerCaller,
    kind: LearningKind,
    items: object[],
    idempotencyKey: string | undefined,
  ): Promise<{ body: RecordResultsDto; replayed: boolean }> {
    const { type, field, at } = KINDS[kind];
    return this.idempotency.once(partner, idempotencyKey, `POST /partner/${field}`, items, async (m) => {
      const results: RecordResultDto[] = [];
      const inputs: LearningInput[] = [];
      for (const [index, raw] of items.entries()) {
        const checked = await checkItem(type, raw, `${field}[${index}]`);
        if (Array.isArray(checked)) {
          results[index] = {
            index,
            id: idOf(raw, 'id', 200),
            status: 'rejected',
            recordId: null,
            ...ItemProblems.invalid(checked),
          };
          continue;
        }
        const item = checked as Partial<LessonInputDto & CompletionInputDto & OutcomeInputDto>;
        inputs.push({
          index,
          prefix: `${field}[${index}]`,
          timeField: at,
          itemId: item.id!,
          kind,
          externalId: item.externalId!,
          programCode: item.programCode!,
          level: item.level ?? null,
          lesson: item.lesson ?? null,
          occurredAt: new Date((item as Record<string, string>)[at]),
          canApply: item.canApply ?? null,
          score: item.score ?? null,
          communeCode: item.communeCode ?? null,
        });
      }
      const resolved = await this.resolve(m, partner, inputs, false);
      const written = await this.write(m, partner, resolved, 'api');
      for (const r of resolved) {
        const { index, itemId } = r.input;
        if ('problem' in r) {
          results[index] = { index, id: itemId, status: 'rejected', recordId: null, ...r.problem };
        } else if ('duplicateOf' in r) {
          results[index] = { index, id: itemId, status: 'duplicate', recordId: r.duplicateOf };
        } else {
          const stored = written.get(itemId);
          results[index] = stored?.inserted
            ? { index, id: itemId, status: 'recorded', recordId: stored.id }
            : { index, id: itemId, status: 'duplicate', recordId: stored?.id ?? null };
        }
      }
      return { results, summary: summarise(results, STATUSES) };
    });
  }

  /**
   * Checks items against the key, the people, the programs and what was received before. `anyKind`: an id is
   * unique across kinds (xAPI statement ids), else per kind (a partner's lesson 12 and completion 12 differ).
   */
  async resolve(
    m: EntityManager,
    partner: PartnerCaller,
    inputs: LearningInput[],
    anyKind: boolean,
  ): Promise<Resolved[]> {
    const programs = new Map((await this.learning.programs(m, partner.programIds)).map((p) => [p.code, p]));
    const people = await this.learning.people(m, partner.clientId, [
      ...new Set(inputs.map((i) => i.externalId)),
    ]);
    const communes = await this.learning.communes(m, [
      ...new Set(inputs.map((i) => i.communeCode).filter((c): c is string => c !== null)),
    ]);
    const stored = new Map<string, { id: string; contentHash: string }>();
    const kinds = [...new Set(inputs.map((i) => i.kind))];
    for (const kind of anyKind ? [null] : kinds) {
      const ids = inputs.filter((i) => anyKind || i.kind === kind).map((i) => i.itemId);
      for (const s of await this.learning.stored(m, partner.clientId, ids, kind)) {
        stored.set(anyKind ? s.itemId : `${s.kind}|${s.itemId}`, s);
      }
    }
    const now = this.clock.now();
    const seen = new Set<string>();
    return inputs.map((input): Resolved => {
      const problem = (p: ItemProblem) => ({ input, problem: p });
      const key = anyKind ? input.itemId : `${input.kind}|${input.itemId}`;
      if (seen.has(key)) return problem(ItemProblems.repeatedInBatch());
      seen.add(key);
      const hash = input.contentHash ?? contentHash(input);
      const earlier = stored.get(key);
      if (earlier) {
        return earlier.contentHash === hash
          ? { input, duplicateOf: earlier.id }
          : problem(ItemProblems.itemIdReused());
      }
      const program = programs.get(input.programCode);
      if (!program) return problem(ItemProblems.programNotAllowed(input.programCode));
      if (input.level !== null && !program.levels.some((l) => l.level === input.level)) {
        return problem(ItemProblems.levelUnknown(input.level, program.code));
      }
      const field = (name: string, reason: string): ItemProblem =>
        ItemProblems.invalid([{ field: `${input.prefix}.${name}`, reason } satisfies FieldError]);
      if (input.occurredAt.getTime() > now.getTime() + CLOCK_SKEW_MS) {
        return problem(field(input.timeField, 'là thời điểm trong tương lai'));
      }
      if (vnDate(input.occurredAt) < program.startsOn) {
        return problem(field(input.timeField, `trước ngày bắt đầu chương trình (${program.startsOn})`));
      }
      const person = people.get(input.externalId);
      if (!person) return problem(ItemProblems.personNotRegistered(input.externalId));
      let unit = { id: person.communeId, path: person.communePath };
      if (input.communeCode !== null) {
        const commune = communes.get(input.communeCode);
        if (!commune) {
          return problem(
            field('communeCode', `${input.communeCode} không phải xã, phường, đặc khu hiện hành`),
          );
        }
        unit = commune;
      }
      if (!unit.path.startsWith(partner.unitPath))
        return problem(ItemProblems.outOfScope('Xã, phường của bản ghi'));
      return {
        input,
        program,
        unitPath: unit.path,
        write: {
          itemId: input.itemId,
          kind: input.kind,
          programId: program.id,
          personId: person.personId,
          unitId: unit.id,
          level: input.level,
          lesson: input.lesson,
          occurredAt: input.occurredAt,
          canApply: input.canApply,
          score: input.score,
          contentHash: hash,
        },
      };
    });
  }

  /**
   * Writes the resolved records; the KPI facts of their people (and the online completions by level) follow
   * in the same transaction, completions are queued for webhooks, and the change is audited. Returns, by
   * item id, the stored record and whether this call inserted it.
   */
  async write(
    m: EntityManager,
    partner: PartnerCaller,
    resolved: Resolved[],
    source: 'api' | 'xapi',
  ): Promise<Map<string, { id: string; inserted: boolean }>> {
    const ready = resolved.filter((r): r is Extract<Resolved, { write: LearningWrite }> => 'write' in r);
    const inserted = await this.learning.insert(
      m,
      partner.clientId,
      partner.keyId,
      source,
      ready.map((r) => r.write),
    );
    const byItem = new Map<string, { id: string; inserted: boolean }>(
      inserted.map((r) => [r.itemId, { id: r.id, inserted: true }]),
    );
    // Stored meanwhile by a concurrent request with the same ids: answered as duplicates.
    const missing = ready.filter((r) => !byItem.has(r.write.itemId));
    if (missing.length) {
      for (const s of await this.learning.stored(
        m,
        partner.clientId,
        missing.map((r) => r.write.itemId),
        null,
      ))
        byItem.set(s.itemId, { id: s.id, inserted: false });
    }
    const fresh = ready.filter((r) => byItem.get(r.write.itemId)?.inserted);
    if (!fresh.length) return byItem;
    await this.counted(
      m,
      fresh.map((r) => ({
        id: byItem.get(r.write.itemId)!.id,
        kind: r.write.kind,
        programId: r.write.programId,
        personId: r.write.personId,
      })),
    );
    await this.flags.afterPartnerRecords(m, partner.clientId, [
      ...new Set(fresh.map((r) => r.write.programId)),
    ]);
    const completions = fresh.filter((r) => r.write.kind === 'completion');
    await this.outbox.emit(
      m,
      completions.map((r) => {
        const id = byItem.get(r.write.itemId)!.id;
        return {
          type: 'completion.recorded',
          dedupeKey: `completion.recorded:online:${id}`,
          programId: r.program.id,
          unitPath: r.unitPath,
          occurredAt: r.write.occurredAt,
          unitId: r.write.unitId,
          data: {
            completionId: id,
            method: 'online',
            programId: r.program.id,
            programCode: r.program.code,
            level: r.write.level,
            personId: r.write.personId,
            completedAt: r.write.occurredAt.toISOString(),
            classId: null,
            partner: { id: partner.clientId, name: partner.clientName, itemId: r.write.itemId },
          },
        };
      }),
    );
    await this.audit.record(
      {
        action: 'partner.learning_recorded',
        entityType: 'partner_client',
        entityId: partner.clientId,
        after: {
          source,
          key: { id: partner.keyId, prefix: partner.keyPrefix },
          records: fresh.map((r) => ({
            id: byItem.get(r.write.itemId)!.id,
            itemId: r.write.itemId,
            kind: r.write.kind,
            personId: r.write.personId,
            level: r.write.level,
          })),
        },
        scopePaths: [...new Set(fresh.map((r) => r.unitPath))],
      },
      m,
    );
    return byItem;
  }

  /** After records were added or withdrawn: their people's KPI facts, and online completions by level. */
  async counted(
    m: EntityManager,
    records: { id: string; kind: LearningKind; programId: string; personId: string }[],
  ): Promise<void> {
    await this.facts.refreshPeople(
      m,
      records.map((r) => ({ programId: r.programId, personId: r.personId })),
    );
    const completions = records.filter((r) => r.kind === 'completion');
    if (completions.length)
      await this.facts.refreshRecordsOf(
        m,
        'online',
        completions.map((r) => ({ programId: r.programId, id: r.id })),
      );
  }

  async list(partner: PartnerCaller, query: ListRecordsQueryDto): Promise<Page<PartnerRecordDto>> {
    const { rows, total } = await this.learning.list(partner.clientId, query, query.limit, query.offset);
    return page(
      rows.map((r) => ({
        recordId: r.recordId,
        id: r.id,
        kind: r.kind,
        source: r.source,
        externalId: r.externalId,
        personId: r.personId,
        programCode: r.programCode,
        level: r.level,
        lesson: r.lesson,
        commune: { code: r.communeCode, fullName: r.communeName },
        occurredAt: new Date(r.occurredAt).toISOString(),
        canApply: r.canApply,
        score: r.score === null ? null : Number(r.score),
        receivedAt: new Date(r.receivedAt).toISOString(),
        voidedAt: r.voidedAt ? new Date(r.voidedAt).toISOString() : null,
      })),
      total,
      query,
    );
  }
}
