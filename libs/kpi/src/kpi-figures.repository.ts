import { ReadReplicas, vnDay } from '../../platform/src';
import { Injectable } from '@nestjs/common';
import { behindScheduleSql, daysUntil, PACE_WINDOW_DAYS } from '../../trainers/src';
import { CORE_TRAINER_INDICATORS } from './indicators';
import { KpiView } from './kpi-view';
import { lastDay, monthlyWindow, Period, reportPeriods } from './period';

const PATH_IDS = (path: string) => `string_to_array(trim(both '/' FROM ${path}), '/')::int[]`;

/**
 * The units a record at `unit` on `day` counts in, as recorded: the unit and its ancestors as they stood that
 * day. Only units whose line has a history of changes need the walk; for the rest the path says it all.
 */
const recordedChain = (unit: string, day: string) => `
  CASE WHEN EXISTS (SELECT 1 FROM admin_unit_history h JOIN admin_unit x ON x.id = ${unit}
                     WHERE h.unit_id = ANY (${PATH_IDS('x.path')}))
       THEN kpi_ancestors_as_of(${unit}, ${day})
       ELSE (SELECT ${PATH_IDS('x.path')} FROM admin_unit x WHERE x.id = ${unit}) END`;

/**
 * The rows of `source` (which has columns unit_id and day) once for every unit they count in, with that unit
 * as column `anc`. The unit chains are worked out once per distinct (unit, day) — or per unit on today's map,
 * where a historical unit stands for the unit it became through merges and splits.
 */
export function attributed(view: KpiView, source: string): string {
  if (view === 'recorded') {
    return `
      WITH src AS MATERIALIZED (${source}),
           keys AS (SELECT DISTINCT unit_id, day FROM src),
           chains AS (SELECT k.unit_id, k.day, unnest(${recordedChain('k.unit_id', 'k.day')}) AS anc FROM keys k)
      SELECT src.*, chains.anc FROM src JOIN chains ON chains.unit_id = src.unit_id AND chains.day = src.day`;
  }
  return `
    WITH src AS MATERIALIZED (${source}),
         keys AS (SELECT u.unit_id, kpi_current_unit(u.unit_id) AS now_id FROM (SELECT DISTINCT unit_id FROM src) u),
         chains AS (SELECT k.unit_id, unnest(${PATH_IDS('n.path')}) AS anc FROM keys k JOIN admin_unit n ON n.id = k.now_id)
    SELECT src.*, chains.anc FROM src JOIN chains ON chains.unit_id = src.unit_id`;
}

/** A figure of one unit: the period's total and, for flows, what each month of the period added. */
export interface Figure {
  actual: number;
  months: Map<string, number>;
}

export type UnitFigures = Map<string, Figure>;

interface Row {
  unitId: number;
  month: string | null;
  code: string;
  value: number;
}

/** Active trainers: their home unit, and the day they were registered (the stock's day, and the map's). */
export const TRAINERS_SOURCE = `
  SELECT t.id, t.home_unit_id AS unit_id, t.registered_on AS day, t.tier,
         coalesce(t.quota, g.default_quota) AS quota, t.direct_reach
    FROM trainer t JOIN program g ON g.id = t.program_id WHERE t.program_id = $1 AND t.status = 'active'`;

/**
 * Entries of the program's contests held in [$3, $4) (by their last day), at the entrant's unit; `winner`
 * when the contest's results are published and the entry ranks within its prizes.
 */
export const CONTEST_ENTRIES_SOURCE = `
  SELECT e.id, e.unit_id, c.ends_on AS day,
         coalesce(c.status = 'published' AND e.rank <= c.winners, false) AS winner
    FROM contest c JOIN contest_entry e ON e.contest_id = c.id
   WHERE c.program_id = $1 AND c.ends_on >= $3 AND c.ends_on < $4`;

/** The name of the entrant of contest entry `e` (join these, select ENTRANT_NAME). */
export const ENTRANT_JOINS = `
  LEFT JOIN person pp ON e.kind = 'person' AND pp.id = e.subject_id
  LEFT JOIN trainer t ON e.kind = 'trainer' AND t.id = e.subject_id
  LEFT JOIN person tp ON tp.id = t.person_id
  LEFT JOIN training_class k ON e.kind = 'class' AND k.id = e.subject_id
  LEFT JOIN organisation o ON e.kind = 'organisation' AND o.id = e.subject_id`;
export const ENTRANT_NAME = `coalesce(pp.full_name, tp.full_name, k.title, o.name, '')`;

/** Whether report period `o` contains period `r` (a year its quarters and months, a quarter its months). */
const COVERS = (
  o: string,
  r: string,
) => `(${o} <> ${r} AND left(${o}, 4) = left(${r}, 4) AND (length(${o}) = 4
    OR (${o} LIKE '%-Q%' AND ${r} ~ '^[0-9]{4}-[0-9]{2}$'
        AND (substr(${r}, 6, 2)::int - 1) / 3 + 1 = right(${o}, 1)::int)))`;

/**
 * The approved progress reports behind a period's reported figures (parameter `periods`: the period and
 * every report period inside it, latest-ending first, see reportPeriods), one row per report, counted at
 * its unit as of `day`. Each reporter (a unit, or an organisation in it) counts once: a report is left out
 * when the same reporter's report of a longer period contains it (the yearly report over its quarters, a
 * quarter over its months). Over the reports that remain, flows add up (trained, proficient, the program's
 * own indicators: people trained *in* each period) and the headcount, a stock, is the latest one
 * (`latest_headcount`).
 */
export const reportsSource = (day: string, periods: string) => `
  SELECT r.id, r.unit_id, ${day}::date AS day, r.headcount, r.trained, r.proficient, r.indicators,
         r.headcount IS NOT NULL AND row_number() OVER (PARTITION BY r.unit_id, r.organisation_id
                                     ORDER BY r.headcount IS NULL, array_position(${periods}::text[], r.period)) = 1
         AS latest_headcount
    FROM progress_report r
   WHERE r.program_id = $1 AND r.status = 'approved' AND r.period = ANY (${periods}::text[])
     AND NOT EXISTS (
       SELECT 1 FROM progress_report o
        WHERE o.program_id = r.program_id AND o.status = 'approved' AND o.period = ANY (${periods}::text[])
          AND o.unit_id = r.unit_id AND o.organisation_id IS NOT DISTINCT FROM r.organisation_id
          AND ${COVERS('o.period', 'r.period')})`;

/** Indicators read from the monthly sums of the facts, and how. */
const MONTHLY_SUMS: Record<string, string> = {
  learners_reached: 'sum(reached)',
  completions: 'sum(completed)',
  proficient_learners: 'sum(proficient)',
  learners_reached_online: 'sum(reached_online)',
  completions_online: 'sum(completed_online)',
  civil_servants_reached: `sum(reached) FILTER (WHERE segment = 'civil_servant')`,
  working_age_reached: 'sum(reached) FILTER (WHERE working_age)',
  enterprise_owners_reached: `sum(reached) FILTER (WHERE segment = 'business_owner')`,
  classes_held: 'sum(classes_held)',
  certificates_issued: 'sum(certificates_issued)',
};

/**
 * The counts behind a period's figures, as rows shaped like kpi_monthly's: the monthly sums of the period's
 * whole months, and for the partial months at its edges (a phase, a span of days) the same counts made from
 * the facts of those days — so any period costs the monthly sums plus at most two months of facts. Served by
 * pk_kpi_monthly, ix_kpi_person_fact_reached, ix_kpi_person_fact_completed and ix_kpi_record_fact_unit.
 */
function countsOf(
  programId: string,
  view: KpiView,
  unitIds: number[],
  period: Period,
): { sql: string; params: unknown[] } {
  const { monthsFrom, monthsTo, edges } = monthlyWindow(period);
  const params: unknown[] = [programId, unitIds, monthsFrom, monthsTo];
  const of = (alias: string) =>
    `${alias}.program_id = $1 AND ${alias}.view = '${view}' AND ${alias}.unit_id = ANY ($2::int[])`;
  let sql = `
    SELECT unit_id, month, segment, working_age, level, reached, completed, proficient, reached_online,
           completed_online, proficient_online, classes_held, certificates_issued
      FROM kpi_monthly m WHERE ${of('m')} AND month >= $3 AND month < $4`;
  if (edges.length) {
    params.push(
      edges.map((e) => e[0]),
      edges.map((e) => e[1]),
    );
    const within = (day: string) => `${day} >= e.a AND ${day} < e.b`;
    const month = (day: string) => `date_trunc('month', ${day})::date`;
    sql += `
    UNION ALL
    SELECT f.unit_id, ${month('f.first_attended_on')}, f.segment, f.working_age, 0, 1, 0, 0,
           (f.reached_via = 'online')::int, 0, 0, 0, 0
      FROM unnest($5::date[], $6::date[]) e(a, b) JOIN kpi_person_fact f ON ${of('f')} AND ${within('f.first_attended_on')}
    UNION ALL
    SELECT f.unit_id, ${month('f.completed_on')}, f.segment, f.working_age, 0, 0, 1, f.proficient::int, 0,
           (f.completed_via = 'online')::int, (f.proficient AND f.completed_via = 'online')::int, 0, 0
      FROM unnest($5::date[], $6::date[]) e(a, b) JOIN kpi_person_fact f ON ${of('f')} AND ${within('f.completed_on')}
    UNION ALL
    SELECT r.unit_id, ${month('r.day')}, '', false, r.level, 0, 0, 0, 0, 0, 0, (r.kind = 'class')::int,
           (r.kind = 'certificate')::int
      FROM unnest($5::date[], $6::date[]) e(a, b) JOIN kpi_record_fact r ON ${of('r')} AND ${within('r.day')}
                                                                         AND r.kind <> 'online'`;
  }
  return { sql, params };
}

/**
 * Computes the KPI figures of a set of units in one period, set-based: people, classes and certificates
 * from the monthly sums of their facts (people distinct by construction); trainers attributed to every unit
 * they count in; reported figures from approved progress reports. Each query touches the program's records once,
 * whatever the number of units asked about (a unit and its children).
 */
@Injectable()
export class KpiFiguresRepository {
  constructor(private readonly reads: ReadReplicas) {}

  async figures(
    program: { id: string; endsOn: string },
    view: KpiView,
    unitIds: number[],
    period: Period,
    /** `trendOf`: the unit whose figures are also wanted month by month (the others get totals only). */
    options: { today: string; reportedCodes: string[]; trendOf?: number },
  ): Promise<Map<number, UnitFigures>> {
    const codes = Object.keys(MONTHLY_SUMS);
    const { sql, params } = countsOf(program.id, view, unitIds, period);
    const monthly: Record<string, number | string | null>[] = await this.reads.query(
      `SELECT unit_id AS "unitId", CASE WHEN unit_id = $${params.length + 1} THEN to_char(month, 'YYYY-MM') END AS month,
              ${Object.values(MONTHLY_SUMS)
                .map((sum, i) => `${sum}::int AS v${i}`)
                .join(', ')}
         FROM (${sql}) x
        GROUP BY 1, 2`,
      [...params, options.trendOf ?? null],
    );
    const reported: Row[] = await this.reads.query(
      `SELECT anc AS "unitId", NULL AS month, x.code, sum(x.value)::int AS value
         FROM (${attributed(view, reportsSource('$3', '$4'))}) a
        CROSS JOIN LATERAL (
          SELECT 'reported_headcount' AS code, CASE WHEN a.latest_headcount THEN a.headcount END AS value UNION ALL
          SELECT 'reported_trained', a.trained UNION ALL
          SELECT 'reported_proficient', a.proficient UNION ALL
          SELECT 'reported_' || c, (a.indicators ->> c)::int FROM unnest($5::text[]) AS c) x
        WHERE anc = ANY ($2::int[]) AND x.value IS NOT NULL
        GROUP BY anc, x.code`,
      [program.id, unitIds, lastDay(period), reportPeriods(period), options.reportedCodes],
    );
    const result = new Map<number, UnitFigures>(unitIds.map((id) => [id, new Map()]));
    const add = (row: Row) => {
      const figures = result.get(row.unitId)!;
      const figure = figures.get(row.code) ?? { actual: 0, months: new Map() };
      figure.actual += Number(row.value);
      if (row.month) figure.months.set(row.month, (figure.months.get(row.month) ?? 0) + Number(row.value));
      figures.set(row.code, figure);
    };
    for (const row of monthly) {
      codes.forEach((code, i) => {
        const value = row[`v${i}`];
        if (value !== null)
          add({ unitId: Number(row.unitId), month: row.month as string | null, code, value: Number(value) });
      });
    }
    reported.forEach(add);
    const contests: { unitId: number; month: string | null; entries: number; winners: number }[] =
      await this.reads.query(
        `SELECT a.anc AS "unitId", CASE WHEN a.anc = $5 THEN to_char(a.day, 'YYYY-MM') END AS month,
                count(*)::int AS entries, (count(*) FILTER (WHERE a.winner))::int AS winners
           FROM (${attributed(view, CONTEST_ENTRIES_SOURCE)}) a
          WHERE a.anc = ANY ($2::int[])
          GROUP BY 1, 2`,
        [program.id, unitIds, period.from, period.to, options.trendOf ?? null],
      );
    for (const c of contests) {
      add({ unitId: c.unitId, month: c.month, code: 'contest_entries', value: c.entries });
      if (c.winners) add({ unitId: c.unitId, month: c.month, code: 'contest_winners', value: c.winners });
    }
    await this.trainers(program, view, unitIds, period, options.today, add);
    return result;
  }

  /**
   * Trainers, counted in the database per unit, tier and month of registration: core trainers are a stock
   * (every active one registered before the period's end; months show the newcomers); "on pace" counts the
   * active trainers not behind schedule today (the pace rule of the trainers library, as SQL). Trainers are
   * grouped by home unit, day and tier first, so only the groups are walked up the map.
   */
  private async trainers(
    program: { id: string; endsOn: string },
    view: KpiView,
    unitIds: number[],
    period: Period,
    today: string,
    add: (row: Row) => void,
  ): Promise<void> {
    const rows: { unitId: number; tier: string; month: string; count: number; onPace: number }[] =
      await this.reads.query(
        `WITH recent AS (
           SELECT trainer_id, sum(reached)::int AS n FROM trainer_reach_daily
            WHERE day > $3::date - ${PACE_WINDOW_DAYS} AND day <= $3::date GROUP BY trainer_id),
         grouped AS (
           SELECT t.unit_id, t.day, t.tier, count(*)::int AS n,
                  (count(*) FILTER (WHERE NOT ${behindScheduleSql('t.quota', 't.direct_reach', 'coalesce(r.n, 0)', '$6')}))::int
                    AS on_pace
             FROM (${TRAINERS_SOURCE}) t LEFT JOIN recent r ON r.trainer_id = t.id
            GROUP BY 1, 2, 3)
         SELECT a.anc AS "unitId", a.tier,
                CASE WHEN a.day < $4 THEN 'before' WHEN a.day < $5 THEN to_char(a.day, 'YYYY-MM') ELSE 'after' END AS month,
                sum(a.n)::int AS count, sum(a.on_pace)::int AS "onPace"
           FROM (${attributed(view, 'SELECT * FROM grouped')}) a
          WHERE a.anc = ANY ($2::int[])
          GROUP BY 1, 2, 3`,
        [program.id, unitIds, today, period.from, period.to, daysUntil(today, program.endsOn)],
      );
    for (const r of rows) {
      if (r.onPace) add({ unitId: r.unitId, month: null, code: 'trainers_on_pace', value: r.onPace });
      if (r.month === 'after') continue;
      for (const [code, tiers] of Object.entries(CORE_TRAINER_INDICATORS)) {
        if (!tiers.includes(r.tier)) continue;
        add({ unitId: r.unitId, month: r.month === 'before' ? null : r.month, code, value: r.count });
      }
    }
  }

  /** Learning materials the program published in the period (a program-wide figure). */
  async materials(programId: string, period: Period): Promise<Figure> {
    const rows: { month: string; value: number }[] = await this.reads.query(
      `SELECT to_char(${vnDay('published_at')}, 'YYYY-MM') AS month, count(*)::int AS value
         FROM learning_material WHERE program_id = $1 AND ${vnDay('published_at')} >= $2 AND ${vnDay('published_at')} < $3
        GROUP BY 1`,
      [programId, period.from, period.to],
    );
    return {
      actual: rows.reduce((sum, r) => sum + r.value, 0),
      months: new Map(rows.map((r) => [r.month, r.value])),
    };
  }

  /**
   * Reached, completed and proficient people of one unit by segment (distinct people per segment), with the
   * part of each that came online through partners.
   */
  async bySegment(
    programId: string,
    view: KpiView,
    unitId: number,
    period: Period,
  ): Promise<
    {
      segment: string;
      reached: number;
      completed: number;
      proficient: number;
      reachedOnline: number;
      completedOnline: number;
    }[]
  > {
    const { sql, params } = countsOf(programId, view, [unitId], period);
    return this.reads.query(
      `SELECT segment, sum(reached)::int AS reached, sum(completed)::int AS completed, sum(proficient)::int AS proficient,
              sum(reached_online)::int AS "reachedOnline", sum(completed_online)::int AS "completedOnline"
         FROM (${sql}) x WHERE segment <> ''
        GROUP BY segment ORDER BY segment`,
      params,
    );
  }

  /**
   * Classes held, certificates issued and people who completed the level online (through partners) per
   * curriculum level in one unit (a certificate is one person's completion of a level, so certificates by
   * level count people; online completions are counted per person too). Classes and certificates come from
   * the monthly sums by level (countsOf: at most two months of facts at a period's edges); only the online
   * completions, counted per person, read their facts and records (ix_kpi_record_fact_unit).
   */
  async byLevel(
    programId: string,
    view: KpiView,
    unitId: number,
    period: Period,
  ): Promise<{ level: number; classes: number; certificates: number; onlineCompletions: number }[]> {
    const { sql, params } = countsOf(programId, view, [unitId], period);
    const from = params.length + 1;
    return this.reads.query(
      `SELECT level, sum(classes)::int AS classes, sum(certificates)::int AS certificates,
              sum(online)::int AS "onlineCompletions"
         FROM (SELECT level, sum(classes_held) AS classes, sum(certificates_issued) AS certificates, 0 AS online
                 FROM (${sql}) c WHERE level > 0
                GROUP BY level
               UNION ALL
               SELECT f.level, 0, 0, count(DISTINCT o.person_id)
                 FROM kpi_record_fact f JOIN partner_learning_record o ON o.id = f.record_id
                WHERE f.program_id = $1 AND f.view = '${view}' AND f.unit_id = $${from} AND f.kind = 'online'
                  AND f.day >= $${from + 1} AND f.day < $${from + 2}
                GROUP BY f.level) x
        GROUP BY level ORDER BY level`,
      [...params, unitId, period.from, period.to],
    );
  }
}
