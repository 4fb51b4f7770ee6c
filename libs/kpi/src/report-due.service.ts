import { Injectable } from '@nestjs/common';
import { Principal } from '../../access/src';
import { addDays, Clock } from '../../platform/src';
import { ProgramRow, ProgramService } from '../../programs/src';
import { KpiUnits } from './kpi-units';
import { lastDay, parsePeriod } from './period';
import { ExpectedReportDto, MissingReportsQueryDto, OverdueReportsQueryDto, programOf } from './report.dto';
import { ReportRepository } from './report.repository';

/** Days after a period's end by which its report is due. */
export const REPORT_DUE_DAYS = 5;

/** The reporting periods of a frequency from `from` through `to` (YYYY-MM-DD), oldest first. */
export function periodsBetween(frequency: 'month' | 'quarter' | 'year', from: string, to: string): string[] {
  const codes: string[] = [];
  for (let y = Number(from.slice(0, 4)), m = Number(from.slice(5, 7)); ;) {
    const code =
      frequency === 'year'
        ? `${y}`
        : frequency === 'quarter'
          ? `${y}-Q${Math.ceil(m / 3)}`
          : `${y}-${String(m).padStart(2, '0')}`;
    if (parsePeriod(code).from > to) break;
    if (codes.at(-1) !== code) codes.push(code);
    m++;
    if (m > 12) {
      m = 1;
      y++;
    }
  }
  return codes;
}

/** Which reports a unit is still waiting for: missing for a period, or overdue since the program began. */
@Injectable()
export class ReportDueService {
  constructor(
    private readonly programs: ProgramService,
    private readonly units: KpiUnits,
    private readonly reports: ReportRepository,
    private readonly clock: Clock,
  ) {}

  /** The child units and organisations of a unit that have not submitted their report for a period. */
  async missing(principal: Principal, query: MissingReportsQueryDto): Promise<ExpectedReportDto[]> {
    const program = await this.programs.find(programOf(query));
    const unit = await this.units.resolve(principal, query.unit, ['steering', 'viewer']);
    return this.expected(program, unit.id, [query.period]);
  }

  /** Reports past their due date (period end + 5 days) and still not submitted, period by period. */
  async overdue(principal: Principal, query: OverdueReportsQueryDto): Promise<ExpectedReportDto[]> {
    const program = await this.programs.find(programOf(query));
    const unit = await this.units.resolve(principal, query.unit, ['steering', 'viewer']);
    const today = this.clock.today();
    const periods = periodsBetween(
      query.frequency,
      program.startsOn,
      program.endsOn < today ? program.endsOn : today,
    );
    return (await this.expected(program, unit.id, periods)).filter((e) => e.overdue);
  }

  private async expected(
    program: ProgramRow,
    unitId: number,
    periods: string[],
  ): Promise<ExpectedReportDto[]> {
    const today = this.clock.today();
    const dues = periods.map((p) => addDays(lastDay(parsePeriod(p)), REPORT_DUE_DAYS));
    const rows = await this.reports.expected(program.id, unitId, periods, dues);
    return rows.map((r) => ({ ...r, dueOn: String(r.dueOn), overdue: String(r.dueOn) < today }));
  }
}
