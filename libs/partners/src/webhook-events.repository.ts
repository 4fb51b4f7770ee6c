import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

export interface CompletionEventRow {
  id: string;
  personId: string;
  completedAt: Date;
  classId: string;
  classKind: string;
  programId: string;
  programCode: string;
  level: number;
  unitId: number;
  unitPath: string;
}

export interface CertificateEventRow {
  id: string;
  serial: string;
  status: string;
  programId: string;
  programCode: string;
  level: number;
  personId: string;
  classId: string | null;
  issuedOn: string;
  issuedAt: Date;
  revokedAt: Date | null;
  revokedReason: string | null;
  unitPath: string;
}

export interface ReportEventRow {
  id: string;
  programId: string;
  programCode: string;
  period: string;
  unitId: number;
  unitPath: string;
  organisationId: string | null;
  organisationName: string | null;
  headcount: number | null;
  trained: number | null;
  proficient: number | null;
  indicators: Record<string, number>;
  reviewedAt: Date;
}

/** What webhook events are built from: the rows the other modules reported changed. Run on their transaction. */
@Injectable()
export class WebhookEventsRepository {
  /** The enrolments among `ids` that are completed, with their class, program and unit. */
  completedEnrolments(m: EntityManager, ids: string[]): Promise<CompletionEventRow[]> {
    return m.query(
      `SELECT e.id, e.person_id AS "personId", e.completed_at AS "completedAt", c.id AS "classId", c.kind AS "classKind",
              c.program_id AS "programId", g.code AS "programCode", c.level, c.unit_id AS "unitId", u.path AS "unitPath"
         FROM enrolment e JOIN training_class c ON c.id = e.class_id JOIN program g ON g.id = c.program_id
         JOIN admin_unit u ON u.id = c.unit_id
        WHERE e.id = ANY ($1::uuid[]) AND e.status = 'completed'`,
      [ids],
    );
  }

  certificates(m: EntityManager, ids: string[]): Promise<CertificateEventRow[]> {
    return m.query(
      `SELECT k.id, k.serial, k.status, k.program_id AS "programId", g.code AS "programCode", k.level,
              k.person_id AS "personId", k.class_id AS "classId", k.issued_on::text AS "issuedOn", k.issued_at AS "issuedAt",
              k.revoked_at AS "revokedAt", k.revoked_reason AS "revokedReason", k.unit_path AS "unitPath"
         FROM certificate k JOIN program g ON g.id = k.program_id WHERE k.id = ANY ($1::uuid[])`,
      [ids],
    );
  }

  async report(m: EntityManager, reportId: string): Promise<ReportEventRow> {
    const [r]: ReportEventRow[] = await m.query(
      `SELECT r.id, r.program_id AS "programId", g.code AS "programCode", r.period, r.unit_id AS "unitId",
              u.path AS "unitPath", r.organisation_id AS "organisationId", o.name AS "organisationName", r.headcount,
              r.trained, r.proficient, r.indicators, r.reviewed_at AS "reviewedAt"
         FROM progress_report r JOIN program g ON g.id = r.program_id JOIN admin_unit u ON u.id = r.unit_id
         LEFT JOIN organisation o ON o.id = r.organisation_id
        WHERE r.id = $1`,
      [reportId],
    );
    return r;
  }
}
