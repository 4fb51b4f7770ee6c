import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { pagedQuery } from '../../platform/src';
import { CitizenCertificateDto, CitizenClassDto, PublicClassDto } from './citizen.dto';

const SESSIONS = `(SELECT json_agg(json_build_object('position', s.position, 'startsAt', s.starts_at, 'endsAt', s.ends_at)
                   ORDER BY s.position) FROM class_session s WHERE s.class_id = c.id)`;

/** What the citizens' page reads: open classes by commune, and one person's own classes and certificates. */
@Injectable()
export class CitizenRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Citizen classes still to come (a session not yet over) in communes whose folded name holds every word
   * (served by ix_admin_unit_search), soonest first. Nobody's name is selected.
   */
  findClasses(patterns: string[], now: Date, limit: number, offset: number) {
    return pagedQuery<PublicClassDto & { nextAt: Date }>(
      this.dataSource,
      `SELECT c.id, c.title, g.name AS "programName", c.level, u.full_name AS commune, pr.full_name AS province,
              c.venue_type AS "venueType", c.venue_address AS "venueAddress", c.mode,
              c.capacity - c.enrolled_count AS "seatsLeft", ${SESSIONS} AS sessions,
              (SELECT min(s.starts_at) FROM class_session s WHERE s.class_id = c.id AND s.ends_at > $2) AS "nextAt"
         FROM training_class c
         JOIN program g ON g.id = c.program_id
         JOIN admin_unit u ON u.id = c.unit_id
         LEFT JOIN admin_unit pr ON pr.id = u.parent_id
        WHERE c.kind = 'citizen' AND c.status IN ('scheduled', 'in_progress')
          AND ' ' || u.search_text LIKE ALL ($1::text[])
          AND EXISTS (SELECT 1 FROM class_session s WHERE s.class_id = c.id AND s.ends_at > $2)`,
      [patterns, now],
      '"nextAt", id',
      limit,
      offset,
    );
  }

  async openClass(
    m: EntityManager,
    id: string,
  ): Promise<{ id: string; title: string; unitCode: string; targetSegment: string | null } | null> {
    const rows: { id: string; title: string; unitCode: string; targetSegment: string | null }[] =
      await m.query(
        `SELECT c.id, c.title, u.code AS "unitCode", c.target_segment AS "targetSegment"
         FROM training_class c JOIN admin_unit u ON u.id = c.unit_id
        WHERE c.id = $1 AND c.kind = 'citizen'`,
        [id],
      );
    return rows[0] ?? null;
  }

  async personByCccd(
    m: EntityManager,
    cccd: string,
  ): Promise<{ id: string; fullName: string; birthYear: number } | null> {
    const rows: { id: string; fullName: string; birthYear: number }[] = await m.query(
      `SELECT id, full_name AS "fullName", birth_year AS "birthYear" FROM person
        WHERE cccd = $1 AND merged_into_id IS NULL`,
      [cccd],
    );
    return rows[0] ?? null;
  }

  /** The living record with this phone and birth year (the check-in page's identity). */
  async personByPhone(
    m: EntityManager,
    phone: string,
    birthYear: number,
  ): Promise<{ id: string; fullName: string } | null> {
    const rows: { id: string; fullName: string }[] = await m.query(
      `SELECT id, full_name AS "fullName" FROM person
        WHERE phone = $1 AND birth_year = $2 AND merged_into_id IS NULL ORDER BY created_at LIMIT 1`,
      [phone, birthYear],
    );
    return rows[0] ?? null;
  }

  /** The class's status and capacity as they stand inside the transaction (to say why a seat was refused). */
  async classStatus(m: EntityManager, classId: string): Promise<{ status: string; capacity: number }> {
    const [row]: { status: string; capacity: number }[] = await m.query(
      `SELECT status, capacity FROM training_class WHERE id = $1`,
      [classId],
    );
    return row;
  }

  async enrolment(m: EntityManager, classId: string, personId: string): Promise<string | null> {
    const rows: { id: string }[] = await m.query(
      `SELECT id FROM enrolment WHERE class_id = $1 AND person_id = $2`,
      [classId, personId],
    );
    return rows[0]?.id ?? null;
  }

  classesOf(personId: string): Promise<CitizenClassDto[]> {
    return this.dataSource.query(
      `SELECT c.id, c.title, g.name AS "programName", c.level, u.full_name AS commune,
              c.venue_address AS "venueAddress", e.status = 'completed' AS completed,
              (SELECT json_agg(json_build_object('position', s.position, 'startsAt', s.starts_at, 'status', a.status)
                        ORDER BY s.position)
                 FROM class_session s LEFT JOIN attendance a ON a.session_id = s.id AND a.person_id = e.person_id
                WHERE s.class_id = c.id) AS sessions
         FROM enrolment e
         JOIN training_class c ON c.id = e.class_id
         JOIN program g ON g.id = c.program_id
         JOIN admin_unit u ON u.id = c.unit_id
        WHERE e.person_id = $1 AND e.status <> 'withdrawn'
        ORDER BY (SELECT min(s.starts_at) FROM class_session s WHERE s.class_id = c.id) DESC, c.id`,
      [personId],
    );
  }

  async certificatesOf(
    personId: string,
  ): Promise<(Omit<CitizenCertificateDto, 'verifyUrl' | 'pdfUrl' | 'credentialUrl'> & { code: string })[]> {
    return this.dataSource.query(
      `SELECT k.id, k.serial, k.snapshot->>'programName' AS "programName", k.level,
              k.snapshot->>'levelTitle' AS "levelTitle", to_char(k.issued_on, 'YYYY-MM-DD') AS "issuedOn",
              k.status, k.verification_code AS code
         FROM certificate k WHERE k.person_id = $1 ORDER BY k.issued_at DESC, k.serial`,
      [personId],
    );
  }

  async certificateOwner(id: string): Promise<string | null> {
    const rows: { personId: string }[] = await this.dataSource.query(
      `SELECT person_id AS "personId" FROM certificate WHERE id = $1`,
      [id],
    );
    return rows[0]?.personId ?? null;
  }
}
