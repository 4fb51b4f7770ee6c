import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { MergeUnitsDto, ReparentUnitDto, SplitUnitDto, UnitReorgService } from '../../hierarchy/src';
import { KpiFactsRepository } from './kpi-facts.repository';
import { KPI_VIEWS } from './kpi-view';
import { PreviewKpiDto, PreviewStateDto, PreviewUnitDto, ReorgPreviewDto } from './reorg-preview.dto';
import {
  PreviewCounts,
  PreviewUnitRow,
  ReorgPreviewRepository,
  TouchedFacts,
} from './reorg-preview.repository';

const COUNTS: (keyof PreviewCounts)[] = [
  'learnersReached',
  'completions',
  'proficientLearners',
  'classesHeld',
  'certificatesIssued',
];

interface State {
  units: Map<number, PreviewUnitRow>;
  stocks: Map<number, { people: number; classes: number; trainers: number }>;
  kpi: Map<string, PreviewCounts>;
  programs: Map<string, string>;
}

const pathIds = (path: string) => path.split('/').filter(Boolean).map(Number);

/**
 * How a merge, split or move of units would move the figures, without applying it: the change runs in a
 * transaction, the KPI facts it moves are recomputed there as the job the change queues would recompute them,
 * the figures are read inside it, and the transaction is rolled back. So the "after" column is what applying
 * gives (test/kpi/reorg-preview.e2e-spec.ts applies the change, lets the job run, and compares).
 */
@Injectable()
export class ReorgPreviewService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly reorg: UnitReorgService,
    private readonly facts: KpiFactsRepository,
    private readonly previews: ReorgPreviewRepository,
  ) {}

  merge(dto: MergeUnitsDto): Promise<ReorgPreviewDto> {
    return this.preview(
      'merge',
      dto.effectiveDate,
      [...dto.sources, dto.into.code],
      dto.sources,
      async (m) => [await this.reorg.mergeIn(m, dto)],
    );
  }

  split(code: string, dto: SplitUnitDto): Promise<ReorgPreviewDto> {
    return this.preview('split', dto.effectiveDate, [code], [code], async (m) => {
      await this.reorg.splitIn(m, code, dto);
      return dto.parts.map((p) => p.code);
    });
  }

  reparent(code: string, dto: ReparentUnitDto): Promise<ReorgPreviewDto> {
    return this.preview('reparent', dto.effectiveDate, [code, dto.parentCode], [code], async (m) => {
      await this.reorg.reparentIn(m, code, dto);
      return [code];
    });
  }

  private async preview(
    kind: ReorgPreviewDto['kind'],
    date: string,
    namedBefore: string[],
    /** The units whose records change place: what they attribute is recomputed (see `touched`). */
    subjects: string[],
    apply: (m: EntityManager) => Promise<string[]>,
  ): Promise<ReorgPreviewDto> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      const m = runner.manager;
      const named = await this.previews.validOn(m, namedBefore, date);
      const before = await this.state(m, this.withAncestors(named));
      // The facts the change can move: those of the people and records counted at the units that merge, split
      // or move (their subtrees' records count there too). Every other fact's units are neither those units nor
      // below them, before or after the change, so the job's full rebuild leaves them as they are; refreshing
      // these gives what the rebuild gives, at the cost of a commune's records rather than a province's.
      const touched = await this.previews.touched(
        m,
        named.filter((u) => subjects.includes(u.code)).map((u) => u.id),
      );
      const namedAfter = await this.previews.validOn(m, await apply(m), date);
      await this.refresh(m, touched);
      // In the order the change names them.
      const order = [...namedBefore, ...namedAfter.map((u) => u.code)];
      const namedIds = [
        ...new Set(
          [...named, ...namedAfter]
            .sort((a, b) => order.indexOf(a.code) - order.indexOf(b.code))
            .map((u) => u.id),
        ),
      ];
      // Paths after the change (a move changes them), and the ancestors on both sides.
      const now = await this.previews.byIds(m, namedIds);
      const ids = [...new Set([...this.withAncestors(named), ...this.withAncestors(now)])];
      const after = await this.state(m, ids);
      return {
        kind,
        effectiveDate: date,
        units: this.compare(namedIds, ids, before, after),
        notes: [
          'Bản xem trước: thay đổi chưa được áp dụng, chưa có gì được ghi.',
          'Số liệu KPI là lũy kế từ đầu chương trình. Theo địa bàn tại thời điểm ghi nhận, số liệu ở lại với đơn vị cũ; ' +
            'theo địa giới hiện nay, số liệu của đơn vị hết hiệu lực chuyển sang đơn vị kế thừa.',
          'Người, lớp học và giảng viên được tính theo địa giới hiện nay.',
        ],
      };
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  }

  private async refresh(m: EntityManager, touched: TouchedFacts): Promise<void> {
    await this.facts.refreshPeople(m, touched.people);
    for (const kind of new Set(touched.records.map((r) => r.kind))) {
      await this.facts.refreshRecordsOf(
        m,
        kind,
        touched.records.filter((r) => r.kind === kind),
      );
    }
  }

  private withAncestors(units: PreviewUnitRow[]): number[] {
    return [...new Set(units.flatMap((u) => [u.id, ...pathIds(u.path).reverse()]))];
  }

  private compare(named: number[], ids: number[], before: State, after: State): PreviewUnitDto[] {
    const programs = new Map([...before.programs, ...after.programs]);
    const state = (s: State, id: number): PreviewStateDto | null => {
      const unit = s.units.get(id);
      if (!unit) return null;
      const kpi: PreviewKpiDto[] = [];
      for (const [programId, programName] of programs) {
        for (const view of KPI_VIEWS) {
          const counts = s.kpi.get(`${id}|${programId}|${view}`);
          kpi.push({
            programId,
            programName,
            view,
            ...Object.fromEntries(COUNTS.map((c) => [c, counts?.[c] ?? 0])),
          } as PreviewKpiDto);
        }
      }
      return {
        current: unit.current,
        parentCode: unit.parentCode,
        ...(s.stocks.get(id) ?? { people: 0, classes: 0, trainers: 0 }),
        kpi,
      };
    };
    // The units the change names first, then their ancestors from the nearest up.
    return [...named, ...ids.filter((id) => !named.includes(id))].map((id) => {
      const unit = after.units.get(id)!;
      return {
        code: unit.code,
        fullName: unit.fullName,
        level: unit.level,
        named: named.includes(id),
        before: state(before, id),
        after: state(after, id)!,
      };
    });
  }

  private async state(m: EntityManager, ids: number[]): Promise<State> {
    const units = new Map((await this.previews.byIds(m, ids)).map((u) => [u.id, u]));
    const stocks = new Map<number, { people: number; classes: number; trainers: number }>();
    for (const r of await this.previews.stocks(m, ids)) {
      const s = stocks.get(r.unitId) ?? { people: 0, classes: 0, trainers: 0 };
      s[r.name] = r.n;
      stocks.set(r.unitId, s);
    }
    const kpiRows = await this.previews.kpi(m, ids);
    const kpi = new Map(kpiRows.map((r) => [`${r.unitId}|${r.programId}|${r.view}`, r]));
    const programs = new Map(kpiRows.map((r) => [r.programId, r.programName]));
    return { units, stocks, kpi, programs };
  }
}
