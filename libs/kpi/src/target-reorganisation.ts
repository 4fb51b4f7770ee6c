import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditService } from '../../audit/src';
import { Reorganisation } from '../../hierarchy/src';
import { ProgramRow, ProgramService } from '../../programs/src';
import { parsePeriod } from './period';
import { PopulationFiguresRepository } from './population-figures.repository';
import { PutTargetDto } from './target.dto';
import { TargetKind, TargetRepository, TargetRow } from './target.repository';
import { apportion, TargetService } from './target.service';

/** How targets follow a reorganisation of units (merge, split), inside the reorganisation's transaction. */
@Injectable()
export class TargetReorganisation {
  constructor(
    private readonly programs: ProgramService,
    private readonly audit: AuditService,
    private readonly targets: TargetRepository,
    private readonly figures: PopulationFiguresRepository,
    private readonly service: TargetService,
  ) {}

  /**
   * Targets follow a merge or a split of units, for the periods still running on its effective day (the
   * targets of periods that ended before stay with the units that had them, as recorded): after a merge, the
   * unit that remains gets the sum of the targets (or its parent's target is split again among the children
   * by population); after a split, the new units share the old unit's target by population or equally. So
   * today's map never shows a merged commune's figures against one predecessor's target. Percentages and
   * rates carry over where the units agreed on them. Runs inside the reorganisation's transaction, audited.
   */
  async followReorganisation(m: EntityManager, change: Reorganisation): Promise<void> {
    if (change.targets === 'none') return;
    const written: TargetRow[] = [];
    const rows =
      change.kind === 'merge' && change.targets === 'resplit'
        ? await this.targets.splitParents(m, change.successorIds[0])
        : await this.targets.ofUnits(m, [...change.predecessorIds, ...change.successorIds]);
    for (const programId of [...new Set(rows.map((r) => r.programId))]) {
      const program = await this.programs.find(programId, m);
      const running = rows.filter(
        (r) => r.programId === programId && parsePeriod(r.period, program).to > change.effectiveDate,
      );
      const groups = new Map<string, TargetRow[]>();
      for (const r of running) {
        const key = `${r.indicator}|${r.period}|${r.segment}`;
        groups.set(key, [...(groups.get(key) ?? []), r]);
      }
      for (const group of groups.values()) {
        for (const { unitId, line, splitFromId } of await this.followingShares(m, program, change, group)) {
          const id = await this.service.upsert(m, programId, { id: unitId }, line, splitFromId, null);
          const row = await this.targets.byId(id, m);
          if (row) written.push(row);
        }
      }
    }
    if (written.length) {
      await this.audit.record(
        {
          action: 'target.followed_reorganisation',
          entityType: 'target',
          after: {
            kind: change.kind,
            rule: change.targets,
            effectiveDate: change.effectiveDate,
            targets: written.map((r) => ({
              unit: r.unitCode,
              indicator: r.indicator,
              period: r.period,
              segment: r.segment,
              value: Number(r.value),
            })),
          },
          scopePaths: [...new Set(written.map((r) => r.unitPath))],
          actorId: null,
        },
        m,
      );
    }
  }

  /**
   * The new targets for one (indicator, period, segment): the successor's sum after a merge, the parent's
   * target split again among today's children (resplit), or the shares of the units a split made.
   */
  private async followingShares(
    m: EntityManager,
    program: ProgramRow,
    change: Reorganisation,
    group: TargetRow[],
  ): Promise<{ unitId: number; line: PutTargetDto; splitFromId: string | null }[]> {
    const line = (of: TargetRow, value: number, kind: TargetKind = of.kind): PutTargetDto => ({
      unit: '',
      indicator: of.indicator,
      period: of.period,
      segment: of.segment || undefined,
      kind,
      value,
      populationFigure: kind === 'percentage' ? (of.populationFigure ?? undefined) : undefined,
      baseIndicator: kind === 'rate' ? (of.baseIndicator ?? undefined) : undefined,
    });
    const year = parsePeriod(group[0].period, program).year;
    const shared = async (unitIds: number[], total: number, weigh: boolean) =>
      apportion(
        total,
        (weigh && (await this.populationWeights(m, unitIds, 'total', year))) || unitIds.map(() => 1),
      );
    if (change.kind === 'merge' && change.targets === 'resplit') {
      const [parent] = group;
      const ids = await this.targets.currentChildIds(m, parent.unitId);
      const values = await shared(ids, Number(parent.value), true);
      return ids.map((unitId, i) => ({
        unitId,
        line: line(parent, values[i], 'absolute'),
        splitFromId: parent.id,
      }));
    }
    const before = group.filter((r) => change.predecessorIds.includes(r.unitId));
    if (!before.length) return [];
    const [first] = before;
    if (first.kind !== 'absolute') {
      // A percentage or a rate carries over only where every predecessor had the same one, to units without one.
      const same = before.every(
        (r) =>
          r.kind === first.kind &&
          r.value === first.value &&
          r.populationFigure === first.populationFigure &&
          r.baseIndicator === first.baseIndicator,
      );
      const free = change.successorIds.filter(
        (id) => !group.some((r) => r.unitId === id && !before.includes(r)),
      );
      return same
        ? free.map((unitId) => ({ unitId, line: line(first, Number(first.value)), splitFromId: null }))
        : [];
    }
    const total = before.reduce((sum, r) => sum + Number(r.value), 0);
    if (change.kind === 'merge') {
      // The unit that remains keeps its own target (when it was not one of the merged units) plus theirs.
      const [successor] = change.successorIds;
      const own = group.find((r) => r.unitId === successor && !before.includes(r));
      return [{ unitId: successor, line: line(first, total + Number(own?.value ?? 0)), splitFromId: null }];
    }
    const values = await shared(change.successorIds, total, change.targets === 'population');
    return change.successorIds.map((unitId, i) => ({
      unitId,
      line: line(first, values[i]),
      splitFromId: null,
    }));
  }

  /** Each unit's population figure for the year (or the latest before); null when one of them has none. */
  private async populationWeights(
    m: EntityManager,
    unitIds: number[],
    figure: string,
    year: number,
  ): Promise<number[] | null> {
    const byUnit = await this.figures.figureOf(m, unitIds, figure, year);
    return unitIds.every((id) => byUnit.has(id)) ? unitIds.map((id) => byUnit.get(id)!) : null;
  }
}
