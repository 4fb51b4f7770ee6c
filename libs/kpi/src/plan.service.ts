import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Principal } from '../../access/src';
import { PopulationService } from '../../hierarchy/src';
import { ProgramRow, ProgramService } from '../../programs/src';
import { addDays, Clock, daysBetween } from '../../platform/src';
import { PACE_WINDOW_DAYS } from '../../trainers/src';
import { CORE_TRAINER_INDICATORS, SEGMENT_MEASURES, segmentNames } from './indicators';
import { Figure, KpiFiguresRepository, UnitFigures } from './kpi-figures.repository';
import { KpiView } from './kpi-view';
import { KpiUnit, KpiUnits } from './kpi-units';
import { KPI_READERS, KpiService } from './kpi.service';
import { percentOf } from './percent';
import { parsePeriod, Period } from './period';
import { PlanDto, PlanLineDto, PlanQueryDto, PlanStatus } from './plan.dto';
import { TargetService } from './target.service';
import { TargetIndex } from './target-index';

interface Counts {
  /** The figures of the unit, by indicator (segment ''), and by segment for the segment measures. */
  figures: UnitFigures;
  segments: Map<string, Record<'reached' | 'completed' | 'proficient', number>>;
}

/**
 * A unit's plan: every target it has, whatever its period — "at least 1 % each year" next to "2 % by 2027" —
 * each with its actual, its % of target and the pace it implies: what is left, how many days remain, the
 * people (or records) a week needed from today, and the last four weeks' rate to compare.
 */
@Injectable()
export class PlanService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly programs: ProgramService,
    private readonly units: KpiUnits,
    private readonly figures: KpiFiguresRepository,
    private readonly targets: TargetService,
    private readonly kpi: KpiService,
    private readonly population: PopulationService,
    private readonly clock: Clock,
  ) {}

  async plan(principal: Principal, programId: string, query: PlanQueryDto): Promise<PlanDto> {
    const program = await this.programs.find(programId);
    const unit = await this.units.resolve(principal, query.unit, KPI_READERS, query.unitAsOf);
    const today = this.clock.today();
    const rows = await this.targets.forUnits(this.dataSource.manager, program.id, [unit.id]);
    const populations = await this.targets.populations(program, rows);
    const names = await this.population.figureNames();
    const recent = await this.counts(
      program,
      unit,
      query.view,
      parsePeriod(`${addDays(today, 1 - PACE_WINDOW_DAYS)}..${today}`),
      today,
    );
    const definitions = new Map(this.kpi.definitions(program).map((d) => [d.code, d]));
    const segmentLabels = segmentNames(program);
    const lines: PlanLineDto[] = [];
    for (const code of [...new Set(rows.map((r) => r.period))]) {
      const period = parsePeriod(code, program);
      const counts = await this.counts(program, unit, query.view, period, today);
      const ofPeriod = rows.filter((r) => r.period === code);
      const index = new TargetIndex(program, ofPeriod, populations, names);
      for (const row of ofPeriod) {
        const actualOf = (indicator: string) => this.actual(counts, indicator, row.segment);
        const { target, targetBasis } = index.resolve(unit.id, row.indicator, row.segment, actualOf);
        const actual = actualOf(row.indicator);
        const definition = definitions.get(row.indicator);
        lines.push({
          targetId: row.id,
          indicator: row.indicator,
          indicatorName: definition?.name ?? row.indicator,
          unitOfMeasure: definition?.unitOfMeasure ?? '',
          segment: row.segment || null,
          segmentName: row.segment ? (segmentLabels[row.segment] ?? row.segment) : null,
          period: { code, label: period.label, from: period.from, to: period.to, kind: period.kind },
          kind: row.kind,
          value: Number(row.value),
          targetBasis,
          target,
          actual,
          percentOfTarget: percentOf(actual, target),
          ...this.pace(
            row.kind === 'rate' || definition?.source === 'reports' || row.indicator === 'trainers_on_pace'
              ? null
              : this.recentOf(recent, row.indicator, row.segment),
            actual,
            target,
            period,
            today,
          ),
        });
      }
    }
    lines.sort(
      (a, b) =>
        a.period.from.localeCompare(b.period.from) ||
        b.period.to.localeCompare(a.period.to) ||
        a.indicator.localeCompare(b.indicator) ||
        (a.segment ?? '').localeCompare(b.segment ?? ''),
    );
    return {
      program: { id: program.id, code: program.code, name: program.name },
      unit: { code: unit.code, fullName: unit.fullName, level: unit.level },
      view: query.view,
      asOf: today,
      paceWindowDays: PACE_WINDOW_DAYS,
      lines,
    };
  }

  private async counts(
    program: ProgramRow,
    unit: KpiUnit,
    view: KpiView,
    period: Period,
    today: string,
  ): Promise<Counts> {
    const figures = (
      await this.figures.figures(program, view, [unit.id], period, {
        today,
        reportedCodes: program.reportedIndicators.map((r) => r.code),
        trendOf: unit.id,
      })
    ).get(unit.id)!;
    if (program.ownerUnitPath.startsWith(unit.path)) {
      figures.set('materials_published', await this.figures.materials(program.id, period));
    }
    const segments = new Map(
      (await this.figures.bySegment(program.id, view, unit.id, period)).map((s) => [s.segment, s]),
    );
    return { figures, segments };
  }

  private actual(counts: Counts, indicator: string, segment: string): number {
    if (segment) return counts.segments.get(segment)?.[SEGMENT_MEASURES[indicator]] ?? 0;
    return counts.figures.get(indicator)?.actual ?? 0;
  }

  /** What was added in the pace window: for a flow its figure, for a stock (trainers) the newcomers. */
  private recentOf(recent: Counts, indicator: string, segment: string): number {
    if (segment || !(indicator in CORE_TRAINER_INDICATORS)) return this.actual(recent, indicator, segment);
    const figure: Figure | undefined = recent.figures.get(indicator);
    return figure ? [...figure.months.values()].reduce((sum, v) => sum + v, 0) : 0;
  }

  /**
   * Where a target stands on `today`: met, missed (ended short), not started, or in progress — on track when
   * the last four weeks' rate, kept up, would meet it by the period's end.
   */
  private pace(
    recent: number | null,
    actual: number,
    target: number | null,
    period: Period,
    today: string,
  ): Pick<PlanLineDto, 'status' | 'pace'> {
    if (target === null) return { status: 'no_target', pace: null };
    const remaining = Math.max(0, target - actual);
    const ended = today >= period.to;
    const started = today >= period.from;
    let status: PlanStatus;
    if (remaining === 0) status = 'achieved';
    else if (ended) status = 'missed';
    else if (!started) status = 'upcoming';
    else status = 'in_progress';
    if (recent === null || ended) return { status, pace: null };
    const daysLeft = daysBetween(started ? today : period.from, period.to);
    const neededPerWeek = Math.round(((remaining * 7) / daysLeft) * 10) / 10;
    const recentPerWeek = Math.round(((recent * 7) / PACE_WINDOW_DAYS) * 10) / 10;
    // Compared unrounded: the last four weeks' rate kept up to the end meets what remains.
    if (status === 'in_progress')
      status = recent * daysLeft >= remaining * PACE_WINDOW_DAYS ? 'on_track' : 'behind';
    return { status, pace: { remaining, daysLeft, neededPerWeek, recentPerWeek } };
  }
}
