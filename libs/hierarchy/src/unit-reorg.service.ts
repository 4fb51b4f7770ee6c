import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { CommonErrors } from '../../platform/src';
import {
  MergeUnitsDto,
  NewUnitDto,
  RenameUnitDto,
  ReparentUnitDto,
  SplitUnitDto,
  UnitDetailDto,
} from './unit.dto';
import { UNIT_LEVELS, UnitLevel } from './unit.entity';
import { UnitErrors } from './unit.errors';
import { UnitService } from './unit.service';
import { UnitRecord, UnitWriter } from './unit-writer.repository';

const rank = (level: UnitLevel): number => UNIT_LEVELS.indexOf(level);

/** A merge or a split, as the listeners need it to move what is kept per unit (targets). */
export interface Reorganisation {
  kind: 'merge' | 'split';
  predecessorIds: number[];
  successorIds: number[];
  effectiveDate: string;
  /** How the targets of periods still running on the effective date follow the units. */
  targets: MergeUnitsDto['targets'] | SplitUnitDto['targets'];
}

/**
 * Told, inside the transaction, that units were merged, split or moved (figures kept per unit must follow);
 * with the change itself for a merge or a split made here (not for successions loaded from a file).
 */
export type ReorganisationListener = (m: EntityManager, change?: Reorganisation) => Promise<void>;

/**
 * Reorganisations with an effective date: merge, split, rename, re-parent. The state before the date stays
 * readable (ended units, admin_unit_history, successions), so reports can show the map as it was.
 */
@Injectable()
export class UnitReorgService {
  private readonly listeners: ReorganisationListener[] = [];

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly writer: UnitWriter,
    private readonly units: UnitService,
  ) {}

  onReorganised(listener: ReorganisationListener): void {
    this.listeners.push(listener);
  }

  /** Tells the listeners that the map changed in this transaction (also after successions are loaded). */
  async reorganised(m: EntityManager, change?: Reorganisation): Promise<void> {
    for (const listener of this.listeners) await listener(m, change);
  }

  async merge(dto: MergeUnitsDto): Promise<UnitDetailDto> {
    const targetCode = await this.dataSource.transaction((m) => this.mergeIn(m, dto));
    return this.units.get(targetCode, dto.effectiveDate);
  }

  /** The merge, inside the caller's transaction (also run by the preview, which rolls it back); the unit that remains. */
  async mergeIn(m: EntityManager, dto: MergeUnitsDto): Promise<string> {
    const date = dto.effectiveDate;
    const sources: UnitRecord[] = [];
    // One at a time in code order, so that concurrent reorganisations lock units in the same order.
    for (const code of [...dto.sources].sort()) sources.push(await this.lockChangeable(m, code, date));
    const level = sources[0].level;
    if (sources.some((s) => s.level !== level)) {
      throw UnitErrors.levelMismatch('Chỉ có thể sáp nhập các đơn vị cùng cấp.');
    }
    let target: UnitRecord;
    if (dto.into.fullName !== undefined) {
      // A new unit; it may take the code of one of the units it replaces.
      const missing = (['name', 'type'] as const).filter((field) => dto.into[field] === undefined);
      if (missing.length) {
        throw CommonErrors.validation(
          missing.map((field) => ({
            field: `into.${field}`,
            reason: 'là bắt buộc khi sáp nhập thành đơn vị mới',
          })),
        );
      }
      const sourceIds = sources.map((s) => s.id);
      if (await this.writer.currentCodeTaken(m, dto.into.code, sourceIds))
        throw UnitErrors.codeTaken(dto.into.code);
      const parent = await this.parentForNew(m, dto.into.parentCode, sources, level, date);
      await this.writer.end(m, sourceIds, date);
      target = await this.create(
        m,
        { ...(dto.into as NewUnitDto), fullName: dto.into.fullName },
        level,
        parent,
        date,
      );
    } else {
      if (dto.sources.includes(dto.into.code)) {
        throw UnitErrors.levelMismatch('Đơn vị nhận sáp nhập không được nằm trong danh sách bị sáp nhập.');
      }
      target = await this.lockCurrent(m, dto.into.code, date);
      if (target.level !== level) throw UnitErrors.levelMismatch('Đơn vị nhận sáp nhập phải cùng cấp.');
      await this.writer.end(
        m,
        sources.map((s) => s.id),
        date,
      );
    }
    await this.writer.recordSuccession(
      m,
      sources.map((s) => s.id),
      [target.id],
      'merge',
      date,
    );
    for (const source of sources) {
      for (const child of await this.writer.currentChildren(m, source.id)) {
        await this.reparentLocked(m, child, target, date);
      }
    }
    await this.reorganised(m, {
      kind: 'merge',
      predecessorIds: sources.map((s) => s.id),
      successorIds: [target.id],
      effectiveDate: date,
      targets: dto.targets,
    });
    return target.code;
  }

  async split(code: string, dto: SplitUnitDto): Promise<UnitDetailDto[]> {
    await this.dataSource.transaction((m) => this.splitIn(m, code, dto));
    return Promise.all(dto.parts.map((p) => this.units.get(p.code, dto.effectiveDate)));
  }

  /** The split, inside the caller's transaction. */
  async splitIn(m: EntityManager, code: string, dto: SplitUnitDto): Promise<void> {
    const date = dto.effectiveDate;
    const codes = dto.parts.map((p) => p.code);
    if (new Set(codes).size !== codes.length)
      throw UnitErrors.levelMismatch('Mã các đơn vị mới không được trùng nhau.');
    const source = await this.lockChangeable(m, code, date);
    const children = await this.writer.currentChildren(m, source.id);
    if (children.length) throw UnitErrors.hasChildren(code, children.length);
    for (const part of dto.parts) {
      if (await this.writer.currentCodeTaken(m, part.code, [source.id]))
        throw UnitErrors.codeTaken(part.code);
    }
    const parent = source.parentId === null ? null : await this.writer.lockById(m, source.parentId);
    await this.writer.end(m, [source.id], date);
    const parts: UnitRecord[] = [];
    for (const part of dto.parts) parts.push(await this.create(m, part, source.level, parent, date));
    await this.writer.recordSuccession(
      m,
      [source.id],
      parts.map((p) => p.id),
      'split',
      date,
    );
    await this.reorganised(m, {
      kind: 'split',
      predecessorIds: [source.id],
      successorIds: parts.map((p) => p.id),
      effectiveDate: date,
      targets: dto.targets,
    });
  }

  async rename(code: string, dto: RenameUnitDto): Promise<UnitDetailDto> {
    const date = dto.effectiveDate;
    await this.dataSource.transaction(async (m) => {
      const unit = await this.lockChangeable(m, code, date);
      await this.writer.archiveState(m, unit, date, 'rename');
      await this.writer.rename(
        m,
        unit.id,
        { name: dto.name, fullName: dto.fullName, type: dto.type ?? unit.type },
        date,
      );
    });
    return this.units.get(code, date);
  }

  async reparent(code: string, dto: ReparentUnitDto): Promise<UnitDetailDto> {
    await this.dataSource.transaction((m) => this.reparentIn(m, code, dto));
    return this.units.get(code, dto.effectiveDate);
  }

  /** The move, inside the caller's transaction. */
  async reparentIn(m: EntityManager, code: string, dto: ReparentUnitDto): Promise<void> {
    const date = dto.effectiveDate;
    const unit = await this.lockChangeable(m, code, date);
    const parent = await this.lockCurrent(m, dto.parentCode, date);
    if (parent.path.startsWith(unit.path)) throw UnitErrors.cycle(code, dto.parentCode);
    await this.reparentLocked(m, unit, parent, date);
    await this.reorganised(m);
  }

  private async reparentLocked(
    m: EntityManager,
    unit: UnitRecord,
    parent: UnitRecord,
    date: string,
  ): Promise<void> {
    if (rank(parent.level) >= rank(unit.level)) {
      throw UnitErrors.levelMismatch(
        `Đơn vị ${unit.code} không thể trực thuộc đơn vị cùng cấp hoặc cấp dưới.`,
      );
    }
    if (date < unit.stateFrom) throw UnitErrors.effectiveDate(unit.code, unit.stateFrom);
    await this.writer.archiveState(m, unit, date, 'reparent');
    await this.writer.moveUnder(m, unit.id, parent.id, date);
  }

  private async create(
    m: EntityManager,
    unit: NewUnitDto,
    level: UnitLevel,
    parent: UnitRecord | null,
    date: string,
  ): Promise<UnitRecord> {
    const [id] = await this.writer.allocateIds(m, 1);
    const record = {
      id,
      code: unit.code,
      level,
      type: unit.type,
      name: unit.name,
      fullName: unit.fullName,
      parentId: parent?.id ?? null,
      path: `${parent?.path ?? '/'}${id}/`,
      depth: parent ? parent.depth + 1 : 0,
      validFrom: date,
      validTo: null,
    };
    await this.writer.insert(m, [record]);
    return { ...record, stateFrom: date };
  }

  private async parentForNew(
    m: EntityManager,
    parentCode: string | undefined,
    sources: UnitRecord[],
    level: UnitLevel,
    date: string,
  ): Promise<UnitRecord | null> {
    if (parentCode !== undefined) {
      const parent = await this.lockCurrent(m, parentCode, date);
      if (rank(parent.level) >= rank(level)) {
        throw UnitErrors.levelMismatch('Đơn vị cha phải ở cấp cao hơn đơn vị mới.');
      }
      return parent;
    }
    const parentIds = new Set(sources.map((s) => s.parentId));
    if (parentIds.size > 1) {
      throw UnitErrors.levelMismatch(
        'Các đơn vị thuộc các đơn vị cha khác nhau: cần chỉ rõ into.parentCode.',
      );
    }
    const [parentId] = parentIds;
    return parentId === null || parentId === undefined ? null : this.writer.lockById(m, parentId);
  }

  /** The unit carrying `code` on `date`, not already scheduled to end. */
  private async lockCurrent(m: EntityManager, code: string, date: string): Promise<UnitRecord> {
    const unit = await this.writer.lockValidOn(m, code, date);
    if (!unit) throw UnitErrors.notFound(code, date);
    if (unit.validTo !== null) throw UnitErrors.notCurrent(code, unit.validTo);
    return unit;
  }

  /** As lockCurrent, and the date falls on or after the unit's last change (history stays in order). */
  private async lockChangeable(m: EntityManager, code: string, date: string): Promise<UnitRecord> {
    const unit = await this.lockCurrent(m, code, date);
    if (date <= unit.validFrom) throw UnitErrors.effectiveDate(code, unit.validFrom);
    if (date < unit.stateFrom) throw UnitErrors.effectiveDate(code, unit.stateFrom);
    return unit;
  }
}
