import { Injectable } from '@nestjs/common';
import { AccessErrors, Policy, Principal } from '../../access/src';
import { OrganisationRepository } from '../../hierarchy/src';
import { addDays, Clock } from '../../platform/src';
import { ProgramService } from '../../programs/src';
import { OrganisationFiguresDto, OrganisationFiguresQueryDto } from './organisation-figures.dto';
import { KpiErrors } from './kpi.errors';
import { parsePeriod } from './period';
import { RecordFiguresRepository } from './record-figures.repository';
import { ReportRepository } from './report.repository';

/**
 * An organisation's own figures, for its head (and for steering members and viewers over its unit): its people
 * trained, completed, proficient, against the headcount it last reported — nothing of any other organisation.
 */
@Injectable()
export class OrganisationFiguresService {
  constructor(
    private readonly reports: ReportRepository,
    private readonly organisations: OrganisationRepository,
    private readonly programs: ProgramService,
    private readonly records: RecordFiguresRepository,
    private readonly clock: Clock,
  ) {}

  async figures(
    principal: Principal,
    id: string,
    query: OrganisationFiguresQueryDto,
  ): Promise<OrganisationFiguresDto> {
    const organisation = await this.organisations.findById(id);
    if (!organisation) throw KpiErrors.organisationNotFound();
    const allowed =
      Policy.organisations(principal).includes(organisation.id) ||
      Policy.covers(principal, ['steering', 'viewer'], organisation.unitPath);
    if (!allowed) throw AccessErrors.outOfScope();
    const program = await this.programs.find(query.programId);
    const today = this.clock.today();
    const end = query.period ? parsePeriod(query.period).to : addDays(today, 1);
    const until = end < addDays(today, 1) ? end : addDays(today, 1);
    const figures = await this.records.figures(program.id, until, { organisationId: organisation.id });
    const latest = await this.reports.latestApproved(program.id, organisation.id);
    return {
      organisationId: organisation.id,
      organisationName: organisation.name,
      unit: { code: organisation.unitCode, fullName: organisation.unitName },
      programId: program.id,
      period: query.period ?? null,
      asOf: addDays(until, -1),
      figures,
      latestApproved: latest ?? null,
    };
  }
}
