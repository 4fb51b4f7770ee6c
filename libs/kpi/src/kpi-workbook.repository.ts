import { Injectable } from '@nestjs/common';
import { ReadReplicas, vnDay } from '../../platform/src';
import { lastFourWeeksSql } from '../../trainers/src';
import { TRAINERS_SOURCE, attributed } from './kpi-figures.repository';
import { KpiView } from './kpi-view';

/** Rows read from the database per query: a batch is written and dropped before the next is read. */
const BATCH = 2_000;

/** A trainer counted at the unit by the end of the period, with what their pace is worked out from. */
export interface TrainerSheetRow {
  fullName: string;
  birthYear: number | null;
  tier: string;
  homeUnit: string;
  quota: number;
  directReach: number;
  lastFourWeeks: number;
}

/** A class whose first session falls in the period. */
export interface ClassSheetRow {
  title: string;
  level: number;
  kind: string;
  unit: string;
  lead: string;
  mode: string;
  status: string;
  firstDay: string;
  lastDay: string;
  enrolled: number;
  completed: number;
}

/** A person first reached in the period (their personal data unmasked: the writer masks it). */
export interface LearnerSheetRow {
  fullName: string;
  birthYear: number | null;
  gender: string;
  segment: string;
  commune: string;
  unitPath: string;
  cccd: string | null;
  phone: string | null;
  firstDay: string;
  completedOn: string | null;
  proficient: boolean;
  via: string;
}

/** Where a sheet's rows come from: the program, the unit they count in (as `view` says) and the period. */
export interface SheetScope {
  programId: string;
  view: KpiView;
  unitId: number;
  from: string;
  to: string;
}

/**
 * The KPI workbook's lists, read from a replica when one is fresh enough, batch by batch with keyset
 * pagination (each batch is written and dropped before the next is read), so memory stays flat whatever the
 * size. Each list yields its batches in order, the last one shorter than a full batch (possibly empty).
 */
@Injectable()
export class KpiWorkbookRepository {
  constructor(private readonly reads: ReadReplicas) {}

  /** How many trainers and classes the program has (to estimate a workbook's size). */
  async counts(programId: string): Promise<{ trainers: number; classes: number }> {
    const [row]: { trainers: number; classes: number }[] = await this.reads.query(
      `SELECT (SELECT count(*)::int FROM trainer WHERE program_id = $1) AS trainers,
              (SELECT count(*)::int FROM training_class WHERE program_id = $1) AS classes`,
      [programId],
    );
    return row;
  }

  trainers(scope: SheetScope, today: string): AsyncGenerator<TrainerSheetRow[]> {
    return this.batches(
      (after) => `
        SELECT p.full_name AS "fullName", p.birth_year AS "birthYear", t.tier, hu.full_name AS "homeUnit",
               coalesce(t.quota, g.default_quota) AS quota, t.direct_reach AS "directReach",
               ${lastFourWeeksSql('t.id', '$4')} AS "lastFourWeeks",
               p.sort_key AS __k1, t.id AS __k2
          FROM (${attributed(scope.view, TRAINERS_SOURCE)}) a
          JOIN trainer t ON t.id = a.id JOIN person p ON p.id = t.person_id
          JOIN admin_unit hu ON hu.id = t.home_unit_id JOIN program g ON g.id = t.program_id
         WHERE a.anc = $2 AND a.day < $3 ${after}`,
      [scope.programId, scope.unitId, scope.to, today],
      ['p.sort_key', 't.id'],
    );
  }

  classes(scope: SheetScope): AsyncGenerator<ClassSheetRow[]> {
    // Every class whose first session falls in the period, whatever its state (classes held: "Đã kết thúc").
    const source = `
      SELECT c.id, c.unit_id, ${vnDay('min(s.starts_at)')} AS day, ${vnDay('max(s.starts_at)')} AS last_day
        FROM training_class c JOIN class_session s ON s.class_id = c.id
       WHERE c.program_id = $1 AND c.status <> 'cancelled'
       GROUP BY c.id, c.unit_id`;
    return this.batches(
      (after) => `
        SELECT c.title, c.level, c.kind, u.full_name AS unit, lp.full_name AS lead, c.mode, c.status,
               a.day AS "firstDay", a.last_day AS "lastDay", c.enrolled_count AS enrolled,
               (SELECT count(*)::int FROM enrolment e WHERE e.class_id = c.id AND e.status = 'completed') AS completed,
               a.day AS __k1, c.id AS __k2
          FROM (${attributed(scope.view, source)}) a
          JOIN training_class c ON c.id = a.id JOIN admin_unit u ON u.id = c.unit_id
          JOIN trainer lt ON lt.id = c.lead_trainer_id JOIN person lp ON lp.id = lt.person_id
         WHERE a.anc = $2 AND a.day >= $3 AND a.day < $4 ${after}`,
      [scope.programId, scope.unitId, scope.from, scope.to],
      ['a.day', 'c.id'],
    );
  }

  learners(scope: SheetScope): AsyncGenerator<LearnerSheetRow[]> {
    return this.batches(
      (after) => `
        SELECT p.full_name AS "fullName", p.birth_year AS "birthYear", p.gender, p.segment, cu.full_name AS commune,
               cu.path AS "unitPath", p.cccd, p.phone, f.first_attended_on AS "firstDay", f.completed_on AS "completedOn",
               f.proficient, coalesce(f.completed_via, f.reached_via) AS via, p.sort_key AS __k1, p.id AS __k2
          FROM kpi_person_fact f JOIN person p ON p.id = f.person_id JOIN admin_unit cu ON cu.id = p.commune_id
         WHERE f.program_id = $1 AND f.view = $2 AND f.unit_id = $3
           AND f.first_attended_on >= $4 AND f.first_attended_on < $5 ${after}`,
      [scope.programId, scope.view, scope.unitId, scope.from, scope.to],
      ['p.sort_key', 'p.id'],
    );
  }

  /** Reads `sql` (ordered by its keyset columns, selected as __k1 and __k2) batch by batch. */
  private async *batches<T>(
    sql: (after: string) => string,
    params: unknown[],
    keys: [string, string],
  ): AsyncGenerator<T[]> {
    let last: [unknown, unknown] | null = null;
    for (;;) {
      const n = params.length;
      const after = last ? `AND (${keys[0]}, ${keys[1]}) > ($${n + 1}, $${n + 2})` : '';
      const rows: (T & { __k1: unknown; __k2: unknown })[] = await this.reads.query(
        `${sql(after)} ORDER BY ${keys[0]}, ${keys[1]} LIMIT ${BATCH}`,
        last ? [...params, ...last] : params,
      );
      yield rows;
      if (rows.length < BATCH) return;
      const tail = rows[rows.length - 1];
      last = [tail.__k1, tail.__k2];
    }
  }
}
