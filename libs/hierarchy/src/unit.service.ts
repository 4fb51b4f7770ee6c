import { Injectable } from '@nestjs/common';
import { Clock, foldVietnamese, Page, page } from '../../platform/src';
import { ListUnitsQueryDto, SearchUnitsQueryDto, UnitDetailDto, UnitDto, UnitListItemDto } from './unit.dto';
import { UnitErrors } from './unit.errors';
import { toUnitDto } from './unit.mapper';
import { UnitRepository, UnitState } from './unit.repository';

/** Reading the administrative tree, today or as of any date. */
@Injectable()
export class UnitService {
  constructor(
    private readonly units: UnitRepository,
    private readonly clock: Clock,
  ) {}

  /**
   * The unit with this code on `asOf`. Without a date, today's unit — or, for a code no unit carries today,
   * the last unit that did, as it stood on its last day (so old codes still lead to their successors).
   */
  async resolve(code: string, asOf?: string): Promise<{ unit: UnitState; date: string }> {
    const date = asOf ?? this.clock.today();
    const unit = await this.units.findByCode(code, date);
    if (unit) return { unit, date };
    if (!asOf) {
      const latest = await this.units.latestByCode(code);
      const lastDay = latest?.lastDay;
      const past = latest && lastDay ? await this.units.findById(latest.id, lastDay) : null;
      if (past && lastDay) return { unit: past, date: lastDay };
    }
    throw UnitErrors.notFound(code, asOf);
  }

  async list(query: ListUnitsQueryDto): Promise<Page<UnitListItemDto>> {
    const date = query.asOf ?? this.clock.today();
    const parent = query.parent ? (await this.resolve(query.parent, date)).unit : null;
    const { rows, total } = await this.units.listChildren(
      parent?.id ?? null,
      date,
      query.limit,
      query.offset,
    );
    return page(
      rows.map((row) => ({ ...toUnitDto(row), childCount: row.childCount })),
      total,
      query,
    );
  }

  async get(code: string, asOf?: string): Promise<UnitDetailDto> {
    const { unit, date } = await this.resolve(code, asOf);
    const [ancestors, childCount, predecessors, successors] = await Promise.all([
      this.units.ancestors(unit.id, date),
      this.units.countChildren(unit.id, date),
      this.units.predecessors(unit.id),
      this.units.successors(unit.id),
    ]);
    return {
      ...toUnitDto(unit),
      ancestors: ancestors.map(toUnitDto),
      childCount,
      predecessors,
      successors,
      asOf: date,
    };
  }

  async search(query: SearchUnitsQueryDto): Promise<Page<UnitDto>> {
    const folded = foldVietnamese(query.q);
    const words = folded.split(' ').filter(Boolean);
    if (!words.length) return page([], 0, query);
    const date = query.asOf ?? this.clock.today();
    const within = query.within ? (await this.resolve(query.within)).unit : null;
    const { rows, total } = await this.units.search({
      // Every word of the query starts a word of the name: "dong hy" finds "Xã Đồng Hỷ".
      patterns: words.map((word) => `% ${word}%`),
      folded,
      date,
      level: query.level,
      withinPath: within?.path,
      limit: query.limit,
      offset: query.offset,
    });
    return page(rows.map(toUnitDto), total, query);
  }
}
