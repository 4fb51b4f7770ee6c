import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { returning } from '../../platform/src';

/** A partner's id for a person, where the person lives, and since when. */
export interface PartnerPersonRow {
  externalId: string;
  personId: string;
  code: string;
  fullName: string;
  createdAt: Date;
}

/** What a lookup asks: a living person of that birth year in the subtree, by CCCD and/or phone. */
export interface PersonLookup {
  clientId: string;
  unitPath: string;
  birthYear: number;
  cccd: string | null;
  phone: string | null;
}

/** People as partners know them (partner_person: a partner's id for a person). */
@Injectable()
export class PartnerPersonRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Transaction-scoped advisory locks on `keys`, taken in one order so that batches wait, never deadlock. */
  async lock(m: EntityManager, keys: string[]): Promise<void> {
    await m.query(`SELECT pg_advisory_xact_lock(hashtext(k)) FROM unnest($1::text[]) AS k ORDER BY k`, [
      [...new Set(keys)].sort(),
    ]);
  }

  async link(
    m: EntityManager,
    link: { clientId: string; externalId: string; personId: string; communeId: number },
  ): Promise<void> {
    await m.query(
      `INSERT INTO partner_person (client_id, external_id, person_id, commune_id) VALUES ($1, $2, $3, $4)`,
      [link.clientId, link.externalId, link.personId, link.communeId],
    );
  }

  /** The persons behind a partner's ids (a merged record's survivor). */
  links(
    m: EntityManager,
    clientId: string,
    externalIds: string[],
  ): Promise<{ externalId: string; personId: string }[]> {
    return m.query(
      `SELECT l.external_id AS "externalId", coalesce(p.merged_into_id, p.id) AS "personId"
         FROM partner_person l JOIN person p ON p.id = l.person_id
        WHERE l.client_id = $1 AND l.external_id = ANY ($2::text[])`,
      [clientId, externalIds],
    );
  }

  async find(clientId: string, externalId: string): Promise<PartnerPersonRow | null> {
    const [row]: PartnerPersonRow[] = await this.dataSource.query(
      `SELECT l.external_id AS "externalId", coalesce(p.merged_into_id, p.id) AS "personId", u.code,
                u.full_name AS "fullName", l.created_at AS "createdAt"
           FROM partner_person l JOIN person p ON p.id = l.person_id JOIN admin_unit u ON u.id = l.commune_id
          WHERE l.client_id = $1 AND l.external_id = $2`,
      [clientId, externalId],
    );
    return row ?? null;
  }

  /** Up to two matching people, oldest first, each with the partner's own id for them if it has one. */
  lookup(q: PersonLookup): Promise<{ id: string; externalId: string | null }[]> {
    return this.dataSource.query(
      `SELECT p.id,
              (SELECT min(l.external_id) FROM partner_person l WHERE l.client_id = $5 AND l.person_id = p.id)
                AS "externalId"
         FROM person p JOIN admin_unit cu ON cu.id = p.commune_id
        WHERE p.merged_into_id IS NULL AND p.birth_year = $1 AND cu.path LIKE $2 || '%'
          AND ($3::text IS NULL OR p.cccd = $3) AND ($4::text IS NULL OR p.phone = $4)
        ORDER BY p.created_at, p.id LIMIT 2`,
      [q.birthYear, q.unitPath, q.cccd, q.phone, q.clientId],
    );
  }

  /** Merging people: partners' ids for the source become the survivor's. How many moved. */
  async movePerson(m: EntityManager, survivorId: string, sourceId: string): Promise<number> {
    const links = await returning(
      m,
      `UPDATE partner_person SET person_id = $1 WHERE person_id = $2 RETURNING 1`,
      [survivorId, sourceId],
    );
    return links.length;
  }
}
