import { Injectable } from '@nestjs/common';
import { AccessErrors, Policy, Principal } from '../../access/src';
import { parsePeriod } from '../../kpi/src';
import {
  SplitDto,
  SplitFigureDto,
  SplitQueryDto,
  TrainerSplitDto,
  TrainerSplitQueryDto,
  UnitSplitDto,
} from './flag.dto';
import { FlagErrors } from './flag.errors';
import { FigureCode, FlagFiguresRepository, UnitRow } from './flag-figures.repository';

const READERS = ['steering', 'viewer'] as const;

/** The figures split, in the order shown (when a fact counts for each: FIGURE_CONDITIONS). */
const FIGURES: { code: FigureCode; label: string }[] = [
  { code: 'learners_reached', label: 'Số người được phổ cập (học ít nhất một buổi)' },
  { code: 'completions', label: 'Số người hoàn thành khóa học' },
  {
    code: 'proficient_learners',
    label: 'Số người hoàn thành và ứng dụng được ít nhất một công cụ AI',
  },
];

const share = (flagged: number, excluded: number, all: number) =>
  all ? Math.round(((flagged + excluded) / all) * 1000) / 1000 : 0;

/**
 * KPI figures as all records, verified only, flagged and excluded — read from the same KPI person facts as
 * the figures themselves, so "all" is the published figure — and trainers' reach the same way, rankable on
 * verified reach.
 */
@Injectable()
export class FlagFiguresService {
  constructor(private readonly splits: FlagFiguresRepository) {}

  async units(principal: Principal, query: SplitQueryDto): Promise<SplitDto> {
    const { unit, from, to, period } = await this.context(principal, query);
    const children = await this.splits.children(unit.id);
    const ids = [unit.id, ...children.map((c) => c.id)];
    const rows = await this.splits.unitSplits(query.programId, query.view, ids, from, to);
    const byUnit = new Map(rows.map((r) => [Number(r.unitId), r]));
    const figures = (u: UnitRow): UnitSplitDto => {
      const r = byUnit.get(u.id) ?? {};
      return {
        unitCode: u.code,
        unitName: u.fullName,
        figures: FIGURES.map((f): SplitFigureDto => {
          const all = r[`${f.code}All`] ?? 0;
          const flagged = r[`${f.code}Flagged`] ?? 0;
          const excluded = r[`${f.code}Excluded`] ?? 0;
          return {
            code: f.code,
            label: f.label,
            all,
            verified: r[`${f.code}Verified`] ?? 0,
            flagged,
            excluded,
            flaggedShare: share(flagged, excluded, all),
          };
        }),
      };
    };
    return { ...figures(unit), period, children: children.map(figures) };
  }

  /**
   * Trainers whose home unit lies in the unit: reach all / verified / flagged / excluded, ranked (a page of
   * them: `offset`, `limit`; `total` counts them all). `trainerIds` keeps only those trainers, e.g. the rows
   * of a page of the leaderboard, ranked among themselves.
   */
  async trainers(principal: Principal, query: TrainerSplitQueryDto): Promise<TrainerSplitDto[]> {
    const { unit, from, to } = await this.context(principal, query);
    const rows = await this.splits.trainerSplits(
      query.programId,
      unit.path,
      from,
      to,
      query.rank,
      query,
      query.trainerIds ?? null,
    );
    return rows.map((r, i) => ({
      ...r,
      rank: query.offset + i + 1,
      flaggedShare: share(r.reachFlagged, r.reachExcluded, r.reachAll),
    }));
  }

  private async context(
    principal: Principal,
    query: SplitQueryDto,
  ): Promise<{ unit: UnitRow; from: string; to: string; period: string }> {
    const startsOn = await this.splits.programStart(query.programId);
    if (startsOn === undefined) throw FlagErrors.programNotFound();
    const unit = await this.splits.currentUnit(query.unit);
    if (!unit) throw FlagErrors.unitNotFound(query.unit);
    if (!Policy.covers(principal, READERS, unit.scopePath)) throw AccessErrors.outOfScope();
    if (!query.period)
      return { unit, from: startsOn, to: '9999-12-31', period: 'lũy kế từ đầu chương trình' };
    const p = parsePeriod(query.period);
    return { unit, from: p.from, to: p.to, period: p.label };
  }
}
