import { Module, OnModuleInit } from '@nestjs/common';
import { AuthModule } from '../../auth/src';
import { CertificatesModule, CertificateService } from '../../certificates/src';
import { ClassesModule, ClassService, CompletionService } from '../../classes/src';
import { HierarchyModule, UnitReorgService } from '../../hierarchy/src';
import { JobRegistry } from '../../jobs/src';
import { PeopleModule, PersonMergeRegistry } from '../../people/src';
import { ProgramsModule } from '../../programs/src';
import { ContestController } from './contest.controller';
import { ContestMergeStep } from './contest-merge.step';
import { ContestService } from './contest.service';
import { ExportController } from './export.controller';
import { ExportService } from './export.service';
import { KpiController } from './kpi.controller';
import { KpiDrilldownService } from './kpi-drilldown.service';
import { KpiFactsListener } from './kpi-facts.listener';
import { KpiFactsRepository } from './kpi-facts.repository';
import { KpiFiguresRepository } from './kpi-figures.repository';
import { KpiPdf } from './kpi-pdf';
import { KpiService } from './kpi.service';
import { PlanService } from './plan.service';
import { KpiUnits } from './kpi-units';
import { KpiWorkbook } from './kpi-workbook';
import { ReportController } from './report.controller';
import { ReportService } from './report.service';
import { TargetService } from './target.service';

@Module({
  imports: [AuthModule, ClassesModule, CertificatesModule, HierarchyModule, PeopleModule, ProgramsModule],
  controllers: [KpiController, ReportController, ExportController, ContestController],
  providers: [
    KpiUnits,
    KpiFactsRepository,
    KpiFiguresRepository,
    KpiFactsListener,
    TargetService,
    KpiService,
    PlanService,
    KpiDrilldownService,
    KpiPdf,
    KpiWorkbook,
    ReportService,
    ExportService,
    ContestService,
    ContestMergeStep,
  ],
  exports: [KpiFactsRepository, KpiService, TargetService, ReportService],
})
export class KpiModule implements OnModuleInit {
  constructor(
    private readonly completion: CompletionService,
    private readonly classes: ClassService,
    private readonly certificates: CertificateService,
    private readonly reorganisations: UnitReorgService,
    private readonly jobs: JobRegistry,
    private readonly listener: KpiFactsListener,
    private readonly exports: ExportService,
    private readonly targets: TargetService,
    private readonly merges: PersonMergeRegistry,
    private readonly contestMerge: ContestMergeStep,
  ) {}

  onModuleInit(): void {
    this.completion.listen(this.listener);
    this.classes.listen(this.listener);
    this.certificates.listen(this.listener);
    this.reorganisations.onReorganised(async (m, change) => {
      await this.listener.reorganised(m);
      if (change) await this.targets.followReorganisation(m, change);
    });
    this.jobs.register(this.listener);
    this.jobs.register(this.exports);
    this.merges.register(this.contestMerge);
  }
}
