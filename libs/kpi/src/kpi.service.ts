import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Principal, Role } from '../../access/src';
import { Clock, Page } from '../../platform/src';
import { PopulationService } from '../../hierarchy/src';
import { ProgramRow, ProgramService } from '../../programs/src';
import {
  COMPUTED_CODES,
  COMPUTED_INDICATORS,
  CORE_TRAINER_INDICATORS,
  REPORTED_INDICATORS,
  SEGMENT_MEASURES,
  segmentNames,
} from './indicators';
import {
  ChildFigureDto,
  CommuneLeaderboardQueryDto,
  IndicatorFigureDto,
  KpiDto,
  KpiQueryDto,
  LeaderboardRowDto,
  LevelFiguresDto,
  SegmentFiguresDto,
} from './kpi.dto';
import { KpiErrors } from './kpi.errors';
import { Figure, KpiFiguresRepository, UnitFigures } from './kpi-figures.repository';
import { KpiView } from './kpi-view';
import { KpiUnitRepository } from './kpi-unit.repository';
import { KpiUnit, KpiUnits } from './kpi-units';
import { parsePeriod, Period } from './period';
import { PopulationFiguresRepository } from './population-figures.repository';
import { indicatorName, TargetService } from './target.service';
import { TargetIndex } from './target-index';
import { percentOf } from './percent';

/** Who reads KPI figures: steering members and viewers of the unit's subtree (and administrators). */
export const KPI_READERS: readonly Role[] = ['steering', 'viewer'];

/** Stocks count everything up to the period's end; flows count what happened in the period. */
const STOCKS = new Set(Object.keys(CORE_TRAINER_INDICATORS));
const SHARES: Record<string, string> = {
  civil_servants_reached: 'civil_servants',
  working_age_reached: 'working_age',
  enterprise_owners_reached: 'enterprise_owners',
};

export interface IndicatorDefinition {
  code: string;
  name: string;
  unitOfMeasure: string;
  source: 'records' | 'reports' | 'program';
}

export const DISTINCT_NOTE =
  'Số liệu về người của mỗi đơn vị đếm mỗi người một lần, dù người đó học nhiều lớp hoặc ở nhiều xã; ' +
  'vì vậy dòng tổng cộng không phải là tổng các dòng đơn vị trực thuộc.';
export const ONLINE_NOTE =
  'Người học trực tuyến do đối tác gửi (trường học, doanh nghiệp, nền tảng học trực tuyến) được tính như người học ' +
  'tại lớp, mỗi người một lần; chỉ tiêu "qua học trực tuyến / đối tác" là phần của họ trong tổng.';
export const REPORTED_NOTE = 'Chỉ tiêu "theo báo cáo" là tổng số liệu các đơn vị tự báo cáo đã được duyệt.';
export const PACE_NOTE = 'Giảng viên đúng tiến độ: tính theo tốc độ 4 tuần gần nhất, tại ngày lập báo cáo.';

/** Plan vs actual of a unit, its children and its segments, for one period, as recorded or on today's map. */
@Injectable()
export class KpiService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly programs: ProgramService,
    private readonly units: KpiUnits,
    private readonly figures: KpiFiguresRepository,
    private readonly targets: TargetService,
    private readonly population: PopulationService,
    private readonly clock: Clock,
    private readonly unitRows: KpiUnitRepository,
    private readonly populationFigures: PopulationFiguresRepository,
  ) {}

  async kpi(principal: Principal, programId: string, query: KpiQueryDto): Promise<KpiDto> {
    const program = await this.programs.find(programId);
    const unit = await this.units.resolve(principal, query.unit, KPI_READERS, query.unitAsOf);
    return this.compute(program, unit, parsePeriod(query.period, program), query.view);
  }

  definitions(program: Pick<ProgramRow, 'reportedIndicators'>): IndicatorDefinition[] {
    return [
      ...COMPUTED_CODES.map((code) => ({
        code,
        name: COMPUTED_INDICATORS[code].name,
        unitOfMeasure: COMPUTED_INDICATORS[code].unit,
        source: code === 'materials_published' ? ('program' as const) : ('records' as const),
      })),
      ...Object.entries(REPORTED_INDICATORS).map(([code, d]) => ({
        code,
        name: d.name,
        unitOfMeasure: d.unit,
        source: 'reports' as const,
      })),
      ...program.reportedIndicators.map((r) => ({
        code: `reported_${r.code}`,
        name: r.name,
        unitOfMeasure: '',
        source: 'reports' as const,
      })),
    ];
  }

  async compute(program: ProgramRow, unit: KpiUnit, period: Period, view: KpiView): Promise<KpiDto> {
    const today = this.clock.today();
    const children = await this.units.children(unit, view);
    const ids = [unit.id, ...children.map((c) => c.id)];
    const figures = await this.figures.figures(program, view, ids, period, {
      today,
      reportedCodes: program.reportedIndicators.map((r) => r.code),
      trendOf: unit.id,
    });
    // Materials are the program's own: shown for the unit that runs it and the units above.
    if (program.ownerUnitPath.startsWith(unit.path)) {
      figures.get(unit.id)!.set('materials_published', await this.figures.materials(program.id, period));
    }
    const targets = await this.targetsOf(program, ids, period);
    const populations = await this.populationFigures.allOf(ids, period.year);
    const names = await this.population.figureNames();
    const definitions = this.definitions(program);
    const mine = figures.get(unit.id)!;
    const actualOf = (values: UnitFigures) => (code: string) => values.get(code)?.actual ?? 0;
    const indicators: IndicatorFigureDto[] = definitions.map((d) => {
      const figure = mine.get(d.code) ?? { actual: 0, months: new Map() };
      const { target, targetBasis } = targets.resolve(unit.id, d.code, '', actualOf(mine));
      return {
        ...d,
        actual: figure.actual,
        target,
        percentOfTarget: percentOf(figure.actual, target),
        targetBasis,
        share: this.share(d.code, figure.actual, mine, populations.get(unit.id), names),
        trend: this.trend(d.code, figure, period),
      };
    });
    const byChild = children
      .map((child) => ({ child, values: figures.get(child.id)! }))
      .filter(({ child, values }) => child.current || [...values.values()].some((f) => f.actual > 0))
      .map(({ child, values }) => ({
        unit: { code: child.code, fullName: child.fullName, current: child.current, validTo: child.validTo },
        indicators: Object.fromEntries(
          definitions
            .filter((d) => d.source !== 'program')
            .map((d): [string, ChildFigureDto] => {
              const actual = values.get(d.code)?.actual ?? 0;
              const { target } = targets.resolve(child.id, d.code, '', actualOf(values));
              return [d.code, { actual, target, percentOfTarget: percentOf(actual, target) }];
            }),
        ),
      }));
    const segmentLabels = segmentNames(program);
    const segmentFigures = new Map(
      (await this.figures.bySegment(program.id, view, unit.id, period)).map((s) => [s.segment, s]),
    );
    for (const segment of targets.segmentsOf(unit.id)) {
      if (!segmentFigures.has(segment))
        segmentFigures.set(segment, {
          segment,
          reached: 0,
          completed: 0,
          proficient: 0,
          reachedOnline: 0,
          completedOnline: 0,
        });
    }
    const bySegment: SegmentFiguresDto[] = [...segmentFigures.values()]
      .sort((a, b) => a.segment.localeCompare(b.segment))
      .map((s) => {
        const measured = (code: string) => s[SEGMENT_MEASURES[code]] ?? 0;
        const planned = Object.keys(SEGMENT_MEASURES).flatMap((code) => {
          const { target, targetBasis } = targets.resolve(unit.id, code, s.segment, measured);
          if (!targets.has(unit.id, code, s.segment)) return [];
          const actual = measured(code);
          return [
            {
              indicator: code,
              indicatorName: indicatorName(program, code),
              actual,
              target,
              percentOfTarget: percentOf(actual, target),
              targetBasis,
            },
          ];
        });
        const reachedTarget = planned.find((p) => p.indicator === 'learners_reached');
        return {
          ...s,
          name: segmentLabels[s.segment] ?? s.segment,
          target: reachedTarget?.target ?? null,
          percentOfTarget: reachedTarget?.percentOfTarget ?? null,
          targets: planned,
        };
      });
    const levels = new Map(
      (await this.figures.byLevel(program.id, view, unit.id, period)).map((l) => [l.level, l]),
    );
    const byLevel: LevelFiguresDto[] = program.levels.map((l) => ({
      level: l.level,
      title: l.title,
      classes: levels.get(l.level)?.classes ?? 0,
      certificates: levels.get(l.level)?.certificates ?? 0,
      onlineCompletions: levels.get(l.level)?.onlineCompletions ?? 0,
    }));
    return {
      program: { id: program.id, code: program.code, name: program.name },
      unit: { code: unit.code, fullName: unit.fullName, level: unit.level },
      period: { code: period.code, label: period.label, from: period.from, to: period.to },
      view,
      asOf: today,
      indicators,
      byChild,
      bySegment,
      byLevel,
      notes: [DISTINCT_NOTE, ONLINE_NOTE, REPORTED_NOTE, PACE_NOTE],
    };
  }

  /** Communes of a unit ranked by one indicator: by % of their target, or by the figure itself. */
  async leaderboard(
    principal: Principal,
    programId: string,
    query: CommuneLeaderboardQueryDto,
  ): Promise<Page<LeaderboardRowDto>> {
    const program = await this.programs.find(programId);
    const unit = await this.units.resolve(principal, query.unit, KPI_READERS);
    const definition = this.definitions(program).find((d) => d.code === query.indicator);
    if (!definition || definition.source === 'program') {
      throw KpiErrors.invalid([
        { field: 'indicator', reason: `không xếp hạng được theo "${query.indicator}"` },
      ]);
    }
    const period = parsePeriod(query.period, program);
    const communes = await this.unitRows.communesUnder(unit.path);
    const ids = communes.map((c) => c.id);
    const figures = await this.figures.figures(program, query.view, ids, period, {
      today: this.clock.today(),
      reportedCodes: program.reportedIndicators.map((r) => r.code),
    });
    const targets = await this.targetsOf(program, ids, period);
    const rows = communes.map((c) => {
      const values = figures.get(c.id)!;
      const actual = values.get(query.indicator)?.actual ?? 0;
      const { target } = targets.resolve(c.id, query.indicator, '', (code) => values.get(code)?.actual ?? 0);
      return {
        unit: { code: c.code, fullName: c.fullName },
        actual,
        target,
        percentOfTarget: percentOf(actual, target),
      };
    });
    const key = (r: (typeof rows)[number]) =>
      query.sort === 'percent' ? (r.percentOfTarget ?? -1) : r.actual;
    rows.sort((a, b) => key(b) - key(a) || b.actual - a.actual || a.unit.code.localeCompare(b.unit.code));
    return {
      items: rows
        .slice(query.offset, query.offset + query.limit)
        .map((r, i) => ({ rank: query.offset + i + 1, ...r })),
      total: rows.length,
      limit: query.limit,
      offset: query.offset,
    };
  }

  /** The targets of these units for a period, resolved against the figures they are a percentage of. */
  private async targetsOf(program: ProgramRow, unitIds: number[], period: Period): Promise<TargetIndex> {
    const rows = await this.targets.forUnits(this.dataSource.manager, program.id, unitIds, period.code);
    return new TargetIndex(
      program,
      rows,
      await this.targets.populations(program, rows),
      await this.population.figureNames(),
    );
  }

  private share(
    code: string,
    actual: number,
    figures: UnitFigures,
    populations: Map<string, number> | undefined,
    names: Map<string, string>,
  ): IndicatorFigureDto['share'] {
    if (code === 'proficient_learners') {
      const base = figures.get('completions')?.actual ?? 0;
      return base
        ? {
            of: 'completions',
            ofName: COMPUTED_INDICATORS.completions.name,
            base,
            percent: percentOf(actual, base)!,
          }
        : null;
    }
    const figure = SHARES[code];
    const base = figure ? populations?.get(figure) : undefined;
    return figure && base
      ? {
          of: `population:${figure}`,
          ofName: names.get(figure) ?? figure,
          base,
          percent: percentOf(actual, base)!,
        }
      : null;
  }

  private trend(code: string, figure: Figure, period: Period): IndicatorFigureDto['trend'] {
    // Reported figures and today's pace have no months.
    if (code === 'trainers_on_pace' || code.startsWith('reported_')) return [];
    const inPeriod = period.months.reduce((sum, m) => sum + (figure.months.get(m) ?? 0), 0);
    let cumulative = STOCKS.has(code) ? figure.actual - inPeriod : 0;
    return period.months.map((month) => {
      const value = figure.months.get(month) ?? 0;
      cumulative += value;
      return { month, value, cumulative };
    });
  }
}
