import { createWriteStream } from 'node:fs';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Principal } from '../../access/src';
import { ClassService } from '../../classes/src';
import { JobDto, JobService, toJobDto } from '../../jobs/src';
import { APP_CONFIG, AppConfig, formatDate, pdfBuffer, placeAndDate } from '../../platform/src';
import { CertificateErrors } from './certificate.errors';
import { CertificateRenderer } from './certificate-renderer';
import { CertificateRepository, CertificateRow } from './certificate.repository';
import { CertificateService } from './certificate.service';
import { CertificateFields } from './certificate-template';

/** The background job that prints a large class's certificates (CertificateBatchJob). */
export const CLASS_BATCH_JOB = 'certificates.class-batch';

/**
 * Certificates printed: one as a PDF, a class's in one PDF (at once, or by the batch job for a large class).
 * Each is drawn from the snapshot taken when it was issued, with the seal it was issued under.
 */
@Injectable()
export class CertificatePrintService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly certificates: CertificateService,
    private readonly repository: CertificateRepository,
    private readonly renderer: CertificateRenderer,
    private readonly classes: ClassService,
    private readonly jobs: JobService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async pdf(principal: Principal, id: string): Promise<{ body: Buffer; fileName: string }> {
    return this.one(await this.certificates.get(principal, id));
  }

  /** The PDF of a certificate whose holder the caller has already established (the citizens' page). */
  async holderPdf(id: string): Promise<{ body: Buffer; fileName: string }> {
    const k = await this.repository.findById(id);
    if (!k) throw CertificateErrors.notFound();
    return this.one(k);
  }

  /**
   * A class's certificates in one PDF: made at once for a class of up to CERTIFICATE_SYNC_LIMIT of them,
   * otherwise queued as a background job (whose progress the caller follows).
   */
  async classBatchOrJob(principal: Principal, classId: string): Promise<{ pdf: Buffer } | { job: JobDto }> {
    await this.classes.visible(principal, classId);
    const rows = await this.repository.validOfClass(classId);
    if (rows.length <= this.config.certificateSyncLimit) {
      const doc = this.classDocument(rows);
      await this.pages(doc, rows);
      return { pdf: await pdfBuffer(doc) };
    }
    const jobId = await this.dataSource.transaction((m) =>
      this.jobs.enqueue(m, CLASS_BATCH_JOB, { classId }, principal, rows.length),
    );
    return { job: toJobDto(await this.jobs.get(principal, jobId)) };
  }

  /** Writes a class's valid certificates, one per page in serial order, to `file`; reports each page. */
  async writeClassBatch(
    classId: string,
    file: string,
    progress: (done: number, total: number) => Promise<void>,
  ): Promise<number> {
    const rows = await this.repository.validOfClass(classId);
    const doc = this.classDocument(rows);
    const out = createWriteStream(file);
    const finished = new Promise<void>((resolve, reject) => {
      out.on('finish', resolve);
      out.on('error', reject);
      doc.on('error', reject);
    });
    doc.pipe(out);
    await this.pages(doc, rows, async (done) => {
      if (done % 25 === 0) await progress(done, rows.length);
    });
    doc.end();
    await finished;
    await progress(rows.length, rows.length);
    return rows.length;
  }

  private async one(k: CertificateRow): Promise<{ body: Buffer; fileName: string }> {
    const doc = this.renderer.document(k.template, `Giấy chứng nhận ${k.serial}`);
    await this.pages(doc, [k]);
    return { body: await pdfBuffer(doc), fileName: `giay-chung-nhan-${k.serial}.pdf` };
  }

  private classDocument(rows: CertificateRow[]): PDFKit.PDFDocument {
    return this.renderer.document(rows[0]?.template ?? 'default', 'Giấy chứng nhận — in theo lớp');
  }

  /** A page a certificate, with the seal it was issued under; a blank page when there is none. */
  private async pages(
    doc: PDFKit.PDFDocument,
    rows: CertificateRow[],
    drawn?: (done: number) => Promise<void>,
  ): Promise<void> {
    const seals = await this.repository.seals(
      rows.flatMap((k) => (k.snapshot.sealHash ? [k.snapshot.sealHash] : [])),
    );
    for (const [i, k] of rows.entries()) {
      this.renderer.page(doc, k.template, this.fields(k), seals.get(k.snapshot.sealHash ?? ''));
      await drawn?.(i + 1);
    }
    if (!rows.length) doc.addPage();
  }

  private fields(k: CertificateRow): CertificateFields {
    const s = k.snapshot;
    return {
      issuer: s.issuer,
      learnerName: s.learnerName,
      birthYear: String(s.birthYear),
      commune: s.commune,
      province: s.province ?? '',
      programName: s.programName,
      level: String(s.level),
      levelTitle: s.levelTitle,
      serial: k.serial,
      issueDate: formatDate(s.issuedOn),
      placeAndDate: placeAndDate(s.place, s.issuedOn),
      signerTitle: s.signerTitle,
      signerName: s.signerName,
      verifyUrl: this.certificates.verifyUrl(k.verificationCode),
    };
  }
}
