import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AccessErrors, Policy, Principal } from '../../access/src';
import { AuditService } from '../../audit/src';
import {
  buildTemplate,
  FieldError,
  uploadedBuffer,
  ImportErrors,
  readTable,
  TableColumn,
} from '../../platform/src';
import { HierarchyErrors } from './hierarchy.errors';
import { POPULATION_FIGURE_CODE, POPULATION_FIGURES } from './population.entity';
import {
  PopulationDto,
  PopulationFigureKindDto,
  PopulationImportResultDto,
  PutPopulationDto,
} from './population.dto';
import { PopulationFigureKind, PopulationRepository } from './population.repository';
import { UnitService } from './unit.service';

/** The columns of the import workbook: the unit, the year, and one column per named figure. */
export function populationColumns(kinds: PopulationFigureKind[]): TableColumn[] {
  return [
    { key: 'unitCode', header: 'Mã đơn vị', kind: 'text', required: true, width: 12 },
    { key: 'unitName', header: 'Tên đơn vị', kind: 'text', width: 30 },
    { key: 'year', header: 'Năm', kind: 'integer', required: true, min: 1900, max: 2200, width: 8 },
    ...kinds.map((k): TableColumn => ({ key: k.code, header: k.name, kind: 'integer', min: 0, width: 22 })),
  ];
}

type Figures = Record<string, number>;

@Injectable()
export class PopulationService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly units: UnitService,
    private readonly audit: AuditService,
    private readonly repository: PopulationRepository,
  ) {}

  /** The named figures a plan can use as a denominator. */
  async figureKinds(): Promise<PopulationFigureKindDto[]> {
    const standard = new Set<string>(POPULATION_FIGURES);
    return (await this.repository.kinds()).map((k) => ({ ...k, standard: standard.has(k.code) }));
  }

  /** Vietnamese names of the named figures, by code (the others are shown by their code). */
  /** The figures' names; `m` inside a transaction (on the embedded database it holds the only connection). */
  async figureNames(m?: EntityManager): Promise<Map<string, string>> {
    return new Map((await this.repository.kinds(m)).map((k) => [k.code, k.name]));
  }

  /** Names a figure (a new one, or renames one a plan added; the standard four keep their names). */
  async putFigureKind(principal: Principal, code: string, name: string): Promise<PopulationFigureKindDto> {
    if ((POPULATION_FIGURES as readonly string[]).includes(code)) {
      throw HierarchyErrors.invalid([{ field: 'code', reason: 'không đổi tên được số liệu chuẩn' }]);
    }
    await this.dataSource.transaction(async (m) => {
      const before = await this.repository.kind(code, m);
      await this.repository.putKind(m, { code, name });
      await this.audit.record(
        {
          action: before ? 'population.figure_renamed' : 'population.figure_added',
          entityType: 'population_figure_kind',
          entityId: code,
          before: before ?? undefined,
          after: { code, name },
          scopePaths: principal.assignments.map((a) => a.unitPath).filter((p): p is string => !!p),
        },
        m,
      );
    });
    return { code, name, standard: false };
  }

  async get(code: string, year?: number): Promise<PopulationDto> {
    const { unit } = await this.units.resolve(code);
    const rows = await this.repository.yearFigures(unit.id, year ?? null);
    return {
      unit: { code: unit.code, fullName: unit.fullName },
      year: rows[0]?.year ?? year ?? null,
      figures: Object.fromEntries(rows.map((r) => [r.figure, Number(r.value)])),
    };
  }

  async put(principal: Principal, code: string, dto: PutPopulationDto): Promise<PopulationDto> {
    const { unit } = await this.units.resolve(code);
    if (!Policy.covers(principal, ['steering'], unit.path)) throw AccessErrors.outOfScope();
    const problems: FieldError[] = [];
    for (const [key, value] of Object.entries(dto.figures)) {
      if (!POPULATION_FIGURE_CODE.test(key))
        problems.push({ field: `figures.${key}`, reason: 'tên số liệu phải viết thường, không dấu' });
      else if (value !== null && (!Number.isInteger(value) || value < 0)) {
        problems.push({ field: `figures.${key}`, reason: 'phải là số nguyên không âm hoặc null' });
      }
    }
    if (problems.length) throw HierarchyErrors.invalid(problems);
    await this.dataSource.transaction(async (m) => {
      const before = await this.figures(m, unit.id, dto.year);
      await this.write(m, unit.id, dto.year, dto.figures);
      await this.audit.record(
        {
          action: 'population.updated',
          entityType: 'population',
          entityId: `${unit.code}:${dto.year}`,
          before,
          after: await this.figures(m, unit.id, dto.year),
          scopePaths: [unit.path],
        },
        m,
      );
    });
    return this.get(code, dto.year);
  }

  /** The import template for a unit and its direct children, pre-filled with the figures already stored. */
  async template(code: string, year: number): Promise<Buffer> {
    const { unit } = await this.units.resolve(code);
    const children = await this.repository.templateRows(unit.id, year);
    return buildTemplate({
      sheetName: 'Dân số',
      title: 'BIỂU SỐ LIỆU DÂN SỐ THEO ĐƠN VỊ HÀNH CHÍNH',
      subtitle: `${unit.fullName} — năm ${year}`,
      columns: populationColumns(await this.repository.kinds()),
      rows: children.map((c) => ({ unitCode: c.code, unitName: c.fullName, year, ...(c.figures ?? {}) })),
    });
  }

  /**
   * Imports figures for units inside `code`'s subtree. Every row is checked first (unit exists, lies in the
   * subtree and in the caller's scope, no unit-year twice); a dry run reports what would change; a commit
   * writes everything in one transaction or nothing.
   */
  async import(
    principal: Principal,
    code: string,
    file: { buffer?: Buffer } | undefined,
    dryRun: boolean,
  ): Promise<PopulationImportResultDto> {
    const { unit: root } = await this.units.resolve(code);
    if (!Policy.covers(principal, ['steering'], root.path)) throw AccessErrors.outOfScope();
    const kinds = await this.repository.kinds();
    const rows = await readTable(uploadedBuffer(file), populationColumns(kinds), { maxRows: 20_000 });
    const codes = [...new Set(rows.map((r) => String(r.values.unitCode)))];
    const known = await this.repository.currentUnits(codes);
    const byCode = new Map(known.map((u) => [u.code, u]));
    const errors: FieldError[] = [];
    const seen = new Map<string, number>();
    for (const row of rows) {
      const unitCode = String(row.values.unitCode);
      const unit = byCode.get(unitCode);
      if (!unit)
        errors.push({ row: row.row, field: 'Mã đơn vị', reason: `không có đơn vị hiện hành mã ${unitCode}` });
      else if (!unit.path.startsWith(root.path)) {
        errors.push({ row: row.row, field: 'Mã đơn vị', reason: `${unitCode} không thuộc ${root.fullName}` });
      }
      const key = `${unitCode}:${row.values.year}`;
      if (seen.has(key)) {
        errors.push({ row: row.row, field: 'Năm', reason: `trùng đơn vị và năm với dòng ${seen.get(key)}` });
      } else seen.set(key, row.row);
    }
    if (errors.length) throw ImportErrors.rows(errors.slice(0, 200), errors.length);

    const result = { dryRun, rows: rows.length, created: 0, updated: 0, unchanged: 0 };
    const apply = async (m: EntityManager) => {
      for (const row of rows) {
        const unit = byCode.get(String(row.values.unitCode))!;
        const year = Number(row.values.year);
        const given: Record<string, number> = {};
        for (const { code: figure } of kinds) {
          const value = row.values[figure];
          if (typeof value === 'number') given[figure] = value;
        }
        const stored = await this.figures(m, unit.id, year);
        for (const [figure, value] of Object.entries(given)) {
          if (!(figure in stored)) result.created++;
          else if (stored[figure] !== value) result.updated++;
          else result.unchanged++;
        }
        if (!dryRun) await this.write(m, unit.id, year, given);
      }
      if (!dryRun) {
        await this.audit.record(
          {
            action: 'population.imported',
            entityType: 'population',
            entityId: root.code,
            after: result,
            scopePaths: [root.path],
          },
          m,
        );
      }
    };
    if (dryRun) await apply(this.dataSource.manager);
    else await this.dataSource.transaction(apply);
    return result;
  }

  private async figures(m: EntityManager, unitId: number, year: number): Promise<Figures> {
    const rows = await this.repository.figures(m, unitId, year);
    return Object.fromEntries(rows.map((r) => [r.figure, Number(r.value)]));
  }

  private async write(
    m: EntityManager,
    unitId: number,
    year: number,
    figures: Record<string, number | null>,
  ): Promise<void> {
    const set = Object.entries(figures).filter((e): e is [string, number] => e[1] !== null);
    const removed = Object.entries(figures)
      .filter(([, v]) => v === null)
      .map(([k]) => k);
    if (set.length) {
      await this.repository.upsertFigures(
        m,
        unitId,
        year,
        set.map((e) => e[0]),
        set.map((e) => e[1]),
      );
    }
    if (removed.length) {
      await this.repository.deleteFigures(m, unitId, year, removed);
    }
  }
}
