import type { EntityManager } from 'typeorm';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AccessErrors, Policy, Principal } from '../../access/src';
import { AuditService } from '../../audit/src';
import { UnitRepository, UnitState } from '../../hierarchy/src';
import { SEGMENTS } from '../../people/src';
import {
  addDays,
  Clock,
  FieldError,
  formatDate,
  Page,
  page,
  projectRoot,
  vnStartOfDay,
} from '../../platform/src';
import {
  CreateMaterialDto,
  CreateProgramDto,
  LevelDto,
  ListMaterialsQueryDto,
  ListProgramsQueryDto,
  MaterialDto,
  ProgramDto,
  UpdateProgramDto,
} from './program.dto';
import { ProgramErrors } from './program.errors';
import { MaterialRow, ProgramRepository, ProgramRow, ProgramWrite } from './program.repository';

/** The curriculum of "Bình dân học AI": five levels of short lessons, used when a program names none. */
export const DEFAULT_LEVELS: LevelDto[] = [
  {
    level: 1,
    title: 'Làm quen với trí tuệ nhân tạo',
    description: 'AI là gì, dùng an toàn, bảo vệ thông tin cá nhân',
  },
  {
    level: 2,
    title: 'Trò chuyện với trợ lý AI',
    description: 'Đặt câu hỏi, viết yêu cầu rõ ràng, kiểm tra câu trả lời',
  },
  {
    level: 3,
    title: 'AI trong công việc hằng ngày',
    description: 'Soạn văn bản, tóm tắt, dịch, lập kế hoạch',
  },
  {
    level: 4,
    title: 'AI cho sản xuất, kinh doanh',
    description: 'Nông nghiệp, bán hàng trực tuyến, chăm sóc khách hàng',
  },
  {
    level: 5,
    title: 'Lan tỏa: hướng dẫn người khác',
    description: 'Tổ chức lớp học, hỗ trợ người mới bắt đầu',
  },
];

export function toProgramDto(row: ProgramRow): ProgramDto {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    ownerUnit: { code: row.ownerUnitCode, fullName: row.ownerUnitName },
    startsOn: row.startsOn,
    endsOn: row.endsOn,
    defaultQuota: row.defaultQuota,
    completionRule:
      row.completionMinSessions !== null
        ? { minSessions: row.completionMinSessions }
        : { minShare: Number(row.completionMinShare) },
    phases: row.phases,
    levels: row.levels,
    extraSegments: row.extraSegments,
    segments: [...Object.entries(SEGMENTS).map(([code, name]) => ({ code, name })), ...row.extraSegments],
    reportedIndicators: row.reportedIndicators,
    reportApprovalLevels: row.reportApprovalLevels,
    materialCount: row.materialCount,
    certificate: row.certificate,
  };
}

@Injectable()
export class ProgramService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly programs: ProgramRepository,
    private readonly units: UnitRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** `m` inside a transaction (on the embedded database it holds the only connection). */
  async find(id: string, m?: EntityManager): Promise<ProgramRow> {
    const row = await this.programs.findById(id, m);
    if (!row) throw ProgramErrors.notFound();
    return row;
  }

  async list(query: ListProgramsQueryDto): Promise<Page<ProgramDto>> {
    const unit = query.unit ? await this.units.findByCode(query.unit, this.clock.today()) : null;
    if (query.unit && !unit) return page([], 0, query);
    const { rows, total } = await this.programs.list(unit?.path ?? null, query.limit, query.offset);
    return page(rows.map(toProgramDto), total, query);
  }

  async get(id: string): Promise<ProgramDto> {
    return toProgramDto(await this.find(id));
  }

  /**
   * Administrators, and steering members of the owning unit's subtree on today's map, run a program: for a
   * program of an ended unit (a district before 1 July 2025), the subtree of the units it became.
   */
  assertCanManage(principal: Principal, program: Pick<ProgramRow, 'ownerScopePath'>): void {
    if (!Policy.covers(principal, ['steering'], program.ownerScopePath)) throw AccessErrors.outOfScope();
  }

  /**
   * The unit that owns a new program: the unit carrying the code when the program starts, if it lasts the whole
   * program (the old Văn Yên district for a 2024 plan, though code 136 names no unit today), otherwise today's.
   */
  private async owner(dto: CreateProgramDto): Promise<UnitState | null> {
    const atStart = await this.units.findByCode(dto.ownerUnitCode, dto.startsOn);
    if (atStart && (atStart.validTo === null || dto.endsOn < atStart.validTo)) return atStart;
    return (await this.units.findByCode(dto.ownerUnitCode, this.clock.today())) ?? atStart;
  }

  async create(principal: Principal, dto: CreateProgramDto): Promise<ProgramDto> {
    const owner = await this.owner(dto);
    const problems = this.problems(dto);
    if (!owner) problems.push({ field: 'ownerUnitCode', reason: `không có đơn vị mã ${dto.ownerUnitCode}` });
    else problems.push(...ownerProblems(owner, dto));
    if (problems.length) throw ProgramErrors.invalid(problems);
    const scopePath = await this.units.scopePath(owner!.id);
    this.assertCanManage(principal, { ownerScopePath: scopePath });
    const write = this.toWrite(dto, owner!.id);
    const id = await this.dataSource.transaction(async (m) => {
      if (await this.programs.codeTaken(m, dto.code)) throw ProgramErrors.codeTaken(dto.code);
      const programId = await this.programs.insert(m, write);
      await this.programs.replacePhases(m, programId, dto.phases ?? []);
      await this.programs.replaceLevels(m, programId, dto.levels ?? DEFAULT_LEVELS);
      const created = (await this.programs.findById(programId, m))!;
      await this.audit.record(
        {
          action: 'program.created',
          entityType: 'program',
          entityId: programId,
          after: toProgramDto(created),
          scopePaths: [scopePath],
        },
        m,
      );
      return programId;
    });
    return this.get(id);
  }

  async update(principal: Principal, id: string, dto: UpdateProgramDto): Promise<ProgramDto> {
    const before = await this.find(id);
    this.assertCanManage(principal, before);
    const merged: CreateProgramDto = {
      code: before.code,
      ownerUnitCode: before.ownerUnitCode,
      name: dto.name ?? before.name,
      startsOn: dto.startsOn ?? before.startsOn,
      endsOn: dto.endsOn ?? before.endsOn,
      defaultQuota: dto.defaultQuota ?? before.defaultQuota,
      completionRule: dto.completionRule ?? toProgramDto(before).completionRule,
      phases: dto.phases ?? before.phases,
      levels: dto.levels ?? before.levels,
      extraSegments: dto.extraSegments ?? before.extraSegments,
      reportedIndicators: dto.reportedIndicators ?? before.reportedIndicators,
      reportApprovalLevels:
        dto.reportApprovalLevels === undefined ? before.reportApprovalLevels : dto.reportApprovalLevels,
      certificate: { ...withoutNulls(before.certificate), ...dto.certificate },
    };
    const problems = this.problems(merged);
    problems.push(
      ...ownerProblems(
        {
          code: before.ownerUnitCode,
          fullName: before.ownerUnitName,
          validFrom: before.ownerValidFrom,
          validTo: before.ownerValidTo,
        },
        merged,
      ),
    );
    if (problems.length) throw ProgramErrors.invalid(problems);
    await this.dataSource.transaction(async (m) => {
      await this.programs.update(m, id, this.toWrite(merged, before.ownerUnitId));
      if (dto.phases) await this.programs.replacePhases(m, id, dto.phases);
      if (dto.levels) await this.programs.replaceLevels(m, id, dto.levels);
      const after = (await this.programs.findById(id, m))!;
      await this.audit.record(
        {
          action: 'program.updated',
          entityType: 'program',
          entityId: id,
          before: toProgramDto(before),
          after: toProgramDto(after),
          scopePaths: [before.ownerScopePath],
        },
        m,
      );
    });
    return this.get(id);
  }

  async addMaterial(principal: Principal, id: string, dto: CreateMaterialDto): Promise<MaterialDto> {
    const program = await this.find(id);
    this.assertCanManage(principal, program);
    const { publishedOn, ...material } = dto;
    if (publishedOn && publishedOn > this.clock.today()) {
      throw ProgramErrors.invalid([{ field: 'publishedOn', reason: 'không được ở tương lai' }]);
    }
    const materialId = await this.dataSource.transaction(async (m) => {
      const created = await this.programs.insertMaterial(
        m,
        id,
        material,
        principal.id,
        publishedOn ? vnStartOfDay(publishedOn) : undefined,
      );
      await this.audit.record(
        {
          action: 'material.published',
          entityType: 'learning_material',
          entityId: created,
          after: dto,
          scopePaths: [program.ownerScopePath],
        },
        m,
      );
      return created;
    });
    const { rows } = await this.programs.materials(id, dto.level, 500, 0);
    return toMaterialDto(rows.find((r) => r.id === materialId)!);
  }

  async materials(id: string, query: ListMaterialsQueryDto): Promise<Page<MaterialDto>> {
    await this.find(id);
    const { rows, total } = await this.programs.materials(id, query.level, query.limit, query.offset);
    return page(rows.map(toMaterialDto), total, query);
  }

  private problems(dto: CreateProgramDto): FieldError[] {
    const problems: FieldError[] = [];
    if (dto.endsOn < dto.startsOn) problems.push({ field: 'endsOn', reason: 'phải sau ngày bắt đầu' });
    const rule = dto.completionRule;
    if ((rule.minSessions === undefined) === (rule.minShare === undefined)) {
      problems.push({ field: 'completionRule', reason: 'cần đúng một trong minSessions hoặc minShare' });
    }
    (dto.phases ?? []).forEach((phase, i) => {
      if (phase.endsOn < phase.startsOn)
        problems.push({ field: `phases[${i}].endsOn`, reason: 'phải sau ngày bắt đầu' });
      if (phase.startsOn < dto.startsOn || phase.endsOn > dto.endsOn) {
        problems.push({ field: `phases[${i}]`, reason: 'phải nằm trong thời gian của chương trình' });
      }
    });
    const levels = (dto.levels ?? DEFAULT_LEVELS).map((l) => l.level);
    if (new Set(levels).size !== levels.length)
      problems.push({ field: 'levels', reason: 'mỗi cấp độ chỉ xuất hiện một lần' });
    const template = dto.certificate?.template;
    if (template && !existsSync(join(projectRoot(), 'templates', 'certificates', `${template}.json`))) {
      problems.push({
        field: 'certificate.template',
        reason: `không có mẫu ${template} trong templates/certificates`,
      });
    }
    const codes = (dto.extraSegments ?? []).map((s) => s.code);
    if (new Set(codes).size !== codes.length)
      problems.push({ field: 'extraSegments', reason: 'mã đối tượng bị trùng' });
    const indicators = (dto.reportedIndicators ?? []).map((s) => s.code);
    if (new Set(indicators).size !== indicators.length)
      problems.push({ field: 'reportedIndicators', reason: 'mã chỉ tiêu bị trùng' });
    const chain = dto.reportApprovalLevels ?? [];
    const order: string[] = ['commune', 'district', 'province'];
    if (chain.some((l, i) => i > 0 && order.indexOf(l) <= order.indexOf(chain[i - 1])))
      problems.push({
        field: 'reportApprovalLevels',
        reason: 'các cấp phải khác nhau, xếp từ dưới lên (xã, huyện, tỉnh)',
      });
    return problems;
  }

  private toWrite(dto: CreateProgramDto, ownerUnitId: number): ProgramWrite {
    return {
      code: dto.code,
      name: dto.name,
      ownerUnitId,
      startsOn: dto.startsOn,
      endsOn: dto.endsOn,
      defaultQuota: dto.defaultQuota ?? 1500,
      completionMinSessions: dto.completionRule.minSessions ?? null,
      completionMinShare: dto.completionRule.minShare ?? null,
      extraSegments: dto.extraSegments ?? [],
      reportedIndicators: dto.reportedIndicators ?? [],
      reportApprovalLevels: dto.reportApprovalLevels?.length ? dto.reportApprovalLevels : null,
      certificate: {
        issueMode: dto.certificate?.issueMode ?? 'manual',
        template: dto.certificate?.template ?? 'default',
        issuer: dto.certificate?.issuer ?? null,
        signerTitle: dto.certificate?.signerTitle ?? null,
        signerName: dto.certificate?.signerName ?? null,
        place: dto.certificate?.place ?? null,
      },
    };
  }
}

/** An ended unit owns only programs that lie within its validity (no unit runs a plan after it ceased to exist). */
function ownerProblems(
  owner: Pick<UnitState, 'code' | 'fullName' | 'validFrom' | 'validTo'>,
  dates: Pick<CreateProgramDto, 'startsOn' | 'endsOn'>,
): FieldError[] {
  if (owner.validTo === null) return [];
  const problems: FieldError[] = [];
  const lastDay = addDays(owner.validTo, -1);
  if (dates.endsOn >= owner.validTo) {
    problems.push({
      field: 'endsOn',
      reason: `${owner.fullName} (mã ${owner.code}) chỉ tồn tại đến hết ngày ${formatDate(lastDay)}: chương trình của đơn vị này phải kết thúc trước ngày ${formatDate(owner.validTo)}, hoặc do đơn vị hiện nay quản lý`,
    });
  }
  if (dates.startsOn < owner.validFrom) {
    problems.push({
      field: 'startsOn',
      reason: `${owner.fullName} (mã ${owner.code}) chỉ có từ ngày ${formatDate(owner.validFrom)}`,
    });
  }
  return problems;
}

function toMaterialDto(row: MaterialRow): MaterialDto {
  return { ...row, publishedAt: new Date(row.publishedAt).toISOString() };
}

function withoutNulls<T extends object>(value: T): { [K in keyof T]: Exclude<T[K], null> | undefined } {
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, v ?? undefined])) as {
    [K in keyof T]: Exclude<T[K], null> | undefined;
  };
}
