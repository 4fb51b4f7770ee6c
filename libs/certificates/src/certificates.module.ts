import { Module, OnModuleInit } from '@nestjs/common';
import { ClassesModule, CompletionService } from '../../classes/src';
import { JobRegistry } from '../../jobs/src';
import { PeopleModule, PersonMergeRegistry } from '../../people/src';
import { CertificateBatchJob } from './certificate-batch.job';
import { CertificateController } from './certificate.controller';
import { CertificateMergeStep } from './certificate-merge.step';
import { CertificateRenderer } from './certificate-renderer';
import { CertificateSignerController } from './certificate-signer.controller';
import { CertificateSignerRepository } from './certificate-signer.repository';
import { CertificateSignerService } from './certificate-signer.service';
import { CertificateRepository } from './certificate.repository';
import { CertificatePrintService } from './certificate-print.service';
import { CertificateService } from './certificate.service';
import { CertificateTemplates } from './certificate-template';
import { ClassCertificatesController } from './class-certificates.controller';
import { VerifyController } from './verify.controller';
import { CredentialController } from './credential.controller';
import { CredentialKeys } from './credential-keys';
import { OpenBadgeRepository } from './open-badge.repository';
import { OpenBadgeService } from './open-badge.service';

@Module({
  imports: [ClassesModule, PeopleModule],
  controllers: [
    CertificateController,
    CertificateSignerController,
    ClassCertificatesController,
    CredentialController,
    VerifyController,
  ],
  providers: [
    CertificateTemplates,
    CertificateRenderer,
    CertificateRepository,
    CertificateService,
    CertificatePrintService,
    CertificateSignerRepository,
    CertificateSignerService,
    CertificateBatchJob,
    CertificateMergeStep,
    CredentialKeys,
    OpenBadgeRepository,
    OpenBadgeService,
  ],
  exports: [
    CertificateService,
    CertificatePrintService,
    CertificateRenderer,
    CertificateTemplates,
    OpenBadgeService,
  ],
})
export class CertificatesModule implements OnModuleInit {
  constructor(
    private readonly completion: CompletionService,
    private readonly certificates: CertificateService,
    private readonly jobs: JobRegistry,
    private readonly batch: CertificateBatchJob,
    private readonly merges: PersonMergeRegistry,
    private readonly merge: CertificateMergeStep,
  ) {}

  onModuleInit(): void {
    this.completion.listen(this.certificates);
    this.jobs.register(this.batch);
    this.merges.register(this.merge);
  }
}
