import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Principal } from '../../access/src';
import { PersonRepository, PersonService, SEGMENTS } from '../../people/src';
import {
  buildTemplate,
  Clock,
  DomainError,
  FieldError,
  ImportErrors,
  readTable,
  TableColumn,
  TableRow,
  uploadedBuffer,
} from '../../platform/src';
import { STATUS_WORDS } from './attendance.precedence';
import { AttendanceRepository } from './attendance.repository';
import { sessionStarted } from './attendance-marks';
import { AttendanceService } from './attendance.service';
import { sessionLabel } from './attendance-sheet.service';
import { AttendanceStatus } from './class.entities';
import { ClassRepository, ClassRow } from './class.repository';
import { ClassService } from './class.service';
import { CompletionService } from './completion.service';
import { EnrolmentRepository } from './enrolment.repository';
import { EnrolmentService } from './enrolment.service';

const STATUS_BY_WORD = new Map<string, AttendanceStatus>(
  Object.entries(STATUS_WORDS).map(([k, v]) => [v, k as AttendanceStatus]),
);
const GENDER_WORDS = { male: 'Nam', female: 'Nữ', other: 'Khác' } as const;
const GENDER_BY_WORD = new Map<string, keyof typeof GENDER_WORDS>(
  Object.entries(GENDER_WORDS).map(([k, v]) => [v, k as keyof typeof GENDER_WORDS]),
);
const SEGMENT_BY_WORD = new Map(Object.entries(SEGMENTS).map(([k, v]) => [v as string, k]));
const YES_NO = { yes: 'Có', no: 'Không' } as const;
const OUTCOME_HEADER = 'Ứng dụng được công cụ AI';

/** Person fields and the template column that holds them, for row errors. */
const FIELD_COLUMNS: Record<string, string> = {
  fullName: 'Họ và tên',
  birthYear: 'Năm sinh',
  gender: 'Giới tính',
  phone: 'Số điện thoại',
  cccd: 'Số CCCD',
  segment: 'Đối tượng',
};

export interface ImportSummary {
  dryRun: boolean;
  rows: number;
  newPeople: number;
  newEnrolments: number;
  marks: number;
  /** Outcomes ("can apply an AI tool") recorded or changed. */
  outcomes: number;
  possibleDuplicates: number;
}

class DryRun extends Error {
  constructor(readonly summary: ImportSummary) {
    super('dry run');
  }
}

/** Excel templates and imports of a class's roster, marks and outcomes. */
@Injectable()
export class ClassImportService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly classes: ClassService,
    private readonly classRows: ClassRepository,
    private readonly enrolments: EnrolmentRepository,
    private readonly enrolmentService: EnrolmentService,
    private readonly attendance: AttendanceService,
    private readonly marks: AttendanceRepository,
    private readonly people: PersonService,
    private readonly personRows: PersonRepository,
    private readonly completion: CompletionService,
    private readonly clock: Clock,
  ) {}

  private columns(c: ClassRow): TableColumn[] {
    return [
      { key: 'personId', header: 'Mã người học', kind: 'text', width: 38 },
      { key: 'fullName', header: 'Họ và tên', kind: 'text', required: true, width: 28 },
      {
        key: 'birthYear',
        header: 'Năm sinh',
        kind: 'integer',
        required: true,
        min: 1900,
        max: 2100,
        width: 10,
      },
      {
        key: 'gender',
        header: 'Giới tính',
        kind: 'choice',
        required: true,
        choices: Object.values(GENDER_WORDS),
        width: 10,
      },
      { key: 'phone', header: 'Số điện thoại', kind: 'text', width: 16 },
      { key: 'cccd', header: 'Số CCCD', kind: 'text', width: 16 },
      { key: 'segment', header: 'Đối tượng', kind: 'choice', choices: Object.values(SEGMENTS), width: 30 },
      ...c.sessions.map((s): TableColumn => ({
        key: `s${s.position}`,
        header: sessionLabel(s),
        kind: 'choice',
        choices: Object.values(STATUS_WORDS),
        width: 16,
      })),
      // The outcome after the course (counts once the learner completes).
      { key: 'canApply', header: OUTCOME_HEADER, kind: 'choice', choices: Object.values(YES_NO), width: 14 },
    ];
  }

  /** The import template of a class: its roster pre-filled, dropdowns for gender, segment and statuses. */
  async template(principal: Principal, classId: string): Promise<Buffer> {
    const c = await this.classes.manageable(principal, classId);
    const sheet = await this.attendance.sheet(principal, classId);
    const roster = await this.enrolments.ofClass(this.dataSource.manager, classId);
    const byPerson = new Map(roster.map((e) => [e.personId, e]));
    return buildTemplate({
      sheetName: 'Điểm danh',
      title: 'DANH SÁCH HỌC VIÊN VÀ ĐIỂM DANH',
      subtitle: `${c.title} — ${c.unitName}`,
      columns: this.columns(c),
      rows: sheet.rows
        .filter((r) => r.status !== 'withdrawn')
        .map((r) => {
          const e = byPerson.get(r.person.id)!;
          const values: Record<string, string | number | null> = {
            personId: r.person.id,
            fullName: r.person.fullName,
            birthYear: r.person.birthYear,
            gender: GENDER_WORDS[e.gender as keyof typeof GENDER_WORDS],
            phone: e.phone,
            cccd: e.cccd,
            segment: SEGMENTS[e.segment as keyof typeof SEGMENTS] ?? null,
          };
          for (const s of c.sessions)
            values[`s${s.position}`] = r.marks[s.id] ? STATUS_WORDS[r.marks[s.id]!] : null;
          values.canApply = e.outcomeCanApply === null ? null : e.outcomeCanApply ? YES_NO.yes : YES_NO.no;
          return values;
        }),
      blankRows: Math.max(0, c.capacity - c.enrolledCount),
    });
  }

  /**
   * Imports enrolments and marks from the class template. Every row is checked; new learners go through the
   * people module's rules (duplicates included). A dry run does all of it inside a transaction that is then
   * rolled back, so the preview is exactly what a commit would do; a commit writes all or nothing.
   */
  async import(
    principal: Principal,
    classId: string,
    file: { buffer?: Buffer } | undefined,
    dryRun: boolean,
  ): Promise<ImportSummary> {
    const c = await this.classes.manageable(principal, classId);
    const rows = await readTable(uploadedBuffer(file), this.columns(c), { maxRows: 2000 });
    try {
      return await this.dataSource.transaction(async (m) => {
        const summary = await this.apply(m, principal, c, rows, dryRun);
        if (dryRun) throw new DryRun(summary);
        return summary;
      });
    } catch (error) {
      if (error instanceof DryRun) return error.summary;
      throw error;
    }
  }

  private async apply(
    m: EntityManager,
    principal: Principal,
    c: ClassRow,
    rows: TableRow[],
    dryRun: boolean,
  ): Promise<ImportSummary> {
    const summary: ImportSummary = {
      dryRun,
      rows: rows.length,
      newPeople: 0,
      newEnrolments: 0,
      marks: 0,
      outcomes: 0,
      possibleDuplicates: 0,
    };
    const errors: FieldError[] = [];
    const roster = new Map((await this.enrolments.ofClass(m, c.id)).map((e) => [e.personId, e]));
    const marks: { sessionId: string; personId: string; status: AttendanceStatus }[] = [];
    const outcomes: { personId: string; canApply: boolean }[] = [];
    const seen = new Set<string>();
    const at = this.clock.now();
    // New learners live in the class's commune — or, for a class of an earlier map, in the commune it is today.
    const residence = await this.classRows.currentUnitCode(m, c.unitId);
    for (const row of rows) {
      const v = row.values;
      let personId = v.personId ? String(v.personId) : null;
      try {
        if (personId && !roster.has(personId)) {
          errors.push({ row: row.row, field: 'Mã người học', reason: 'không có trong danh sách lớp' });
          continue;
        }
        if (!personId) {
          const cccd = v.cccd ? String(v.cccd).replace(/\s/g, '') : undefined;
          const existing = cccd ? await this.personRows.livingIdByCccd(m, cccd) : undefined;
          if (existing) personId = existing.id;
          else {
            const created = await this.people.create(
              principal,
              {
                fullName: String(v.fullName),
                birthYear: Number(v.birthYear),
                gender: GENDER_BY_WORD.get(String(v.gender)) ?? 'other',
                communeCode: residence,
                segment: v.segment ? SEGMENT_BY_WORD.get(String(v.segment))! : (c.targetSegment ?? 'other'),
                phone: v.phone ? String(v.phone) : undefined,
                cccd,
              },
              m,
            );
            personId = created.id;
            summary.newPeople++;
            summary.possibleDuplicates += created.possibleDuplicates.length;
          }
          if (!roster.has(personId)) {
            await this.enrolmentService.enrolIn(m, principal, c, { personId });
            summary.newEnrolments++;
            roster.set(
              personId,
              (await this.enrolments.ofClass(m, c.id)).find((e) => e.personId === personId)!,
            );
          }
        }
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        const fieldErrors = error.errors.length
          ? error.errors
          : [{ field: 'Họ và tên', reason: error.message }];
        for (const e of fieldErrors)
          errors.push({ row: row.row, field: FIELD_COLUMNS[e.field] ?? e.field, reason: e.reason });
        continue;
      }
      if (seen.has(personId)) {
        errors.push({ row: row.row, field: 'Họ và tên', reason: 'người này đã có ở một dòng khác' });
        continue;
      }
      seen.add(personId);
      for (const s of c.sessions) {
        const word = v[`s${s.position}`];
        if (!word) continue;
        if (sessionStarted(s, at))
          marks.push({ sessionId: s.id, personId, status: STATUS_BY_WORD.get(String(word))! });
        else errors.push({ row: row.row, field: sessionLabel(s), reason: 'buổi học chưa diễn ra' });
      }
      if (v.canApply) outcomes.push({ personId, canApply: v.canApply === YES_NO.yes });
    }
    if (errors.length) throw ImportErrors.rows(errors.slice(0, 200), errors.length);
    // Outcomes first: the marks' completion and KPI refresh below read them.
    for (const o of outcomes) {
      const e = roster.get(o.personId)!;
      if (e.outcomeCanApply === o.canApply) continue;
      await this.enrolments.setOutcome(
        m,
        e.id,
        o.canApply,
        e.outcomeScore === null ? null : Number(e.outcomeScore),
      );
      summary.outcomes++;
    }
    // The file carries the marks it was downloaded with: a cell that still says what is stored is not a new
    // mark, and is not written again (it would take the provenance of the mark it echoes).
    const stored = new Map(
      (await this.marks.ofClass(m, c.id)).map((k) => [`${k.sessionId}|${k.personId}`, k.status]),
    );
    const changed = marks.filter((k) => stored.get(`${k.sessionId}|${k.personId}`) !== k.status);
    summary.marks = changed.length;
    await this.attendance.write(m, c, changed, {
      method: 'import',
      by: principal.id,
      at,
      action: 'attendance.imported',
      extra: { summary },
    });
    // Outcomes of learners whose marks did not change still change what the KPI counts.
    const marked = new Set(changed.map((k) => k.personId));
    await this.completion.learnersChanged(
      m,
      outcomes.filter((o) => !marked.has(o.personId)).map((o) => ({ classId: c.id, personId: o.personId })),
    );
    return summary;
  }
}
