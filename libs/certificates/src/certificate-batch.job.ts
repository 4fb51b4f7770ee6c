import { Injectable } from '@nestjs/common';
import { JobContext, JobHandler, JobOutcome } from '../../jobs/src';
import { PDF_TYPE } from '../../platform/src';
import { CertificatePrintService, CLASS_BATCH_JOB } from './certificate-print.service';

/** A class's certificates as one multi-page PDF, written to the job's file page by page. */
@Injectable()
export class CertificateBatchJob implements JobHandler {
  readonly kind = CLASS_BATCH_JOB;
  readonly extension = 'pdf';

  constructor(private readonly certificates: CertificatePrintService) {}

  async run(context: JobContext): Promise<JobOutcome> {
    const classId = String(context.params.classId);
    const pages = await this.certificates.writeClassBatch(classId, context.filePath, (done, total) =>
      context.progress(done, total),
    );
    return {
      fileName: `giay-chung-nhan-lop-${classId.slice(0, 8)}.pdf`,
      fileType: PDF_TYPE,
      result: { pages },
    };
  }
}
