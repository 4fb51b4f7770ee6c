import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { pagedQuery, returning, vnDay } from '../../platform/src';
import { CertificateSnapshot } from './certificate.entity';

export interface CertificateRow {
  id: string;
  programId: string;
  programCode: string;
  personId: string;
  level: number;
  classId: string | null;
  enrolmentId: string | null;
  serial: string;
  verificationCode: string;
  status: 'valid' | 'revoked';
  issuedAt: Date;
  issuedOn: string;
  imported: boolean;
  revokedAt: Date | null;
  revokedReason: string | null;
  replacesId: string | null;
  replacedById: string | null;
  replacedBySerial: string | null;
  replacedByCode: string | null;
  snapshot: CertificateSnapshot;
  unitPath: string;
  template: string;
  leadPersonId: string | null;
}

const SELECT = `
  SELECT k.id, k.program_id AS "programId", g.code AS "programCode", k.person_id AS "personId", k.level,
         k.class_id AS "classId", k.enrolment_id AS "enrolmentId", k.serial, k.verification_code AS "verificationCode",
         k.status, k.issued_at AS "issuedAt", k.issued_on AS "issuedOn", k.imported, k.revoked_at AS "revokedAt",
         k.revoked_reason AS "revokedReason", k.replaces_id AS "replacesId", k.replaced_by_id AS "replacedById",
         r.serial AS "replacedBySerial", r.verification_code AS "replacedByCode", k.snapshot, k.unit_path AS "unitPath",
         g.certificate_template AS template, lt.person_id AS "leadPersonId", k.serial_year, k.serial_number
    FROM certificate k
    JOIN program g ON g.id = k.program_id
    LEFT JOIN certificate r ON r.id = k.replaced_by_id
    LEFT JOIN training_class c ON c.id = k.class_id
    LEFT JOIN trainer lt ON lt.id = c.lead_trainer_id`;

/** What issuing needs to know about a completed enrolment. */
export interface IssueCandidate {
  enrolmentId: string;
  classId: string;
  programId: string;
  personId: string;
  level: number;
  levelTitle: string | null;
  learnerName: string;
  birthYear: number;
  commune: string;
  province: string | null;
  unitPath: string;
  programName: string;
  programCode: string;
  ownerUnitName: string;
  ownerUnitShortName: string;
  issuer: string | null;
  signerTitle: string | null;
  signerName: string | null;
  /** The seal of the issuing unit whose signer the certificate takes, if it has one. */
  sealHash: string | null;
  place: string | null;
  issueMode: 'auto' | 'manual';
  /** The Vietnamese day the learner completed the class. */
  completedOn: string;
}

@Injectable()
export class CertificateRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The seal images of these hashes (certificates print the seal they were issued under). */
  async seals(hashes: string[]): Promise<Map<string, Buffer>> {
    if (!hashes.length) return new Map();
    const rows: { hash: string; image: Buffer }[] = await this.dataSource.query(
      `SELECT hash, image FROM certificate_seal WHERE hash = ANY ($1::char(64)[])`,
      [[...new Set(hashes)]],
    );
    return new Map(rows.map((r) => [r.hash.trim(), r.image]));
  }

  async findById(id: string, m: EntityManager = this.dataSource.manager): Promise<CertificateRow | null> {
    const rows: CertificateRow[] = await m.query(`${SELECT} WHERE k.id = $1`, [id]);
    return rows[0] ?? null;
  }

  async findByCode(code: string): Promise<CertificateRow | null> {
    const rows: CertificateRow[] = await this.dataSource.query(`${SELECT} WHERE k.verification_code = $1`, [
      code,
    ]);
    return rows[0] ?? null;
  }

  /** A page of certificates under `scope` (SQL on aliases k and lt, with its `params`), newest first. */
  async list(
    scope: string,
    params: unknown[],
    filter: { programId?: string; classId?: string; personId?: string; status?: string; serial?: string },
    limit: number,
    offset: number,
  ) {
    const conditions = [scope];
    const where = (sql: string, value: unknown) => {
      params.push(value);
      conditions.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.programId) where('k.program_id = ?', filter.programId);
    if (filter.classId) where('k.class_id = ?', filter.classId);
    if (filter.personId) where('k.person_id = ?', filter.personId);
    if (filter.status) where('k.status = ?', filter.status);
    if (filter.serial) where('k.serial = ?', filter.serial);
    return pagedQuery<CertificateRow>(
      this.dataSource,
      `${SELECT} WHERE ${conditions.join(' AND ')}`,
      params,
      'serial_year DESC, serial_number DESC, id',
      limit,
      offset,
    );
  }

  /** Valid certificates of a class, in serial order (the batch prints them so). */
  async validOfClass(classId: string): Promise<CertificateRow[]> {
    return this.dataSource.query(
      `${SELECT} WHERE k.class_id = $1 AND k.status = 'valid' ORDER BY k.serial_year, k.serial_number`,
      [classId],
    );
  }

  /**
   * Completed enrolments (among `enrolmentIds`, or of `classId`) without a valid certificate for that person
   * and program level yet, with everything a certificate prints.
   */
  async candidates(
    m: EntityManager,
    filter: { enrolmentIds?: string[]; classId?: string },
  ): Promise<IssueCandidate[]> {
    return m.query(
      `SELECT e.id AS "enrolmentId", c.id AS "classId", g.id AS "programId", e.person_id AS "personId", c.level,
              lv.title AS "levelTitle", p.full_name AS "learnerName", p.birth_year AS "birthYear", cu.full_name AS commune,
              pr.full_name AS province, cu.path AS "unitPath", g.name AS "programName", g.code AS "programCode",
              ou.full_name AS "ownerUnitName", ou.name AS "ownerUnitShortName",
              COALESCE(sg.issuer, g.certificate_issuer) AS issuer,
              COALESCE(sg.signer_title, g.certificate_signer_title) AS "signerTitle",
              COALESCE(sg.signer_name, g.certificate_signer_name) AS "signerName", sg.seal_hash AS "sealHash",
              g.certificate_place AS place, g.certificate_issue_mode AS "issueMode",
              ${vnDay('e.completed_at')}::text AS "completedOn"
         FROM enrolment e
         JOIN training_class c ON c.id = e.class_id
         JOIN program g ON g.id = c.program_id
         JOIN admin_unit ou ON ou.id = g.owner_unit_id
         LEFT JOIN program_level lv ON lv.program_id = g.id AND lv.level = c.level
         JOIN person p ON p.id = e.person_id
         JOIN admin_unit cu ON cu.id = p.commune_id
         LEFT JOIN admin_unit pr ON pr.id = split_part(cu.path, '/', 2)::int
         -- The signer of the nearest unit above the class (its commune, then its province) that has one.
         LEFT JOIN LATERAL (
              SELECT s.issuer, s.signer_title, s.signer_name, s.seal_hash
                FROM admin_unit cl
                JOIN certificate_signer s ON s.program_id = g.id
                JOIN admin_unit su ON su.id = s.unit_id
               WHERE cl.id = c.unit_id AND cl.path LIKE su.path || '%'
               ORDER BY length(su.path) DESC
               LIMIT 1) sg ON TRUE
        WHERE e.status = 'completed'
          AND ($1::uuid[] IS NULL OR e.id = ANY ($1::uuid[]))
          AND ($2::uuid IS NULL OR e.class_id = $2)
          AND NOT EXISTS (SELECT 1 FROM certificate k WHERE k.program_id = g.id AND k.person_id = e.person_id
                             AND k.level = c.level AND k.status = 'valid')
        ORDER BY p.sort_key, e.id`,
      [filter.enrolmentIds ?? null, filter.classId ?? null],
    );
  }

  /** Locks the serial counter of a program and year (creating it), so issuers take numbers one after another. */
  async lockCounter(m: EntityManager, programId: string, year: number): Promise<number> {
    const [row]: { last: number }[] = await m.query(
      `INSERT INTO certificate_counter AS k (program_id, year, last_number) VALUES ($1, $2, 0)
       ON CONFLICT (program_id, year) DO UPDATE SET last_number = k.last_number
       RETURNING last_number AS last`,
      [programId, year],
    );
    return row.last;
  }

  async advanceCounter(m: EntityManager, programId: string, year: number, by: number): Promise<void> {
    await m.query(
      `UPDATE certificate_counter SET last_number = last_number + $3 WHERE program_id = $1 AND year = $2`,
      [programId, year, by],
    );
  }

  async insert(
    m: EntityManager,
    k: {
      programId: string;
      personId: string;
      level: number;
      enrolmentId: string | null;
      classId: string | null;
      serial: string;
      year: number;
      number: number;
      code: string;
      issuedAt: Date;
      issuedOn: string;
      issuedBy: string | null;
      replacesId: string | null;
      snapshot: CertificateSnapshot;
      unitPath: string;
      imported?: boolean;
    },
  ): Promise<string> {
    const [row]: { id: string }[] = await m.query(
      `INSERT INTO certificate (program_id, person_id, level, enrolment_id, class_id, serial, serial_year, serial_number,
                                verification_code, issued_at, issued_on, issued_by, replaces_id, snapshot, unit_path,
                                imported)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id`,
      [
        k.programId,
        k.personId,
        k.level,
        k.enrolmentId,
        k.classId,
        k.serial,
        k.year,
        k.number,
        k.code,
        k.issuedAt,
        k.issuedOn,
        k.issuedBy,
        k.replacesId,
        JSON.stringify(k.snapshot),
        k.unitPath,
        k.imported ?? false,
      ],
    );
    return row.id;
  }

  async revoke(m: EntityManager, id: string, reason: string, by: string | null, at: Date): Promise<boolean> {
    const rows = await returning(
      m,
      `UPDATE certificate SET status = 'revoked', revoked_at = $4, revoked_reason = $2, revoked_by = $3
        WHERE id = $1 AND status = 'valid' RETURNING id`,
      [id, reason, by, at],
    );
    return rows.length > 0;
  }

  async linkReplacement(m: EntityManager, oldId: string, newId: string): Promise<void> {
    await m.query(`UPDATE certificate SET replaced_by_id = $2 WHERE id = $1`, [oldId, newId]);
  }

  async lock(m: EntityManager, id: string): Promise<void> {
    await m.query(`SELECT 1 FROM certificate WHERE id = $1 FOR UPDATE`, [id]);
  }

  /**
   * Valid certificates of these enrolments that another completed enrolment of the same person, program
   * and level still justifies are moved onto it (the earliest completed); returns their ids. What is left
   * on the enrolments has nothing behind it any more.
   */
  async rehome(m: EntityManager, enrolmentIds: string[]): Promise<{ id: string; unitPath: string }[]> {
    return returning(
      m,
      `UPDATE certificate k SET enrolment_id = alt.enrolment_id, class_id = alt.class_id
         FROM (SELECT DISTINCT ON (v.id) v.id, e.id AS enrolment_id, e.class_id
                 FROM certificate v
                 JOIN enrolment e ON e.person_id = v.person_id AND e.status = 'completed'
                                 AND NOT e.id = ANY ($1::uuid[])
                 JOIN training_class c ON c.id = e.class_id AND c.program_id = v.program_id AND c.level = v.level
                WHERE v.enrolment_id = ANY ($1::uuid[]) AND v.status = 'valid'
                ORDER BY v.id, e.completed_at, e.id) alt
        WHERE k.id = alt.id
        RETURNING k.id, k.unit_path AS "unitPath"`,
      [enrolmentIds],
    );
  }

  async validOfEnrolments(
    m: EntityManager,
    enrolmentIds: string[],
  ): Promise<{ id: string; unitPath: string }[]> {
    return m.query(
      `SELECT id, unit_path AS "unitPath" FROM certificate WHERE enrolment_id = ANY ($1::uuid[]) AND status = 'valid'`,
      [enrolmentIds],
    );
  }

  /**
   * Merging people: where both hold a valid certificate for the same program level, the source's is revoked
   * (status kept) and points to the survivor's. The ids of those revoked.
   */
  revokeMergedDuplicates(
    m: EntityManager,
    survivorId: string,
    sourceId: string,
    at: Date,
  ): Promise<{ id: string }[]> {
    return returning<{ id: string }>(
      m,
      `UPDATE certificate s SET status = 'revoked', revoked_at = $3, revoked_reason = 'Gộp hồ sơ trùng', replaced_by_id = v.id
         FROM certificate v
        WHERE s.person_id = $2 AND s.status = 'valid' AND v.person_id = $1 AND v.status = 'valid'
          AND v.program_id = s.program_id AND v.level = s.level
       RETURNING s.id`,
      [survivorId, sourceId, at],
    );
  }

  /** Merging people: the source's certificates become the survivor's. How many moved. */
  async movePerson(m: EntityManager, survivorId: string, sourceId: string): Promise<number> {
    const moved = await returning(
      m,
      `UPDATE certificate SET person_id = $1 WHERE person_id = $2 RETURNING id`,
      [survivorId, sourceId],
    );
    return moved.length;
  }
}
