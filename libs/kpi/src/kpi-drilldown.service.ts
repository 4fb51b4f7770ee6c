import { Injectable } from '@nestjs/common';
import { Principal } from '../../access/src';
import { Clock, page, Page, pagedQuery, ReadReplicas, vnDay } from '../../platform/src';
import { maskCccd, maskPhone, seesPersonalData } from '../../people/src';
import { ProgramRow, ProgramService } from '../../programs/src';
import { computePace } from '../../trainers/src';
import { CORE_TRAINER_INDICATORS, PEOPLE_INDICATORS, segmentNames } from './indicators';
import { DrilldownKind, DrilldownPageDto, DrilldownQueryDto } from './kpi.dto';
import { KpiErrors } from './kpi.errors';
import {
  CONTEST_ENTRIES_SOURCE,
  ENTRANT_JOINS,
  ENTRANT_NAME,
  reportsSource,
  TRAINERS_SOURCE,
} from './kpi-figures.repository';
import { attributed, KpiView } from './kpi-sql';
import { KpiUnit, KpiUnits } from './kpi-units';
import { KPI_READERS, KpiService } from './kpi.service';
import { lastDay, parsePeriod, Period, reportPeriods } from './period';

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

export interface DrilldownPerson {
  id: string;
  fullName: string;
  birthYear: number;
  birthDate: string | null;
  gender: string;
  segment: string;
  segmentName: string;
  commune: { code: string; fullName: string };
  cccd: string | null;
  phone: string | null;
  firstAttendedOn: string;
  completedOn: string | null;
  proficient: boolean;
  reachedVia: 'class' | 'online';
  completedVia: 'class' | 'online' | null;
}

type Row = Record<string, unknown>;

const withoutSortKey = ({ sort_key: _key, ...row }: Row): Row => row;

/**
 * The records behind any KPI figure, paginated: the same sources and the same attribution as the figure,
 * so the total always equals it. Personal data is masked unless the caller is a steering member over the
 * person's commune.
 */
@Injectable()
export class KpiDrilldownService {
  constructor(
    private readonly reads: ReadReplicas,
    private readonly programs: ProgramService,
    private readonly units: KpiUnits,
    private readonly kpi: KpiService,
    private readonly clock: Clock,
  ) {}

  async drilldown(
    principal: Principal,
    programId: string,
    query: DrilldownQueryDto,
  ): Promise<DrilldownPageDto> {
    const program = await this.programs.find(programId);
    const unit = await this.units.resolve(principal, query.unit, KPI_READERS, query.unitAsOf);
    const period = parsePeriod(query.period, program);
    const code = query.indicator;
    if (!this.kpi.definitions(program).some((d) => d.code === code)) {
      throw KpiErrors.invalid([{ field: 'indicator', reason: `không có chỉ tiêu "${code}"` }]);
    }
    if (PEOPLE_INDICATORS.includes(code as never)) {
      return { kind: 'people', ...(await this.people(principal, program, unit, period, query)) };
    }
    const { kind, sql, params, order } = this.records(program, unit, period, query.view, code);
    if (code === 'trainers_on_pace') {
      // Pace is decided in code, as for the figure (a unit's trainers number in the thousands at most).
      const all: Row[] = await this.reads.query(`SELECT * FROM (${sql}) x ORDER BY ${order}`, params);
      const onPace = all.filter((r) => !this.pace(program, r).behindSchedule);
      return {
        kind,
        ...page(
          onPace.slice(query.offset, query.offset + query.limit).map(withoutSortKey),
          onPace.length,
          query,
        ),
      };
    }
    const { rows, total } = await pagedQuery<Row>(this.reads, sql, params, order, query.limit, query.offset);
    return { kind, ...page(rows.map(withoutSortKey), total, query) };
  }

  private async people(
    principal: Principal,
    program: ProgramRow,
    unit: KpiUnit,
    period: Period,
    query: DrilldownQueryDto,
  ): Promise<Page<DrilldownPerson>> {
    const params: unknown[] = [program.id, query.view, unit.id, period.from, period.to];
    const segmentLabels = segmentNames(program);
    let where = PEOPLE_FILTERS[query.indicator];
    if (query.segment) {
      params.push(query.segment);
      where += ` AND f.segment = $${params.length}`;
    }
    const { rows, total } = await pagedQuery<
      Omit<DrilldownPerson, 'commune' | 'segmentName'> & {
        communeCode: string;
        communeName: string;
        unitPath: string;
        sort_key: string;
      }
    >(
      this.reads,
      `SELECT p.id, p.full_name AS "fullName", p.birth_year AS "birthYear", p.birth_date AS "birthDate", p.gender,
              p.segment, cu.code AS "communeCode", cu.full_name AS "communeName", cu.path AS "unitPath", p.cccd,
              p.phone, f.first_attended_on AS "firstAttendedOn", f.completed_on AS "completedOn", f.proficient,
              f.reached_via AS "reachedVia", f.completed_via AS "completedVia", p.sort_key
         FROM kpi_person_fact f JOIN person p ON p.id = f.person_id JOIN admin_unit cu ON cu.id = p.commune_id
        WHERE f.program_id = $1 AND f.view = $2 AND f.unit_id = $3 AND ${where}`,
      params,
      'sort_key, id',
      query.limit,
      query.offset,
    );
    return page(
      rows.map(({ communeCode, communeName, unitPath, sort_key: _key, ...p }) => {
        const full = seesPersonalData(principal, { unitPath });
        return {
          ...p,
          segmentName: segmentLabels[p.segment] ?? p.segment,
          commune: { code: communeCode, fullName: communeName },
          birthDate: full ? p.birthDate : null,
          cccd: p.cccd && (full ? p.cccd : maskCccd(p.cccd)),
          phone: p.phone && (full ? p.phone : maskPhone(p.phone)),
        };
      }) as DrilldownPerson[],
      total,
      query,
    );
  }

  private records(
    program: ProgramRow,
    unit: KpiUnit,
    period: Period,
    view: KpiView,
    code: string,
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
                     (SELECT coalesce(sum(d.reached), 0)::int FROM trainer_reach_daily d
                       WHERE d.trainer_id = t.id AND d.day > $4::date - 28 AND d.day <= $4::date) AS "lastFourWeeks"
                FROM (${attributed(view, TRAINERS_SOURCE)}) a
                JOIN trainer t ON t.id = a.id JOIN person p ON p.id = t.person_id
                JOIN admin_unit hu ON hu.id = t.home_unit_id JOIN program g ON g.id = t.program_id
               WHERE a.anc = $2 AND ($5 OR a.day < $3) ${tier}`,
        params: [program.id, unit.id, period.to, this.clock.today(), code === 'trainers_on_pace'],
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

  private pace(program: ProgramRow, row: Row) {
    return computePace({
      quota: Number(row.quota),
      directReach: Number(row.directReach),
      lastFourWeeks: Number(row.lastFourWeeks),
      today: this.clock.today(),
      endsOn: program.endsOn,
    });
  }
}
