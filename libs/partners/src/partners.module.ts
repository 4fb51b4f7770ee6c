import { Module, OnModuleInit } from '@nestjs/common';
import { CertificatesModule, CertificateService } from '../../certificates/src';
import { ClassesModule, CompletionService } from '../../classes/src';
import { FlagsModule } from '../../flags/src';
import { HierarchyModule } from '../../hierarchy/src';
import { JobRegistry } from '../../jobs/src';
import { KpiModule, ReportService } from '../../kpi/src';
import { PeopleModule, PersonMergeRegistry } from '../../people/src';
import { ProgramsModule } from '../../programs/src';
import { Idempotency } from './idempotency';
import { IdempotencyRepository } from './idempotency.repository';
import { LearningRepository } from './learning.repository';
import { PartnerApiController } from './partner-api.controller';
import { PartnerCallAudit } from './partner-call.audit';
import { PartnerController } from './partner.controller';
import { PartnerKeyGuard } from './partner-key.guard';
import { PartnerLearningService } from './partner-learning.service';
import { PartnerMergeStep } from './partner-merge.step';
import { PartnerPeopleService } from './partner-people.service';
import { PartnerPersonRepository } from './partner-person.repository';
import { PartnerRepository } from './partner.repository';
import { PartnerSelfService } from './partner-self.service';
import { PartnerService } from './partner.service';
import { WebhookController } from './webhook.controller';
import { WebhookDispatcher } from './webhook-dispatcher';
import { WebhookEvents } from './webhook-events';
import { WebhookEventsRepository } from './webhook-events.repository';
import { WebhookOutbox } from './webhook-outbox';
import { WebhookOutboxRepository } from './webhook-outbox.repository';
import { WebhookRepository } from './webhook.repository';
import { WebhookService } from './webhook.service';
import { XapiController } from './xapi.controller';
import { XapiActivityRepository } from './xapi-activity.repository';
import { XapiService } from './xapi.service';

/**
 * The partner API (API keys, inbound people and online learning, the xAPI adapter) and outbound webhooks.
 * Listens to completions, certificates and approved reports for webhooks; runs the delivery job.
 */
@Module({
  imports: [
    HierarchyModule,
    PeopleModule,
    ProgramsModule,
    ClassesModule,
    CertificatesModule,
    KpiModule,
    FlagsModule,
  ],
  controllers: [PartnerController, WebhookController, PartnerApiController, XapiController],
  providers: [
    PartnerRepository,
    PartnerService,
    PartnerKeyGuard,
    PartnerCallAudit,
    IdempotencyRepository,
    Idempotency,
    PartnerPersonRepository,
    PartnerPeopleService,
    LearningRepository,
    PartnerLearningService,
    PartnerSelfService,
    XapiActivityRepository,
    XapiService,
    WebhookRepository,
    WebhookOutboxRepository,
    WebhookOutbox,
    WebhookService,
    WebhookEventsRepository,
    WebhookEvents,
    WebhookDispatcher,
    PartnerMergeStep,
  ],
})
export class PartnersModule implements OnModuleInit {
  constructor(
    private readonly completion: CompletionService,
    private readonly certificates: CertificateService,
    private readonly reports: ReportService,
    private readonly jobs: JobRegistry,
    private readonly merges: PersonMergeRegistry,
    private readonly events: WebhookEvents,
    private readonly dispatcher: WebhookDispatcher,
    private readonly step: PartnerMergeStep,
  ) {}

  onModuleInit(): void {
    this.completion.listen(this.events);
    this.certificates.listen(this.events);
    this.reports.listen(this.events);
    this.jobs.register(this.dispatcher);
    this.merges.register(this.step);
  }
}
