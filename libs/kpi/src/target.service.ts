import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Principal } from '../../access/src';
import { DomainError } from '../../platform/src';
import { AuditService } from '../../audit/src';
import { PopulationService, Reorganisation } from '../../hierarchy/src';
import { STANDARD_SEGMENTS } from '../../people/src';
import { ProgramRow, ProgramService } from '../../programs/src';
import { COMPUTED_INDICATORS, REPORTED_INDICATORS, SEGMENT_MEASURES, TARGETABLE_CODES } from './indicators';
import { KpiErrors } from './kpi.errors';
import { KpiUnit, KpiUnits } from './kpi-units';
import { parsePeriod } from './period';
import {
  PutTargetDto,
  PutTargetsDto,
  SplitShareDto,
  TARGET_KINDS,
  SplitTargetDto,
  TargetDto,
  TargetGapDto,
  TargetQueryDto,
} from './target.dto';

export interface TargetRow {
  id: string;
  programId: string;
  unitId: number;
  unitCode: string;
  unitName: string;
  unitPath: string;
  indicator: string;
  period: string;
  segment: string;
  kind: TargetKind;
  value: string;
  populationFigure: string | null;
  baseIndicator: string | null;
  splitFromId: string | null;
  updatedAt: Date;
}

export type TargetKind = (typeof TARGET_KINDS)[number];

const SELECT = `
  SELECT t.id, t.program_id AS "programId", t.unit_id AS "unitId", u.code AS "unitCode", u.full_name AS "unitName", u.path AS "unitPath",
         t.indicator, t.period, t.segment, t.kind, t.value, t.population_figure AS "populationFigure",
         t.base_indicator AS "baseIndicator", t.split_from_id AS "splitFromId", t.updated_at AS "updatedAt"
    FROM target t JOIN admin_unit u ON u.id = t.unit_id`;

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
 * split among its children by those of the unit, every change audited.
 */
@Injectable()
export class TargetService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly programs: ProgramService,
    private readonly units: KpiUnits,
    private readonly audit: AuditService,
    private readonly population: PopulationService,
  ) {}

  async list(principal: Principal, programId: string, query: TargetQueryDto): Promise<TargetDto[]> {
    const program = await this.programs.find(programId);
    const unit = await this.units.resolve(principal, query.unit, ['steering', 'viewer'], query.unitAsOf);
    const rows = await this.rows(
      this.dataSource.manager,
      `t.program_id = $1 AND (t.unit_id = $2 OR u.parent_id = $2) AND ($3::text IS NULL OR t.period = $3)`,
      [programId, unit.id, query.period ?? null],
    );
    return this.toDtos(program, rows);
  }

  /** Targets of these units, for one period or all of them (the KPI and plan pages read them with the figures). */
  async forUnits(
    m: EntityManager,
    programId: string,
    unitIds: number[],
    period?: string,
  ): Promise<TargetRow[]> {
    return this.rows(
      m,
      `t.program_id = $1 AND t.unit_id = ANY ($2::int[]) AND ($3::text IS NULL OR t.period = $3)`,
      [programId, unitIds, period ?? null],
    );
  }

  async put(principal: Principal, programId: string, dto: PutTargetDto): Promise<TargetDto> {
    const program = await this.programs.find(programId);
    const unit = await this.units.resolve(principal, dto.unit, ['steering'], dto.unitAsOf);
    await this.validate(program, dto);
    const id = await this.dataSource.transaction(async (m) => {
      const [before] = await this.rows(
        m,
        `t.program_id = $1 AND t.unit_id = $2 AND t.indicator = $3 AND t.period = $4 AND t.segment = $5`,
        [programId, unit.id, dto.indicator, dto.period, dto.segment ?? ''],
      );
      const targetId = await this.upsert(m, programId, unit, dto, null, principal.id);
      const [after] = await this.rows(m, 't.id = $1', [targetId]);
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
    return this.toDtos(program, await this.rows(this.dataSource.manager, 't.id = ANY ($1::uuid[])', [ids]));
  }

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
        ? await this.splitParents(m, change.successorIds[0])
        : await this.rows(m, 't.unit_id = ANY ($1::int[])', [
            [...change.predecessorIds, ...change.successorIds],
          ]);
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
          const id = await this.upsert(m, programId, { id: unitId }, line, splitFromId, null);
          written.push(...(await this.rows(m, 't.id = $1', [id])));
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

  /** The targets of a unit's parent that had been split among its children (to split again after a merge). */
  private async splitParents(m: EntityManager, unitId: number): Promise<TargetRow[]> {
    return this.rows(
      m,
      `t.kind = 'absolute' AND t.unit_id = (SELECT parent_id FROM admin_unit WHERE id = $1)
       AND EXISTS (SELECT 1 FROM target s WHERE s.split_from_id = t.id)`,
      [unitId],
    );
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
      const children: { id: number }[] = await m.query(
        `SELECT id FROM admin_unit WHERE parent_id = $1 AND valid_to IS NULL ORDER BY code`,
        [parent.unitId],
      );
      const ids = children.map((c) => c.id);
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
    const byUnit = await this.figureOf(m, unitIds, figure, year);
    return unitIds.every((id) => byUnit.has(id)) ? unitIds.map((id) => byUnit.get(id)!) : null;
  }

  /** A population figure of these units, as of the year (the latest year up to it), by unit id. */
  private async figureOf(
    m: EntityManager,
    unitIds: number[],
    figure: string,
    year: number,
  ): Promise<Map<number, number>> {
    const rows: { unitId: number; value: string }[] = await m.query(
      `SELECT DISTINCT ON (unit_id) unit_id AS "unitId", value FROM population_figure
        WHERE unit_id = ANY ($1::int[]) AND figure = $2 AND year <= $3 ORDER BY unit_id, year DESC`,
      [unitIds, figure, year],
    );
    return new Map(rows.map((r) => [r.unitId, Number(r.value)]));
  }

  async remove(principal: Principal, programId: string, targetId: string): Promise<void> {
    const program = await this.programs.find(programId);
    const target = await this.find(programId, targetId);
    await this.units.resolveId(principal, target.unitId, ['steering']);
    await this.dataSource.transaction(async (m) => {
      await m.query(`DELETE FROM target WHERE id = $1`, [targetId]);
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

  /**
   * Each child unit's share of a target: equally, in proportion to a population figure, or as typed in.
   * Equal and population splits add up exactly to the parent's target.
   */
  private async shares(principal: Principal, programId: string, targetId: string, dto: SplitTargetDto) {
    const parent = await this.find(programId, targetId);
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
      const byUnit = await this.figureOf(
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
    const existing: { unitId: number; value: string }[] = await this.dataSource.query(
      `SELECT unit_id AS "unitId", value FROM target
        WHERE program_id = $1 AND indicator = $2 AND period = $3 AND segment = $4 AND unit_id = ANY ($5::int[])`,
      [programId, parent.indicator, parent.period, parent.segment, shares.map((x) => x.unit.id)],
    );
    const now = new Map(existing.map((e) => [e.unitId, Number(e.value)]));
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
          await this.upsert(
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
    const rows = await this.rows(this.dataSource.manager, 't.id = ANY ($1::uuid[])', [ids]);
    return (await this.toDtos(program, rows)).sort((a, b) => a.unit.code.localeCompare(b.unit.code));
  }

  /** Where the children's targets do not add up to the parent's (absolute targets, same indicator and period). */
  async consistency(principal: Principal, programId: string, query: TargetQueryDto): Promise<TargetGapDto[]> {
    const program = await this.programs.find(programId);
    const unit = await this.units.resolve(principal, query.unit, ['steering', 'viewer']);
    const rows: (TargetRow & {
      childrenTotal: string;
      childrenWith: number;
      childrenWithout: { code: string; fullName: string }[];
    })[] = await this.dataSource.query(
      `SELECT x.*, s.total AS "childrenTotal", s.with_target AS "childrenWith", s.without AS "childrenWithout"
         FROM (${SELECT} WHERE t.program_id = $1 AND u.path LIKE $2 || '%' AND t.kind = 'absolute'
                          AND ($3::text IS NULL OR t.period = $3)) x
        CROSS JOIN LATERAL (
          SELECT coalesce(sum(c.value), 0) AS total, count(c.id)::int AS with_target,
                 coalesce(json_agg(json_build_object('code', k.code, 'fullName', k.full_name) ORDER BY k.code)
                          FILTER (WHERE c.id IS NULL), '[]') AS without
            FROM admin_unit k
            LEFT JOIN target c ON c.unit_id = k.id AND c.program_id = $1 AND c.indicator = x.indicator
                              AND c.period = x.period AND c.segment = x.segment
           WHERE k.parent_id = x."unitId" AND k.valid_to IS NULL) s
        WHERE s.with_target > 0 AND (s.total <> x.value OR jsonb_array_length(s.without::jsonb) > 0)
        ORDER BY x."unitPath", x.indicator, x.period, x.segment`,
      [programId, unit.path, query.period ?? null],
    );
    const parents = await this.toDtos(program, rows);
    return rows.map((r, i) => ({
      parent: parents[i],
      childrenTotal: Number(r.childrenTotal),
      difference: Number(r.childrenTotal) - Number(r.value),
      childrenWithout: r.childrenWithout,
    }));
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

  private async upsert(
    m: EntityManager,
    programId: string,
    unit: Pick<KpiUnit, 'id'>,
    dto: PutTargetDto,
    splitFromId: string | null,
    userId: string | null,
  ): Promise<string> {
    const [row]: { id: string }[] = await m.query(
      `INSERT INTO target (program_id, unit_id, indicator, period, segment, kind, value, population_figure,
                           split_from_id, created_by, base_indicator)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (program_id, unit_id, indicator, period, segment) DO UPDATE
          SET kind = EXCLUDED.kind, value = EXCLUDED.value, population_figure = EXCLUDED.population_figure,
              base_indicator = EXCLUDED.base_indicator, split_from_id = EXCLUDED.split_from_id, updated_at = now()
       RETURNING id`,
      [
        programId,
        unit.id,
        dto.indicator,
        dto.period,
        dto.segment ?? '',
        dto.kind,
        dto.value,
        dto.kind === 'percentage' ? dto.populationFigure : null,
        splitFromId,
        userId,
        dto.kind === 'rate' ? dto.baseIndicator : null,
      ],
    );
    return row.id;
  }

  private async find(programId: string, targetId: string): Promise<TargetRow> {
    const [row] = await this.rows(this.dataSource.manager, 't.program_id = $1 AND t.id = $2', [
      programId,
      targetId,
    ]);
    if (!row) throw KpiErrors.targetNotFound();
    return row;
  }

  private async get(program: ProgramRow, id: string): Promise<TargetDto> {
    const [row] = await this.rows(this.dataSource.manager, 't.id = $1', [id]);
    return (await this.toDtos(program, [row]))[0];
  }

  private rows(m: EntityManager, where: string, params: unknown[]): Promise<TargetRow[]> {
    return m.query(`${SELECT} WHERE ${where} ORDER BY u.path, t.indicator, t.period, t.segment`, params);
  }

  /**
   * The population figure behind each percentage target: its unit's, for the year the target's period ends in
   * (or the latest year before), by target id.
   */
  async populations(
    program: ProgramRow,
    rows: TargetRow[],
    m: EntityManager = this.dataSource.manager,
  ): Promise<Map<string, number | null>> {
    const wanted = rows.filter((r) => r.kind === 'percentage');
    if (!wanted.length) return new Map();
    const found: { id: string; value: string | null }[] = await m.query(
      `SELECT k.id, (SELECT f.value FROM population_figure f
                      WHERE f.unit_id = k.unit_id AND f.figure = k.figure AND f.year <= k.year
                      ORDER BY f.year DESC LIMIT 1) AS value
         FROM unnest($1::uuid[], $2::int[], $3::text[], $4::int[]) AS k(id, unit_id, figure, year)`,
      [
        wanted.map((r) => r.id),
        wanted.map((r) => r.unitId),
        wanted.map((r) => r.populationFigure),
        wanted.map((r) => parsePeriod(r.period, program).year),
      ],
    );
    return new Map(found.map((f) => [f.id, f.value === null ? null : Number(f.value)]));
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
