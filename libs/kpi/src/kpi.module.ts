import { Module, OnModuleInit } from '@nestjs/common';
import { AuthModule } from '../../auth/src';
import { CertificatesModule, CertificateService } from '../../certificates/src';
import { ClassesModule, ClassService, CompletionService } from '../../classes/src';
import { HierarchyModule, UnitReorgService } from '../../hierarchy/src';
import { JobRegistry } from '../../jobs/src';
import { PeopleModule, PersonMergeRegistry } from '../../people/src';
import { ProgramsModule } from '../../programs/src';
import { ConsolidatedReport } from './consolidated-report';
import { ContestController } from './contest.controller';
import { ContestMergeStep } from './contest-merge.step';
import { ContestRepository } from './contest.repository';
import { ContestService } from './contest.service';
import { ExportController } from './export.controller';
import { ExportService } from './export.service';
import { KpiController } from './kpi.controller';
import { KpiDrilldownRepository } from './kpi-drilldown.repository';
import { KpiDrilldownService } from './kpi-drilldown.service';
import { KpiFactsListener } from './kpi-facts.listener';
import { KpiFactsRepository } from './kpi-facts.repository';
import { KpiFiguresRepository } from './kpi-figures.repository';
import { KpiPdf } from './kpi-pdf';
import { KpiService } from './kpi.service';
import { PlanService } from './plan.service';
import { PopulationFiguresRepository } from './population-figures.repository';
import { KpiUnitRepository } from './kpi-unit.repository';
import { KpiUnits } from './kpi-units';
import { KpiWorkbook } from './kpi-workbook';
import { KpiWorkbookRepository } from './kpi-workbook.repository';
import { ReportController } from './report.controller';
import { ReorgPreviewController } from './reorg-preview.controller';
import { ReorgPreviewRepository } from './reorg-preview.repository';
import { ReorgPreviewService } from './reorg-preview.service';
import { OrganisationFiguresController } from './organisation-figures.controller';
import { OrganisationFiguresService } from './organisation-figures.service';
import { RecordFiguresRepository } from './record-figures.repository';
import { ReportChains } from './report-chain';
import { ReportDueService } from './report-due.service';
import { ReportPdf } from './report-pdf';
import { ReportRepository } from './report.repository';
import { ReportService } from './report.service';
import { TargetRepository } from './target.repository';
import { TargetReorganisation } from './target-reorganisation';
import { TargetSplitService } from './target-split.service';
import { TargetService } from './target.service';

@Module({
  imports: [AuthModule, ClassesModule, CertificatesModule, HierarchyModule, PeopleModule, ProgramsModule],
  controllers: [
    KpiController,
    ReportController,
    ExportController,
    ContestController,
    OrganisationFiguresController,
    ReorgPreviewController,
  ],
  providers: [
    KpiUnitRepository,
    KpiUnits,
    KpiFactsRepository,
    KpiFiguresRepository,
    KpiFactsListener,
    TargetRepository,
    PopulationFiguresRepository,
    TargetService,
    TargetSplitService,
    TargetReorganisation,
    KpiService,
    PlanService,
    KpiDrilldownRepository,
    KpiDrilldownService,
    KpiPdf,
    KpiWorkbook,
    KpiWorkbookRepository,
    ReportRepository,
    ReportChains,
    ReportService,
    ReportDueService,
    RecordFiguresRepository,
    ReportPdf,
    ConsolidatedReport,
    OrganisationFiguresService,
    ExportService,
    ContestRepository,
    ContestService,
    ContestMergeStep,
    ReorgPreviewRepository,
    ReorgPreviewService,
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
    private readonly targets: TargetReorganisation,
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
