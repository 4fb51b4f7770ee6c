import { Injectable } from '@nestjs/common';
import { Principal } from '../../access/src';
import { Clock, page, Page } from '../../platform/src';
import { maskCccd, maskPhone, seesPersonalData } from '../../people/src';
import { ProgramRow, ProgramService } from '../../programs/src';
import { computePace } from '../../trainers/src';
import { PEOPLE_INDICATORS, segmentNames } from './indicators';
import { DrilldownPageDto, DrilldownQueryDto } from './kpi.dto';
import { KpiErrors } from './kpi.errors';
import { DrilldownPersonRow, DrilldownRow, KpiDrilldownRepository } from './kpi-drilldown.repository';
import { KpiUnit, KpiUnits } from './kpi-units';
import { KPI_READERS, KpiService } from './kpi.service';
import { parsePeriod, Period } from './period';

/** A person behind a people figure, as listed: personal data masked unless the caller may see it. */
export type DrilldownPerson = Omit<
  DrilldownPersonRow,
  'communeCode' | 'communeName' | 'unitPath' | 'sort_key'
> & {
  segmentName: string;
  commune: { code: string; fullName: string };
};

const withoutSortKey = ({ sort_key: _key, ...row }: DrilldownRow): DrilldownRow => row;

/**
 * The records behind any KPI figure, paginated: the same sources and the same attribution as the figure,
 * so the total always equals it. Personal data is masked unless the caller is a steering member over the
 * person's commune.
 */
@Injectable()
export class KpiDrilldownService {
  constructor(
    private readonly drilldowns: KpiDrilldownRepository,
    private readonly programs: ProgramService,
    private readonly units: KpiUnits,
    private readonly kpi: KpiService,
    private readonly clock: Clock,
  ) {}

  async drilldown(
    principal: Principal,
    programId: string,
    query: DrilldownQueryDto,
  ): Promise<DrilldownPageDto> {
    const program = await this.programs.find(programId);
    const unit = await this.units.resolve(principal, query.unit, KPI_READERS, query.unitAsOf);
    const period = parsePeriod(query.period, program);
    const code = query.indicator;
    if (!this.kpi.definitions(program).some((d) => d.code === code)) {
      throw KpiErrors.invalid([{ field: 'indicator', reason: `không có chỉ tiêu "${code}"` }]);
    }
    if (PEOPLE_INDICATORS.includes(code as never)) {
      return { kind: 'people', ...(await this.people(principal, program, unit, period, query)) };
    }
    const figure = { program, unit, period, view: query.view, code, today: this.clock.today() };
    if (code === 'trainers_on_pace') {
      // Pace is decided in code, as for the figure (a unit's trainers number in the thousands at most).
      const { kind, rows: all } = await this.drilldowns.all(figure);
      const onPace = all.filter((r) => !this.pace(program, r).behindSchedule);
      return {
        kind,
        ...page(
          onPace.slice(query.offset, query.offset + query.limit).map(withoutSortKey),
          onPace.length,
          query,
        ),
      };
    }
    const { kind, rows, total } = await this.drilldowns.page(figure, query.limit, query.offset);
    return { kind, ...page(rows.map(withoutSortKey), total, query) };
  }

  private async people(
    principal: Principal,
    program: ProgramRow,
    unit: KpiUnit,
    period: Period,
    query: DrilldownQueryDto,
  ): Promise<Page<DrilldownPerson>> {
    const segmentLabels = segmentNames(program);
    const { rows, total } = await this.drilldowns.people(
      { programId: program.id, view: query.view, unitId: unit.id, from: period.from, to: period.to },
      query.indicator,
      query.segment,
      query.limit,
      query.offset,
    );
    return page(
      rows.map(({ communeCode, communeName, unitPath, sort_key: _key, ...p }) => {
        const full = seesPersonalData(principal, { unitPath });
        return {
          ...p,
          segmentName: segmentLabels[p.segment] ?? p.segment,
          commune: { code: communeCode, fullName: communeName },
          birthDate: full ? p.birthDate : null,
          cccd: p.cccd && (full ? p.cccd : maskCccd(p.cccd)),
          phone: p.phone && (full ? p.phone : maskPhone(p.phone)),
        };
      }) as DrilldownPerson[],
      total,
      query,
    );
  }

  private pace(program: ProgramRow, row: DrilldownRow) {
    return computePace({
      quota: Number(row.quota),
      directReach: Number(row.directReach),
      lastFourWeeks: Number(row.lastFourWeeks),
      today: this.clock.today(),
      endsOn: program.endsOn,
    });
  }
}
