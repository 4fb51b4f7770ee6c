import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Principal } from '../../access/src';
import { AuditService } from '../../audit/src';
import { ProgramService } from '../../programs/src';
import { KpiErrors } from './kpi.errors';
import { KpiUnit, KpiUnits } from './kpi-units';
import { parsePeriod } from './period';
import { PopulationFiguresRepository } from './population-figures.repository';
import { SplitShareDto, SplitTargetDto, TargetDto, TargetGapDto, TargetQueryDto } from './target.dto';
import { TargetRepository } from './target.repository';
import { apportion, TargetService } from './target.service';

/**
 * Splitting a unit's target among its children (equally, by population, or as typed in), previewing a split,
 * and finding where the children's targets do not add up to their parent's.
 */
@Injectable()
export class TargetSplitService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly programs: ProgramService,
    private readonly units: KpiUnits,
    private readonly audit: AuditService,
    private readonly targets: TargetRepository,
    private readonly figures: PopulationFiguresRepository,
    private readonly service: TargetService,
  ) {}

  /**
   * Each child unit's share of a target: equally, in proportion to a population figure, or as typed in.
   * Equal and population splits add up exactly to the parent's target.
   */
  private async shares(principal: Principal, programId: string, targetId: string, dto: SplitTargetDto) {
    const parent = await this.service.find(programId, targetId);
    const unit = await this.units.resolveId(principal, parent.unitId, ['steering']);
    if (parent.kind !== 'absolute') throw KpiErrors.splitPercentage();
    const children = await this.units.children(unit, 'current');
    if (!children.length) throw KpiErrors.noChildren();
    const total = Number(parent.value);
    let shares: { unit: KpiUnit; value: number }[];
    if (dto.method === 'manual') {
      if (!dto.shares?.length)
        throw KpiErrors.invalid([{ field: 'shares', reason: 'cần ít nhất một đơn vị' }]);
      const byCode = new Map(children.map((c) => [c.code, c]));
      const problems = dto.shares
        .map((s, i) => ({ s, i }))
        .filter(({ s }) => !byCode.has(s.unit))
        .map(({ s, i }) => ({
          field: `shares[${i}].unit`,
          reason: `${s.unit} không phải đơn vị trực thuộc ${unit.fullName}`,
        }));
      if (problems.length) throw KpiErrors.invalid(problems);
      shares = dto.shares.map((s) => ({ unit: byCode.get(s.unit)!, value: s.value }));
    } else if (dto.method === 'equal') {
      shares = apportion(
        total,
        children.map(() => 1),
      ).map((value, i) => ({ unit: children[i], value }));
    } else {
      const figure = dto.populationFigure ?? 'total';
      const program = await this.programs.find(programId);
      const byUnit = await this.figures.figureOf(
        this.dataSource.manager,
        children.map((c) => c.id),
        figure,
        parsePeriod(parent.period, program).year,
      );
      const missing = children.filter((c) => !byUnit.has(c.id));
      if (missing.length)
        throw KpiErrors.populationMissing(
          figure,
          missing.map((c) => c.code),
        );
      shares = apportion(
        total,
        children.map((c) => byUnit.get(c.id)!),
      ).map((value, i) => ({ unit: children[i], value }));
    }
    return { parent, unit, shares };
  }

  /** What a split would give each child, and what each has now, without writing anything. */
  async previewSplit(
    principal: Principal,
    programId: string,
    targetId: string,
    dto: SplitTargetDto,
  ): Promise<SplitShareDto[]> {
    const { parent, shares } = await this.shares(principal, programId, targetId, dto);
    const now = await this.targets.currentValues(
      programId,
      parent.indicator,
      parent.period,
      parent.segment,
      shares.map((x) => x.unit.id),
    );
    return shares
      .map((x) => ({
        unit: { code: x.unit.code, fullName: x.unit.fullName },
        value: x.value,
        currentValue: now.get(x.unit.id) ?? null,
      }))
      .sort((a, b) => a.unit.code.localeCompare(b.unit.code));
  }

  /** Gives each child unit its share of a target (replacing the shares it had). */
  async split(
    principal: Principal,
    programId: string,
    targetId: string,
    dto: SplitTargetDto,
  ): Promise<TargetDto[]> {
    const program = await this.programs.find(programId);
    const { parent, unit, shares } = await this.shares(principal, programId, targetId, dto);
    const ids = await this.dataSource.transaction(async (m) => {
      const written: string[] = [];
      for (const share of shares) {
        written.push(
          await this.service.upsert(
            m,
            programId,
            share.unit,
            {
              unit: share.unit.code,
              indicator: parent.indicator,
              period: parent.period,
              segment: parent.segment || undefined,
              kind: 'absolute',
              value: share.value,
            },
            parent.id,
            principal.id,
          ),
        );
      }
      await this.audit.record(
        {
          action: 'target.split',
          entityType: 'target',
          entityId: parent.id,
          after: { method: dto.method, shares: shares.map((s) => ({ unit: s.unit.code, value: s.value })) },
          scopePaths: [unit.path],
        },
        m,
      );
      return written;
    });
    const rows = await this.targets.byIds(ids);
    return (await this.service.toDtos(program, rows)).sort((a, b) => a.unit.code.localeCompare(b.unit.code));
  }

  /** Where the children's targets do not add up to the parent's (absolute targets, same indicator and period). */
  async consistency(principal: Principal, programId: string, query: TargetQueryDto): Promise<TargetGapDto[]> {
    const program = await this.programs.find(programId);
    const unit = await this.units.resolve(principal, query.unit, ['steering', 'viewer']);
    const rows = await this.targets.gaps(programId, unit.path, query.period ?? null);
    const parents = await this.service.toDtos(program, rows);
    return rows.map((r, i) => ({
      parent: parents[i],
      childrenTotal: Number(r.childrenTotal),
      difference: Number(r.childrenTotal) - Number(r.value),
      childrenWithout: r.childrenWithout,
    }));
  }
}
