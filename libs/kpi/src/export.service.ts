import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { PassThrough } from 'node:stream';
import { finished } from 'node:stream/promises';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Principal } from '../../access/src';
import { UserRepository } from '../../auth/src';
import {
  JobContext,
  JobDto,
  JobErrors,
  JobHandler,
  JobOutcome,
  JobRow,
  JobService,
  toJobDto,
} from '../../jobs/src';
import { API_PREFIX, APP_CONFIG, AppConfig, PDF_TYPE, ReadReplicas, XLSX_TYPE } from '../../platform/src';
import { ProgramService } from '../../programs/src';
import { CreateExportDto, ExportFormat } from './export.dto';
import { KpiPdf } from './kpi-pdf';
import { KpiUnits } from './kpi-units';
import { EXPORT_SHEETS, KpiWorkbook, WorkbookInput } from './kpi-workbook';
import { KPI_READERS, KpiService } from './kpi.service';
import { parsePeriod, periodSlug } from './period';

export const EXPORT_JOB = 'kpi.export';

const FILE_TYPES: Record<ExportFormat, string> = { xlsx: XLSX_TYPE, pdf: PDF_TYPE };

type ExportParams = CreateExportDto & { sessionId: string };

/**
 * Official KPI workbooks (and the PDF summary): small ones are written at once and downloaded in the
 * response; larger ones — or any, when the client asks for a job — become a background job (progress in
 * rows, at most EXPORT_MAX_RUNNING at once) whose file is downloaded later.
 * The job acts for the user who asked, with their scope as it stands when it runs.
 */
@Injectable()
export class ExportService implements JobHandler {
  readonly kind = EXPORT_JOB;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly programs: ProgramService,
    private readonly units: KpiUnits,
    private readonly kpi: KpiService,
    private readonly workbook: KpiWorkbook,
    private readonly pdf: KpiPdf,
    private readonly jobs: JobService,
    private readonly users: UserRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly reads: ReadReplicas,
  ) {}

  get maxRunning(): number {
    return this.config.exportMaxRunning;
  }

  async create(
    principal: Principal,
    dto: CreateExportDto,
  ): Promise<{ file: { body: Buffer; fileName: string; fileType: string } } | { job: JobDto }> {
    const input = await this.input(principal, dto);
    const learners = input.kpi.indicators.find((d) => d.code === 'learners_reached')!.actual;
    // A summary PDF is one page or two whatever the unit: its size is one row.
    const rows = dto.format === 'pdf' ? 1 : await this.workbook.estimate({ ...input, learners });
    if (dto.delivery !== 'job' && rows <= this.config.exportSyncRows) {
      const file = { fileName: this.fileName(dto), fileType: FILE_TYPES[dto.format] };
      if (dto.format === 'pdf')
        return { file: { ...file, body: await this.pdf.document(input.kpi, input.place) } };
      const chunks: Buffer[] = [];
      const sink = new PassThrough();
      sink.on('data', (chunk: Buffer) => chunks.push(chunk));
      await this.workbook.write(input, sink);
      return { file: { ...file, body: Buffer.concat(chunks) } };
    }
    const params: ExportParams = { ...dto, sessionId: principal.sessionId };
    const id = await this.dataSource.transaction((m) =>
      this.jobs.enqueue(m, EXPORT_JOB, params as unknown as Record<string, unknown>, principal, rows),
    );
    return { job: await this.get(principal, id) };
  }

  async get(principal: Principal, id: string): Promise<JobDto> {
    const job = await this.job(principal, id);
    return {
      ...toJobDto(job),
      downloadUrl: toJobDto(job).downloadUrl && `/${API_PREFIX}/exports/${id}/file`,
    };
  }

  async file(principal: Principal, id: string) {
    await this.job(principal, id);
    return this.jobs.file(principal, id);
  }

  /** A queued export reads its figures from a replica, on behalf of the user who asked for it. */
  run(context: JobContext): Promise<JobOutcome> {
    return this.reads.run(() => this.export(context), context.createdBy);
  }

  private async export(context: JobContext): Promise<JobOutcome> {
    const params = context.params as unknown as ExportParams;
    const principal = context.createdBy
      ? await this.users.loadPrincipal(context.createdBy, params.sessionId)
      : null;
    if (!principal) throw new Error('The user who asked for the export is no longer signed in.');
    const input = await this.input(principal, params);
    const format = params.format ?? 'xlsx';
    const fileName = this.fileName(params);
    if (format === 'pdf') {
      await writeFile(context.filePath, await this.pdf.document(input.kpi, input.place));
      await context.progress(1, 1);
      return { fileName, fileType: PDF_TYPE, result: { pages: 1 } };
    }
    const out = createWriteStream(context.filePath);
    const rows = await this.workbook.write(input, out, (done) => context.progress(done));
    await finished(out);
    await context.progress(rows, rows);
    return { fileName, fileType: XLSX_TYPE, result: { rows } };
  }

  private async job(principal: Principal, id: string): Promise<JobRow> {
    const job = await this.jobs.get(principal, id);
    if (job.kind !== EXPORT_JOB) throw JobErrors.notFound();
    return job;
  }

  private async input(principal: Principal, dto: CreateExportDto): Promise<WorkbookInput> {
    const program = await this.programs.find(dto.programId);
    const unit = await this.units.resolve(principal, dto.unit, KPI_READERS, dto.unitAsOf);
    const period = parsePeriod(dto.period, program);
    const view = dto.view ?? 'recorded';
    return {
      principal,
      program,
      unit,
      period,
      view,
      kpi: await this.kpi.compute(program, unit, period, view),
      sheets: dto.sheets ?? EXPORT_SHEETS,
      place: program.certificate.place ?? unit.fullName,
    };
  }

  private fileName(dto: CreateExportDto): string {
    return `bao-cao-kpi-${dto.unit}-${periodSlug(dto.period)}.${dto.format ?? 'xlsx'}`;
  }
}
