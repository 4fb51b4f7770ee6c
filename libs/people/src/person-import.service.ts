import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Policy, Principal } from '../../access/src';
import { AuditService } from '../../audit/src';
import {
  buildTemplate,
  Clock,
  FieldError,
  ImportErrors,
  normalizeVietnamesePhone,
  tableRows,
  TableColumn,
  uploadedBuffer,
} from '../../platform/src';
import { cccdProblem } from './cccd';
import { Gender } from './person.entity';
import { nameColumns } from './person-names';
import { PersonImportRepository, StagedPerson } from './person-import.repository';
import { PersonRepository } from './person.repository';
import { SEGMENTS } from './segments';

export const PEOPLE_IMPORT_MAX_ROWS = 200_000;
const GENDERS: Record<string, Gender> = { Nam: 'male', Nữ: 'female', Khác: 'other' };

export interface PeopleImportResult {
  dryRun: boolean;
  rows: number;
  /** New people (created, or that would be). */
  created: number;
  /**
   * Rows of people already registered (same CCCD, or same name, birth year, commune and phone), left as they
   * are; for an organisation's staff list, those already its members.
   */
  existing: number;
  /** An organisation's staff list: registered people without an organisation, who join it. */
  attached?: number;
  /** An organisation's staff list: registered people who belong to another organisation and stay there. */
  elsewhere?: number;
}

/**
 * Learner lists from Excel: a template with dropdowns, then an import that checks every row (with its row
 * number, column and reason), previews with dryRun, and commits all or nothing. People already registered
 * are recognised and not created again (an organisation's staff list attaches them to the organisation), so
 * importing the same file twice creates nobody the second time; likely
 * duplicates among the new people go to the review queue as for one registration.
 */
@Injectable()
export class PersonImportService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly people: PersonRepository,
    private readonly staging: PersonImportRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** Segment names (as the template offers them) and their codes: the standard ones and the programs' own. */
  private async segments(): Promise<Map<string, string>> {
    const extra = await this.people.programSegmentNames();
    return new Map(
      [...Object.entries(SEGMENTS), ...extra.map((s) => [s.code, s.name] as const)].map(([c, n]) => [n, c]),
    );
  }

  private columns(segments: Map<string, string>): TableColumn[] {
    return [
      { key: 'fullName', header: 'Họ và tên', kind: 'text', required: true, width: 28 },
      { key: 'birthDate', header: 'Ngày sinh', kind: 'date', width: 12 },
      { key: 'birthYear', header: 'Năm sinh', kind: 'integer', min: 1900, max: 2100, width: 10 },
      {
        key: 'gender',
        header: 'Giới tính',
        kind: 'choice',
        choices: Object.keys(GENDERS),
        required: true,
        width: 10,
      },
      { key: 'communeCode', header: 'Mã xã, phường', kind: 'text', required: true, width: 14 },
      {
        key: 'segment',
        header: 'Đối tượng',
        kind: 'choice',
        choices: [...segments.keys()],
        required: true,
        width: 30,
      },
      { key: 'cccd', header: 'Số CCCD', kind: 'text', width: 16 },
      { key: 'phone', header: 'Số điện thoại', kind: 'text', width: 15 },
    ];
  }

  /** The template; an organisation's staff list carries the organisation's name in its title. */
  async template(organisationName?: string): Promise<Buffer> {
    return buildTemplate({
      sheetName: organisationName ? 'Nhân sự' : 'Người học',
      title: organisationName
        ? `DANH SÁCH NHÂN SỰ — ${organisationName.toUpperCase()}`
        : 'DANH SÁCH NGƯỜI HỌC BÌNH DÂN HỌC AI',
      subtitle:
        'Mỗi người một dòng; Ngày sinh dạng dd/mm/yyyy (hoặc chỉ Năm sinh); Mã xã, phường theo danh mục.',
      columns: this.columns(await this.segments()),
      blankRows: 200,
    });
  }

  async import(
    principal: Principal,
    file: { buffer?: Buffer } | undefined,
    dryRun: boolean,
    /** An organisation's staff list: everyone joins it, wherever they live (the caller's right to it is checked). */
    options: { organisationId?: string } = {},
  ): Promise<PeopleImportResult> {
    const segmentCodes = await this.segments();
    const columns = this.columns(segmentCodes);
    // Cell problems, the row's own checks and the staged rows' checks are reported together, row by row.
    const errors: FieldError[] = [];
    const rows = await tableRows(uploadedBuffer(file), columns, { maxRows: PEOPLE_IMPORT_MAX_ROWS, errors });
    const today = this.clock.today();
    const fail = (row: number, field: string, reason: string) => errors.push({ row, field, reason });
    // Each row is checked on its own as it is read, and staged as it comes: the file is read once, and never
    // held whole in memory.
    const staged = async function* (): AsyncGenerator<StagedPerson> {
      for await (const { row, values } of rows) {
        const birthDate = (values.birthDate as string | null) ?? null;
        const birthYear = birthDate ? Number(birthDate.slice(0, 4)) : (values.birthYear as number | null);
        if (birthYear === null) fail(row, 'Năm sinh', 'cần Ngày sinh hoặc Năm sinh');
        else if (birthDate && values.birthYear !== null && values.birthYear !== birthYear)
          fail(row, 'Năm sinh', `không khớp với ngày sinh ${birthDate}`);
        if (birthDate && birthDate > today) fail(row, 'Ngày sinh', 'không được ở tương lai');
        const gender = GENDERS[String(values.gender)];
        let cccd = values.cccd ? String(values.cccd).replace(/\s/g, '') : null;
        if (cccd && birthYear !== null) {
          const problem = cccdProblem(cccd, { gender, birthYear });
          if (problem) fail(row, 'Số CCCD', problem);
          if (problem) cccd = null;
        }
        const phone = values.phone ? normalizeVietnamesePhone(String(values.phone)) : null;
        if (values.phone && !phone) fail(row, 'Số điện thoại', 'không phải số điện thoại Việt Nam hợp lệ');
        yield {
          row,
          ...nameColumns(String(values.fullName ?? '')),
          birthDate,
          birthYear: birthYear ?? 0,
          gender,
          communeId: null,
          communeCode: values.communeCode === null ? null : String(values.communeCode),
          segment: segmentCodes.get(String(values.segment)) ?? '',
          organisationId: options.organisationId ?? null,
          // Checked CCCDs only (a row without a birth year has none checked): the file's repeats are found
          // among them.
          cccd: birthYear === null ? null : cccd,
          phone,
        };
      }
    };

    // The rows go to a staging table of the transaction (COPY); the checks that need the database or the other
    // rows, the people already registered and the new people are all set-based statements from there.
    const run = async (m: EntityManager): Promise<PeopleImportResult> => {
      const count = await this.staging.stage(m, staged());
      await this.staging.resolveStagedCommunes(m);
      const params: unknown[] = [];
      const scope = options.organisationId
        ? null
        : Policy.sqlScope(principal, ['steering'], 'k.commune_path', params);
      errors.push(...(await this.staging.stagedProblems(m, scope, params)));
      if (errors.length) {
        const order = (field: string) => columns.findIndex((c) => c.header === field);
        errors.sort((a, b) => (a.row ?? 0) - (b.row ?? 0) || order(a.field) - order(b.field));
        throw ImportErrors.rows(errors.slice(0, 200), errors.length);
      }
      const existing = (await this.staging.markRegistered(m)).length;
      const result: PeopleImportResult = { dryRun, rows: count, created: count - existing, existing };
      // An organisation's staff list attaches the people already registered to it, unless they belong to
      // another organisation (its head's list, not this one's to change).
      const membership = options.organisationId
        ? await this.staging.stagedMembership(m, options.organisationId)
        : null;
      if (membership) {
        Object.assign(result, {
          existing: membership.member,
          attached: membership.free.length,
          elsewhere: membership.elsewhere,
        });
      }
      if (dryRun) return result;
      await this.staging.insertStaged(m, principal.id);
      await this.staging.flagStagedDuplicates(m);
      if (membership?.free.length) {
        const attached = await this.staging.attach(m, options.organisationId!, membership.free);
        await this.audit.recordMany(
          attached.map((person) => ({
            action: 'person.updated',
            entityType: 'person',
            entityId: person.id,
            before: { organisationId: null },
            after: { organisationId: options.organisationId },
            scopePaths: [person.communePath],
          })),
          m,
        );
      }
      await this.audit.record(
        {
          action: 'person.imported',
          entityType: 'person',
          after: result,
          scopePaths: await this.staging.stagedCommunePaths(m),
        },
        m,
      );
      return result;
    };
    return this.dataSource.transaction(run);
  }
}
