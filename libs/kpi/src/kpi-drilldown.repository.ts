import { Injectable } from '@nestjs/common';
import { pagedQuery, ReadReplicas, vnDay } from '../../platform/src';
import { ProgramRow } from '../../programs/src';
import { lastFourWeeksSql } from '../../trainers/src';
import { CORE_TRAINER_INDICATORS } from './indicators';
import { DrilldownKind } from './kpi.dto';
import {
  CONTEST_ENTRIES_SOURCE,
  ENTRANT_JOINS,
  ENTRANT_NAME,
  reportsSource,
  TRAINERS_SOURCE,
  attributed,
} from './kpi-figures.repository';
import { KpiView } from './kpi-view';
import { KpiUnit } from './kpi-unit.repository';
import { lastDay, Period, reportPeriods } from './period';

/** Which people facts stand behind each people indicator. */
const PEOPLE_FILTERS: Record<string, string> = {
  learners_reached: 'f.first_attended_on >= $4 AND f.first_attended_on < $5',
  completions: 'f.completed_on >= $4 AND f.completed_on < $5',
  proficient_learners: 'f.completed_on >= $4 AND f.completed_on < $5 AND f.proficient',
  learners_reached_online: `f.first_attended_on >= $4 AND f.first_attended_on < $5 AND f.reached_via = 'online'`,
  completions_online: `f.completed_on >= $4 AND f.completed_on < $5 AND f.completed_via = 'online'`,
  civil_servants_reached: `f.first_attended_on >= $4 AND f.first_attended_on < $5 AND f.segment = 'civil_servant'`,
  working_age_reached: 'f.first_attended_on >= $4 AND f.first_attended_on < $5 AND f.working_age',
  enterprise_owners_reached: `f.first_attended_on >= $4 AND f.first_attended_on < $5 AND f.segment = 'business_owner'`,
};

/** A record behind a figure: a class, certificate, trainer, material, contest entry or report, as listed. */
export type DrilldownRow = Record<string, unknown>;

/** A person behind a people figure, before masking. */
export interface DrilldownPersonRow {
  id: string;
  fullName: string;
  birthYear: number;
  birthDate: string | null;
  gender: string;
  segment: string;
  communeCode: string;
  communeName: string;
  unitPath: string;
  cccd: string | null;
  phone: string | null;
  firstAttendedOn: string;
  completedOn: string | null;
  proficient: boolean;
  reachedVia: 'class' | 'online';
  completedVia: 'class' | 'online' | null;
  sort_key: string;
}

/** Which figure to drill into: the program, the unit, the period, the view and the indicator. */
export interface DrilldownFigure {
  program: ProgramRow;
  unit: KpiUnit;
  period: Period;
  view: KpiView;
  code: string;
  today: string;
}

/**
 * The records behind KPI figures, from a replica when one is fresh enough: the same sources and the same
 * attribution as the figures (kpi-figures.repository.ts), so a drill-down's total always equals its figure.
 */
@Injectable()
export class KpiDrilldownRepository {
  constructor(private readonly reads: ReadReplicas) {}

  /** The people behind a people indicator (optionally of one segment), a page in name order. */
  people(
    f: { programId: string; view: KpiView; unitId: number; from: string; to: string },
    indicator: string,
    segment: string | undefined,
    limit: number,
    offset: number,
  ): Promise<{ rows: DrilldownPersonRow[]; total: number }> {
    const params: unknown[] = [f.programId, f.view, f.unitId, f.from, f.to];
    let where = PEOPLE_FILTERS[indicator];
    if (segment) {
      params.push(segment);
      where += ` AND f.segment = $${params.length}`;
    }
    return pagedQuery<DrilldownPersonRow>(
      this.reads,
      `SELECT p.id, p.full_name AS "fullName", p.birth_year AS "birthYear", p.birth_date AS "birthDate", p.gender,
              p.segment, cu.code AS "communeCode", cu.full_name AS "communeName", cu.path AS "unitPath", p.cccd,
              p.phone, f.first_attended_on AS "firstAttendedOn", f.completed_on AS "completedOn", f.proficient,
              f.reached_via AS "reachedVia", f.completed_via AS "completedVia", p.sort_key
         FROM kpi_person_fact f JOIN person p ON p.id = f.person_id JOIN admin_unit cu ON cu.id = p.commune_id
        WHERE f.program_id = $1 AND f.view = $2 AND f.unit_id = $3 AND ${where}`,
      params,
      'sort_key, id',
      limit,
      offset,
    );
  }

  /** A page of the records behind a (non-people) figure. */
  async page(
    f: DrilldownFigure,
    limit: number,
    offset: number,
  ): Promise<{ kind: DrilldownKind; rows: DrilldownRow[]; total: number }> {
    const { kind, sql, params, order } = this.source(f.program, f.unit, f.period, f.view, f.code, f.today);
    const { rows, total } = await pagedQuery<DrilldownRow>(this.reads, sql, params, order, limit, offset);
    return { kind, rows, total };
  }

  /** Every record behind a figure, in order (for a figure decided in code, as trainers on pace). */
  async all(f: DrilldownFigure): Promise<{ kind: DrilldownKind; rows: DrilldownRow[] }> {
    const { kind, sql, params, order } = this.source(f.program, f.unit, f.period, f.view, f.code, f.today);
    const rows: DrilldownRow[] = await this.reads.query(`SELECT * FROM (${sql}) x ORDER BY ${order}`, params);
    return { kind, rows };
  }

  private source(
    program: ProgramRow,
    unit: KpiUnit,
    period: Period,
    view: KpiView,
    code: string,
    today: string,
  ): { kind: DrilldownKind; sql: string; params: unknown[]; order: string } {
    const base = [program.id, unit.id, period.from, period.to];
    const facts = (kind: string) => `
      SELECT f.record_id, f.day FROM kpi_record_fact f
       WHERE f.program_id = $1 AND f.view = '${view}' AND f.unit_id = $2 AND f.kind = '${kind}'
         AND f.day >= $3 AND f.day < $4`;
    if (code === 'classes_held') {
      return {
        kind: 'classes',
        sql: `SELECT c.id, c.title, c.level, c.kind, f.day AS "heldOn", u.code AS "unitCode", u.full_name AS "unitName",
                     lp.full_name AS "leadTrainerName", c.enrolled_count AS "enrolledCount"
                FROM (${facts('class')}) f
                JOIN training_class c ON c.id = f.record_id JOIN admin_unit u ON u.id = c.unit_id
                JOIN trainer lt ON lt.id = c.lead_trainer_id JOIN person lp ON lp.id = lt.person_id`,
        params: base,
        order: '"heldOn", id',
      };
    }
    if (code === 'certificates_issued') {
      return {
        kind: 'certificates',
        sql: `SELECT k.id, k.serial, k.level, k.issued_on AS "issuedOn", p.full_name AS "fullName",
                     k.snapshot ->> 'levelTitle' AS "levelTitle"
                FROM (${facts('certificate')}) f
                JOIN certificate k ON k.id = f.record_id JOIN person p ON p.id = k.person_id`,
        params: base,
        order: '"issuedOn", serial, id',
      };
    }
    if (code in CORE_TRAINER_INDICATORS || code === 'trainers_on_pace') {
      const tiers = CORE_TRAINER_INDICATORS[code];
      const tier = tiers ? `AND a.tier IN (${tiers.map((t) => `'${t}'`).join(', ')})` : '';
      return {
        kind: 'trainers',
        sql: `SELECT t.id, p.full_name AS "fullName", t.tier, hu.code AS "homeUnitCode", hu.full_name AS "homeUnitName",
                     coalesce(t.quota, g.default_quota) AS quota, t.direct_reach AS "directReach",
                     a.day AS "registeredOn", p.sort_key,
                     ${lastFourWeeksSql('t.id', '$4')} AS "lastFourWeeks"
                FROM (${attributed(view, TRAINERS_SOURCE)}) a
                JOIN trainer t ON t.id = a.id JOIN person p ON p.id = t.person_id
                JOIN admin_unit hu ON hu.id = t.home_unit_id JOIN program g ON g.id = t.program_id
               WHERE a.anc = $2 AND ($5 OR a.day < $3) ${tier}`,
        params: [program.id, unit.id, period.to, today, code === 'trainers_on_pace'],
        order: 'sort_key, id',
      };
    }
    if (code === 'materials_published') {
      return {
        kind: 'materials',
        sql: `SELECT m.id, m.title, m.level, m.kind, m.url, ${vnDay('m.published_at')} AS "publishedOn"
                FROM learning_material m
               WHERE m.program_id = $1 AND $2::int IS NOT NULL AND ${vnDay('m.published_at')} >= $3
                 AND ${vnDay('m.published_at')} < $4 AND $5`,
        params: [...base, program.ownerUnitPath.startsWith(unit.path)],
        order: '"publishedOn", id',
      };
    }
    if (code === 'contest_entries' || code === 'contest_winners') {
      return {
        kind: 'contest_entries',
        sql: `SELECT e.id, c.id AS "contestId", c.name AS "contestName", e.kind,
                     ${ENTRANT_NAME} AS name, u.code AS "unitCode",
                     u.full_name AS "unitName", c.ends_on::text AS "endsOn",
                     CASE WHEN c.status = 'published' THEN e.total::float END AS total,
                     CASE WHEN c.status = 'published' THEN e.rank END AS rank, a.winner
                FROM (${attributed(view, CONTEST_ENTRIES_SOURCE)}) a
                JOIN contest_entry e ON e.id = a.id JOIN contest c ON c.id = e.contest_id
                JOIN admin_unit u ON u.id = e.unit_id ${ENTRANT_JOINS}
               WHERE a.anc = $2 AND ($5 OR a.winner)`,
        params: [...base, code === 'contest_entries'],
        order: '"endsOn", "contestName", rank NULLS LAST, id',
      };
    }
    // Reported figures: the approved reports they add up.
    const field = code.replace(/^reported_/, '');
    const value = ['headcount', 'trained', 'proficient'].includes(field)
      ? `r.${field}`
      : `(r.indicators ->> '${field.replace(/'/g, "''")}')::int`;
    return {
      kind: 'reports',
      sql: `SELECT r.id, r.period, u.code AS "unitCode", u.full_name AS "unitName", o.name AS "organisationName",
                   ${value} AS value, r.reviewed_at AS "approvedAt"
              FROM (${attributed(view, reportsSource('$3', '$4'))}) a
              JOIN progress_report r ON r.id = a.id JOIN admin_unit u ON u.id = r.unit_id
              LEFT JOIN organisation o ON o.id = r.organisation_id
             WHERE a.anc = $2 AND ${value} IS NOT NULL ${field === 'headcount' ? 'AND a.latest_headcount' : ''}`,
      params: [program.id, unit.id, lastDay(period), reportPeriods(period)],
      order: '"unitCode", id',
    };
  }
}
