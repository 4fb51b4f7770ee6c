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
  readTable,
  TableColumn,
  uploadedBuffer,
} from '../../platform/src';
import { cccdProblem } from './cccd';
import { Gender } from './person.entity';
import { nameColumns } from './person-names';
import { PersonRepository, PersonWrite } from './person.repository';
import { SEGMENTS } from './segments';

export const PEOPLE_IMPORT_MAX_ROWS = 200_000;
const GENDERS: Record<string, Gender> = { Nam: 'male', Nữ: 'female', Khác: 'other' };

export interface PeopleImportResult {
  dryRun: boolean;
  rows: number;
  /** New people (created, or that would be). */
  created: number;
  /** Rows of people already registered (same CCCD, or same name, birth year, commune and phone): skipped. */
  existing: number;
}

interface Candidate {
  row: number;
  write: PersonWrite;
}

/**
 * Learner lists from Excel: a template with dropdowns, then an import that checks every row (with its row
 * number, column and reason), previews with dryRun, and commits all or nothing. People already registered
 * are recognised and skipped, so importing the same file twice creates nobody the second time; likely
 * duplicates among the new people go to the review queue as for one registration.
 */
@Injectable()
export class PersonImportService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly people: PersonRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** Segment names (as the template offers them) and their codes: the standard ones and the programs' own. */
  private async segments(): Promise<Map<string, string>> {
    const extra: { code: string; name: string }[] = await this.dataSource.query(
      `SELECT DISTINCT s ->> 'code' AS code, s ->> 'name' AS name FROM program, jsonb_array_elements(extra_segments) s`,
    );
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

  async template(): Promise<Buffer> {
    return buildTemplate({
      sheetName: 'Người học',
      title: 'DANH SÁCH NGƯỜI HỌC BÌNH DÂN HỌC AI',
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
  ): Promise<PeopleImportResult> {
    const segmentCodes = await this.segments();
    // Cell problems and the checks below are reported together, row by row.
    const errors: FieldError[] = [];
    const rows = await readTable(uploadedBuffer(file), this.columns(segmentCodes), {
      maxRows: PEOPLE_IMPORT_MAX_ROWS,
      errors,
    });
    const badCells = new Set(errors.map((e) => e.row));
    const known: { code: string; id: number; path: string }[] = await this.dataSource.query(
      `SELECT code, id, path FROM admin_unit WHERE level = 'commune' AND valid_to IS NULL AND code = ANY ($1::text[])`,
      [[...new Set(rows.map((r) => String(r.values.communeCode)))]],
    );
    const communes = new Map(known.map((c) => [c.code, c]));
    const today = this.clock.today();
    const fail = (row: number, field: string, reason: string) => errors.push({ row, field, reason });
    const firstRowOfCccd = new Map<string, number>();
    const candidates: Candidate[] = [];
    for (const { row, values } of rows) {
      const birthDate = (values.birthDate as string | null) ?? null;
      const birthYear = birthDate ? Number(birthDate.slice(0, 4)) : (values.birthYear as number | null);
      if (birthYear === null) fail(row, 'Năm sinh', 'cần Ngày sinh hoặc Năm sinh');
      else if (birthDate && values.birthYear !== null && values.birthYear !== birthYear)
        fail(row, 'Năm sinh', `không khớp với ngày sinh ${birthDate}`);
      if (birthDate && birthDate > today) fail(row, 'Ngày sinh', 'không được ở tương lai');
      const commune = communes.get(String(values.communeCode));
      if (!commune) fail(row, 'Mã xã, phường', `${values.communeCode} không phải xã, phường hiện hành`);
      else if (!Policy.covers(principal, ['steering'], commune.path))
        fail(row, 'Mã xã, phường', `${values.communeCode} nằm ngoài phạm vi được phân quyền`);
      const gender = GENDERS[String(values.gender)];
      const cccd = values.cccd ? String(values.cccd).replace(/\s/g, '') : null;
      if (cccd && birthYear !== null) {
        const problem = cccdProblem(cccd, { gender, birthYear });
        if (problem) fail(row, 'Số CCCD', problem);
        else if (firstRowOfCccd.has(cccd)) fail(row, 'Số CCCD', `trùng với dòng ${firstRowOfCccd.get(cccd)}`);
        else firstRowOfCccd.set(cccd, row);
      }
      const phone = values.phone ? normalizeVietnamesePhone(String(values.phone)) : null;
      if (values.phone && !phone) fail(row, 'Số điện thoại', 'không phải số điện thoại Việt Nam hợp lệ');
      if (!commune || birthYear === null || badCells.has(row)) continue;
      candidates.push({
        row,
        write: {
          ...nameColumns(String(values.fullName)),
          birthDate,
          birthYear,
          gender,
          communeId: commune.id,
          segment: segmentCodes.get(String(values.segment))!,
          organisationId: null,
          cccd,
          phone,
        },
      });
    }
    if (errors.length) {
      errors.sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
      throw ImportErrors.rows(errors.slice(0, 200), errors.length);
    }

    // The checked rows go to a staging table of the transaction (COPY); duplicates of registered people are
    // found and the new people written from there, one statement each.
    const run = async (m: EntityManager): Promise<PeopleImportResult> => {
      await this.people.stage(
        m,
        candidates.map((c) => c.write),
      );
      const existing = (await this.people.markRegistered(m)).length;
      const result = { dryRun, rows: rows.length, created: candidates.length - existing, existing };
      if (dryRun) return result;
      const ids = await this.people.insertStaged(m, principal.id);
      await this.flagDuplicates(m, ids);
      await this.audit.record(
        {
          action: 'person.imported',
          entityType: 'person',
          after: result,
          scopePaths: [...new Set([...communes.values()].map((c) => c.path))],
        },
        m,
      );
      return result;
    };
    return this.dataSource.transaction(run);
  }

  /** The review queue for the new people: same name, birth year and commune, or the same phone, as anyone. */
  private async flagDuplicates(m: EntityManager, ids: string[]): Promise<void> {
    for (let start = 0; start < ids.length; start += 10_000) {
      await m.query(
        `INSERT INTO person_duplicate (person_id, other_person_id, reason)
         SELECT least(n.id, o.id), greatest(n.id, o.id), x.reason
           FROM person n
           JOIN LATERAL (
             SELECT o.id, 'same_name' AS reason FROM person o
              WHERE o.name_key = n.name_key AND o.birth_year = n.birth_year AND o.commune_id = n.commune_id
                AND o.id <> n.id AND o.merged_into_id IS NULL
             UNION ALL
             SELECT o.id, 'same_phone' FROM person o
              WHERE n.phone IS NOT NULL AND o.phone = n.phone AND o.id <> n.id AND o.merged_into_id IS NULL
             LIMIT 20) x ON true
           JOIN person o ON o.id = x.id
          WHERE n.id = ANY ($1::uuid[])
         ON CONFLICT (person_id, other_person_id, reason) DO NOTHING`,
        [ids.slice(start, start + 10_000)],
      );
    }
  }
}
