import { ProgramRow } from '../../programs/src';
import { TargetBasisDto } from './kpi.dto';
import { TargetRow } from './target.repository';
import { indicatorName, resolvedTarget } from './target.service';

/**
 * The targets of a few units for ONE period, by (unit, indicator, segment): each resolved to a number when
 * asked, against its unit's population figure or against the figure of the indicator it is a rate of.
 */
export class TargetIndex {
  private readonly byKey: Map<string, TargetRow>;

  constructor(
    private readonly program: ProgramRow,
    rows: TargetRow[],
    private readonly populations: Map<string, number | null>,
    private readonly names: Map<string, string>,
  ) {
    this.byKey = new Map(rows.map((t) => [`${t.unitId}|${t.indicator}|${t.segment}`, t]));
  }

  has(unitId: number, indicator: string, segment: string): boolean {
    return this.byKey.has(`${unitId}|${indicator}|${segment}`);
  }

  /** The segments that have a target of their own at this unit. */
  segmentsOf(unitId: number): string[] {
    return [
      ...new Set(
        [...this.byKey.values()].filter((t) => t.unitId === unitId && t.segment).map((t) => t.segment),
      ),
    ];
  }

  resolve(
    unitId: number,
    indicator: string,
    segment: string,
    actualOf: (code: string) => number,
  ): { target: number | null; targetBasis: TargetBasisDto | null } {
    const row = this.byKey.get(`${unitId}|${indicator}|${segment}`);
    if (!row) return { target: null, targetBasis: null };
    if (row.kind === 'absolute') return { target: resolvedTarget(row, null), targetBasis: null };
    const percent = Number(row.value);
    if (row.kind === 'percentage') {
      const base = this.populations.get(row.id) ?? null;
      const figure = row.populationFigure!;
      return {
        target: resolvedTarget(row, base),
        targetBasis: {
          kind: 'percentage',
          percent,
          of: `population:${figure}`,
          ofName: this.names.get(figure) ?? figure,
          base,
        },
      };
    }
    const base = actualOf(row.baseIndicator!);
    return {
      target: resolvedTarget(row, base),
      targetBasis: {
        kind: 'rate',
        percent,
        of: row.baseIndicator!,
        ofName: indicatorName(this.program, row.baseIndicator!),
        base,
      },
    };
  }
}
