import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

/** What QR self check-in reads and writes besides the mark itself (written by the attendance service). */
@Injectable()
export class CheckinRepository {
  /** The learner on the class list (not withdrawn) with this birth year and CCCD or phone. */
  async enrolledLearner(
    m: EntityManager,
    classId: string,
    birthYear: number,
    cccd: string | null,
    phone: string | null,
  ): Promise<{ id: string; fullName: string } | undefined> {
    const [person]: { id: string; fullName: string }[] = await m.query(
      `SELECT p.id, p.full_name AS "fullName" FROM enrolment e JOIN person p ON p.id = e.person_id
          WHERE e.class_id = $1 AND e.status <> 'withdrawn' AND p.birth_year = $2
            AND (($3::text IS NOT NULL AND p.cccd = $3) OR ($4::text IS NOT NULL AND p.phone = $4))
          LIMIT 1`,
      [classId, birthYear, cccd, phone],
    );
    return person;
  }

  /** Records the token's use by the person; false when it was used by them already. */
  async use(m: EntityManager, tokenId: string, personId: string): Promise<boolean> {
    const used: unknown[] = await m.query(
      `INSERT INTO checkin_use (token_id, person_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING token_id`,
      [tokenId, personId],
    );
    return used.length > 0;
  }

  /** Whether the person is marked present (or late) at the session. */
  async present(m: EntityManager, sessionId: string, personId: string): Promise<boolean> {
    const [present]: unknown[] = await m.query(
      `SELECT 1 FROM attendance WHERE session_id = $1 AND person_id = $2 AND status IN ('present', 'late')`,
      [sessionId, personId],
    );
    return !!present;
  }
}
