import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Principal } from '../../access/src';
import { DomainError } from '../../platform/src';
import { AuditService } from '../../audit/src';
import { PopulationService } from '../../hierarchy/src';
import { STANDARD_SEGMENTS } from '../../people/src';
import { ProgramRow, ProgramService } from '../../programs/src';
import { COMPUTED_INDICATORS, REPORTED_INDICATORS, SEGMENT_MEASURES, TARGETABLE_CODES } from './indicators';
import { KpiErrors } from './kpi.errors';
import { KpiUnit, KpiUnits } from './kpi-units';
import { parsePeriod } from './period';
import { PopulationFiguresRepository } from './population-figures.repository';
import { PutTargetDto, PutTargetsDto, TargetDto, TargetQueryDto } from './target.dto';
import { TargetRepository, TargetRow } from './target.repository';

export type { TargetKind, TargetRow } from './target.repository';

/**
 * The number a target stands for: itself, a percentage of its unit's population figure, or a rate of the
 * figure of another indicator (same unit, period and segment) — null while that denominator is missing.
 */
export function resolvedTarget(
  row: Pick<TargetRow, 'kind' | 'value'>,
  denominator: number | null,
): number | null {
  if (row.kind === 'absolute') return Number(row.value);
  return denominator === null ? null : Math.round((Number(row.value) * denominator) / 100);
}

export function indicatorName(program: Pick<ProgramRow, 'reportedIndicators'>, code: string): string {
  const known = { ...COMPUTED_INDICATORS, ...REPORTED_INDICATORS } as Record<string, { name: string }>;
  return (
    known[code]?.name ?? program.reportedIndicators.find((r) => `reported_${r.code}` === code)?.name ?? code
  );
}

/** Splits `total` into integer shares proportional to `weights`, adding up exactly (largest remainder). */
export function apportion(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum === 0) return weights.map(() => 0);
  const exact = weights.map((w) => (total * w) / sum);
  const shares = exact.map(Math.floor);
  let left = Math.round(total - shares.reduce((a, b) => a + b, 0));
  const order = exact.map((e, i) => ({ i, r: e - Math.floor(e) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    shares[i]++;
    left--;
  }
  return shares;
}

/**
 * Targets per program × unit × indicator × period (× segment): set by the steering members of the unit,
 * split among its children by those of the unit (TargetSplitService), following merges and splits of units
 * (TargetReorganisation), every change audited.
 */
@Injectable()
export class TargetService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly programs: ProgramService,
    private readonly units: KpiUnits,
    private readonly audit: AuditService,
    private readonly population: PopulationService,
    private readonly targets: TargetRepository,
    private readonly figures: PopulationFiguresRepository,
  ) {}

  async list(principal: Principal, programId: string, query: TargetQueryDto): Promise<TargetDto[]> {
    const program = await this.programs.find(programId);
    const unit = await this.units.resolve(principal, query.unit, ['steering', 'viewer'], query.unitAsOf);
    const rows = await this.targets.ofUnitAndChildren(programId, unit.id, query.period ?? null);
    return this.toDtos(program, rows);
  }

  /** Targets of these units, for one period or all of them (the KPI and plan pages read them with the figures). */
  async forUnits(
    m: EntityManager,
    programId: string,
    unitIds: number[],
    period?: string,
  ): Promise<TargetRow[]> {
    return this.targets.forUnits(m, programId, unitIds, period ?? null);
  }

  async put(principal: Principal, programId: string, dto: PutTargetDto): Promise<TargetDto> {
    const program = await this.programs.find(programId);
    const unit = await this.units.resolve(principal, dto.unit, ['steering'], dto.unitAsOf);
    await this.validate(program, dto);
    const id = await this.dataSource.transaction(async (m) => {
      const before = await this.targets.one(
        m,
        programId,
        unit.id,
        dto.indicator,
        dto.period,
        dto.segment ?? '',
      );
      const targetId = await this.upsert(m, programId, unit, dto, null, principal.id);
      const after = await this.targets.byId(targetId, m);
      const [beforeDto, afterDto] = await this.toDtos(
        program,
        [before, after].filter((r) => !!r),
        m,
      );
      await this.audit.record(
        {
          action: before ? 'target.updated' : 'target.created',
          entityType: 'target',
          entityId: targetId,
          before: before ? beforeDto : undefined,
          after: before ? afterDto : beforeDto,
          scopePaths: [unit.path],
        },
        m,
      );
      return targetId;
    });
    return this.get(program, id);
  }

  /**
   * A whole plan at once (a province's plan typed in, or one that began before Lan Tỏa): every line checked
   * first — scope, indicator, period — and every error named by its line; then all written in one
   * transaction, or none. Sending the same plan again changes nothing.
   */
  async putMany(principal: Principal, programId: string, dto: PutTargetsDto): Promise<TargetDto[]> {
    const program = await this.programs.find(programId);
    const problems: { field: string; reason: string }[] = [];
    const lines: { unit: KpiUnit; line: PutTargetDto }[] = [];
    const keys = new Map<string, number>();
    for (const [i, line] of dto.targets.entries()) {
      const at = (errors: { field: string; reason: string }[]) =>
        problems.push(...errors.map((e) => ({ field: `targets[${i}].${e.field}`, reason: e.reason })));
      try {
        const unit = await this.units.resolve(principal, line.unit, ['steering'], line.unitAsOf);
        await this.validate(program, line);
        const key = `${line.unit}|${line.indicator}|${line.period}|${line.segment ?? ''}`;
        if (keys.has(key)) at([{ field: 'indicator', reason: `trùng với dòng ${keys.get(key)! + 1}` }]);
        keys.set(key, i);
        lines.push({ unit, line });
      } catch (error) {
        // A line outside the caller's part of the map refuses the whole plan, as a single target would be.
        if (!(error instanceof DomainError) || error.status === 403) throw error;
        at(error.errors.length ? error.errors : [{ field: 'unit', reason: error.message }]);
      }
    }
    if (problems.length) throw KpiErrors.invalid(problems.slice(0, 200));
    const ids = await this.dataSource.transaction(async (m) => {
      const written: string[] = [];
      for (const { unit, line } of lines)
        written.push(await this.upsert(m, programId, unit, line, null, principal.id));
      await this.audit.record(
        {
          action: 'target.imported',
          entityType: 'target',
          after: { count: written.length, targets: dto.targets },
          scopePaths: [...new Set(lines.map((l) => l.unit.path))],
        },
        m,
      );
      return written;
    });
    return this.toDtos(program, await this.targets.byIds(ids));
  }

  async remove(principal: Principal, programId: string, targetId: string): Promise<void> {
    const program = await this.programs.find(programId);
    const target = await this.find(programId, targetId);
    await this.units.resolveId(principal, target.unitId, ['steering']);
    await this.dataSource.transaction(async (m) => {
      await this.targets.delete(m, targetId);
      await this.audit.record(
        {
          action: 'target.deleted',
          entityType: 'target',
          entityId: targetId,
          before: (await this.toDtos(program, [target], m))[0],
          scopePaths: [target.unitPath],
        },
        m,
      );
    });
  }

  private async validate(program: ProgramRow, dto: PutTargetDto): Promise<void> {
    const problems: { field: string; reason: string }[] = [];
    const indicators = [...TARGETABLE_CODES, ...program.reportedIndicators.map((r) => `reported_${r.code}`)];
    if (!indicators.includes(dto.indicator)) {
      problems.push({ field: 'indicator', reason: `không có chỉ tiêu "${dto.indicator}"` });
    }
    const segments = [...STANDARD_SEGMENTS, ...program.extraSegments.map((s) => s.code)] as string[];
    if (dto.segment && !segments.includes(dto.segment)) {
      problems.push({ field: 'segment', reason: `không có đối tượng "${dto.segment}"` });
    } else if (dto.segment && !(dto.indicator in SEGMENT_MEASURES)) {
      problems.push({
        field: 'segment',
        reason: 'chỉ tiêu theo đối tượng chỉ dùng với người học được tiếp cận, hoàn thành hoặc ứng dụng được',
      });
    }
    try {
      parsePeriod(dto.period, program);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      problems.push(...error.errors);
    }
    if (dto.kind !== 'absolute' && dto.value > 100) {
      problems.push({ field: 'value', reason: 'tỷ lệ phải từ 0 đến 100' });
    }
    if (dto.kind === 'percentage') {
      if (!dto.populationFigure)
        problems.push({ field: 'populationFigure', reason: 'bắt buộc với chỉ tiêu theo tỷ lệ dân số' });
      else if (!(await this.population.figureNames()).has(dto.populationFigure))
        problems.push({
          field: 'populationFigure',
          reason: `chưa có số liệu dân số tên "${dto.populationFigure}" (đặt tên ở /population-figures)`,
        });
    } else if (dto.populationFigure) {
      problems.push({ field: 'populationFigure', reason: 'chỉ dùng với chỉ tiêu theo tỷ lệ dân số' });
    }
    if (dto.kind === 'rate') {
      if (!dto.baseIndicator)
        problems.push({ field: 'baseIndicator', reason: 'bắt buộc với chỉ tiêu là tỷ lệ của chỉ tiêu khác' });
      else if (!indicators.includes(dto.baseIndicator) || dto.baseIndicator === dto.indicator)
        problems.push({
          field: 'baseIndicator',
          reason: `không dùng được "${dto.baseIndicator}" làm mẫu số`,
        });
    } else if (dto.baseIndicator) {
      problems.push({ field: 'baseIndicator', reason: 'chỉ dùng với chỉ tiêu là tỷ lệ của chỉ tiêu khác' });
    }
    if (problems.length) throw KpiErrors.invalid(problems);
  }

  /** Sets one target (inside the caller's transaction); returns its id. */
  async upsert(
    m: EntityManager,
    programId: string,
    unit: Pick<KpiUnit, 'id'>,
    dto: PutTargetDto,
    splitFromId: string | null,
    userId: string | null,
  ): Promise<string> {
    return this.targets.upsert(m, {
      programId,
      unitId: unit.id,
      indicator: dto.indicator,
      period: dto.period,
      segment: dto.segment ?? '',
      kind: dto.kind,
      value: dto.value,
      populationFigure: dto.kind === 'percentage' ? (dto.populationFigure ?? null) : null,
      splitFromId,
      userId,
      baseIndicator: dto.kind === 'rate' ? (dto.baseIndicator ?? null) : null,
    });
  }

  /** The program's target with this id, or TARGET_NOT_FOUND. */
  async find(programId: string, targetId: string): Promise<TargetRow> {
    const row = await this.targets.inProgram(programId, targetId);
    if (!row) throw KpiErrors.targetNotFound();
    return row;
  }

  private async get(program: ProgramRow, id: string): Promise<TargetDto> {
    const row = await this.targets.byId(id);
    return (await this.toDtos(program, [row!]))[0];
  }

  /**
   * The population figure behind each percentage target: its unit's, for the year the target's period ends in
   * (or the latest year before), by target id.
   */
  async populations(
    program: ProgramRow,
    rows: TargetRow[],
    m?: EntityManager,
  ): Promise<Map<string, number | null>> {
    const wanted = rows.filter((r) => r.kind === 'percentage');
    if (!wanted.length) return new Map();
    return this.figures.lookUp(
      wanted.map((r) => ({
        id: r.id,
        unitId: r.unitId,
        figure: r.populationFigure,
        year: parsePeriod(r.period, program).year,
      })),
      m,
    );
  }

  /** Targets as the API shows them; a rate's number depends on figures, so it is left to the KPI pages. */
  async toDtos(program: ProgramRow, rows: TargetRow[], m?: EntityManager): Promise<TargetDto[]> {
    const [populations, names] = await Promise.all([
      this.populations(program, rows, m),
      this.population.figureNames(m),
    ]);
    return rows.map((row) => ({
      id: row.id,
      unit: { code: row.unitCode, fullName: row.unitName },
      indicator: row.indicator,
      indicatorName: indicatorName(program, row.indicator),
      period: row.period,
      periodLabel: parsePeriod(row.period, program).label,
      segment: row.segment || null,
      kind: row.kind,
      value: Number(row.value),
      populationFigure: row.populationFigure,
      populationFigureName: row.populationFigure ? (names.get(row.populationFigure) ?? null) : null,
      baseIndicator: row.baseIndicator,
      baseIndicatorName: row.baseIndicator ? indicatorName(program, row.baseIndicator) : null,
      resolvedValue: row.kind === 'rate' ? null : resolvedTarget(row, populations.get(row.id) ?? null),
      splitFromId: row.splitFromId,
      updatedAt: new Date(row.updatedAt).toISOString(),
    }));
  }
}
