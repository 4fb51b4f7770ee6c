import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { pagedQuery, returning } from '../../platform/src';
import { LearningKind } from './partner.entities';

export interface KeyProgram {
  id: string;
  code: string;
  name: string;
  startsOn: string;
  endsOn: string;
  levels: { level: number; title: string }[];
}

export interface LearningWrite {
  itemId: string;
  kind: LearningKind;
  programId: string;
  personId: string;
  unitId: number;
  level: number | null;
  lesson: string | null;
  occurredAt: Date;
  canApply: boolean | null;
  score: number | null;
  contentHash: string;
}

export interface StoredItem {
  id: string;
  itemId: string;
  kind: LearningKind;
  contentHash: string;
}

export interface RecordRow {
  recordId: string;
  id: string;
  kind: LearningKind;
  source: 'api' | 'xapi';
  externalId: string | null;
  personId: string;
  programCode: string;
  level: number | null;
  lesson: string | null;
  communeCode: string;
  communeName: string;
  occurredAt: Date;
  canApply: boolean | null;
  score: string | null;
  receivedAt: Date;
  voidedAt: Date | null;
}

/** SQL of the partners' online learning records and of what they need to be checked. */
@Injectable()
export class LearningRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async programs(m: EntityManager, ids: string[]): Promise<KeyProgram[]> {
    return m.query(
      `SELECT g.id, g.code, g.name, g.starts_on::text AS "startsOn", g.ends_on::text AS "endsOn",
              coalesce((SELECT json_agg(json_build_object('level', l.level, 'title', l.title) ORDER BY l.level)
                          FROM program_level l WHERE l.program_id = g.id), '[]') AS levels
         FROM program g WHERE g.id = ANY ($1::uuid[]) ORDER BY g.code`,
      [ids],
    );
  }

  /** The partner's people by its ids: the person (a merged record's survivor) and the commune it gave. */
  async people(
    m: EntityManager,
    clientId: string,
    externalIds: string[],
  ): Promise<Map<string, { personId: string; communeId: number; communePath: string }>> {
    const rows: { externalId: string; personId: string; communeId: number; communePath: string }[] =
      await m.query(
        `SELECT l.external_id AS "externalId", coalesce(p.merged_into_id, p.id) AS "personId",
                l.commune_id AS "communeId", u.path AS "communePath"
           FROM partner_person l JOIN person p ON p.id = l.person_id JOIN admin_unit u ON u.id = l.commune_id
          WHERE l.client_id = $1 AND l.external_id = ANY ($2::text[])`,
        [clientId, externalIds],
      );
    return new Map(rows.map((r) => [r.externalId, r]));
  }

  /** Current communes by code, with their paths (for the key's scope). */
  async communes(m: EntityManager, codes: string[]): Promise<Map<string, { id: number; path: string }>> {
    const rows: { code: string; id: number; path: string }[] = await m.query(
      `SELECT code, id, path FROM admin_unit
        WHERE code = ANY ($1::text[]) AND level = 'commune' AND valid_to IS NULL`,
      [codes],
    );
    return new Map(rows.map((r) => [r.code, r]));
  }

  /** Items the partner sent before under these ids (of this kind, or of any kind). */
  async stored(
    m: EntityManager,
    clientId: string,
    itemIds: string[],
    kind: LearningKind | null,
  ): Promise<StoredItem[]> {
    return m.query(
      `SELECT id, item_id AS "itemId", kind, content_hash AS "contentHash" FROM partner_learning_record
        WHERE client_id = $1 AND item_id = ANY ($2::text[]) AND ($3::text IS NULL OR kind = $3)`,
      [clientId, itemIds, kind],
    );
  }

  /**
   * Inserts the records in item order (concurrent batches sharing items wait on one another in one order);
   * an item another request stored meanwhile is skipped. Returns what was inserted.
   */
  async insert(
    m: EntityManager,
    clientId: string,
    keyId: string,
    source: 'api' | 'xapi',
    records: LearningWrite[],
  ): Promise<{ id: string; itemId: string; kind: LearningKind }[]> {
    if (!records.length) return [];
    const sorted = [...records].sort((a, b) => (a.itemId < b.itemId ? -1 : a.itemId > b.itemId ? 1 : 0));
    const column = <T>(pick: (r: LearningWrite) => T) => sorted.map(pick);
    return m.query(
      `INSERT INTO partner_learning_record (client_id, key_id, source, item_id, kind, program_id, person_id, unit_id,
                                            level, lesson, occurred_at, can_apply, score, content_hash)
       SELECT $1, $2, $3, t.item_id, t.kind, t.program_id, t.person_id, t.unit_id, t.level, t.lesson, t.occurred_at,
              t.can_apply, t.score, t.content_hash
         FROM unnest($4::text[], $5::text[], $6::uuid[], $7::uuid[], $8::int[], $9::int[],
                                          $10::text[], $11::timestamptz[], $12::boolean[], $13::numeric[], $14::text[])
         WITH ORDINALITY AS t(item_id, kind, program_id, person_id, unit_id, level, lesson, occurred_at, can_apply,
                              score, content_hash, n)
        ORDER BY t.n
       ON CONFLICT (client_id, kind, item_id) DO NOTHING
       RETURNING id, item_id AS "itemId", kind`,
      [
        clientId,
        keyId,
        source,
        column((r) => r.itemId),
        column((r) => r.kind),
        column((r) => r.programId),
        column((r) => r.personId),
        column((r) => r.unitId),
        column((r) => r.level),
        column((r) => r.lesson),
        column((r) => r.occurredAt),
        column((r) => r.canApply),
        column((r) => r.score),
        column((r) => r.contentHash),
      ],
    );
  }

  /** Marks records withdrawn (xAPI voiding); returns those that were counted until now. */
  async void(
    m: EntityManager,
    clientId: string,
    itemIds: string[],
    at: Date,
  ): Promise<{ id: string; kind: LearningKind; programId: string; personId: string }[]> {
    return returning(
      m,
      `UPDATE partner_learning_record SET voided_at = $3
        WHERE client_id = $1 AND item_id = ANY ($2::text[]) AND voided_at IS NULL
       RETURNING id, kind, program_id AS "programId", person_id AS "personId"`,
      [clientId, itemIds, at],
    );
  }

  /** A page of the partner's own records (served by ix_partner_learning_record_client). */
  async list(
    clientId: string,
    filters: { kind?: LearningKind; externalId?: string; since?: string },
    limit: number,
    offset: number,
  ) {
    return pagedQuery<RecordRow>(
      this.dataSource,
      `SELECT r.id AS "recordId", r.item_id AS id, r.kind, r.source,
              (SELECT min(l.external_id) FROM partner_person l
                WHERE l.client_id = r.client_id AND l.person_id = r.person_id) AS "externalId",
              r.person_id AS "personId", g.code AS "programCode", r.level, r.lesson, u.code AS "communeCode",
              u.full_name AS "communeName", r.occurred_at AS "occurredAt", r.can_apply AS "canApply", r.score,
              r.received_at AS "receivedAt", r.voided_at AS "voidedAt"
         FROM partner_learning_record r JOIN program g ON g.id = r.program_id JOIN admin_unit u ON u.id = r.unit_id
        WHERE r.client_id = $1 AND ($2::text IS NULL OR r.kind = $2)
          AND ($3::text IS NULL OR r.person_id IN (SELECT person_id FROM partner_person
                                                    WHERE client_id = $1 AND external_id = $3))
          AND ($4::date IS NULL OR r.received_at >= ($4::date::timestamp AT TIME ZONE 'UTC') - interval '7 hours')`,
      [clientId, filters.kind ?? null, filters.externalId ?? null, filters.since ?? null],
      '"receivedAt" DESC, "recordId"',
      limit,
      offset,
    );
  }

  /** Merging people: the source's online learning becomes the survivor's. The records moved. */
  movePerson(
    m: EntityManager,
    survivorId: string,
    sourceId: string,
  ): Promise<{ id: string; kind: LearningKind; programId: string }[]> {
    return returning<{ id: string; kind: LearningKind; programId: string }>(
      m,
      `UPDATE partner_learning_record SET person_id = $1 WHERE person_id = $2
       RETURNING id, kind, program_id AS "programId"`,
      [survivorId, sourceId],
    );
  }
}
