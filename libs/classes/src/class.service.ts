import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AccessErrors, Policy, Principal } from '../../access/src';
import { AuditService } from '../../audit/src';
import { UnitRepository } from '../../hierarchy/src';
import { APP_CONFIG, AppConfig, Clock, FieldError, Page, page, vnDate } from '../../platform/src';
import { ProgramService } from '../../programs/src';
import { ClassStatus } from './class.entities';
import { ClassDto, CreateClassDto, ListClassesQueryDto, SessionInputDto, UpdateClassDto } from './class.dto';
import { ClassErrors } from './class.errors';
import { toClassDto } from './class.mapper';
import { ClassRepository, ClassRow } from './class.repository';
import { canManageClass, canSeeClass } from './class.scope';

/** draft → scheduled → in progress → completed; any but completed may be cancelled. */
const TRANSITIONS: Record<ClassStatus, ClassStatus[]> = {
  draft: ['scheduled', 'cancelled'],
  scheduled: ['in_progress', 'draft', 'cancelled'],
  in_progress: ['completed', 'cancelled'],
  completed: ['in_progress'],
  cancelled: [],
};

/** Told, inside the transaction, about classes whose status or sessions changed (KPI figures count them). */
export interface ClassListener {
  classesChanged(m: EntityManager, classIds: string[]): Promise<void>;
}

@Injectable()
export class ClassService {
  private readonly listeners: ClassListener[] = [];

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly classes: ClassRepository,
    private readonly programs: ProgramService,
    private readonly units: UnitRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  listen(listener: ClassListener): void {
    this.listeners.push(listener);
  }

  private async changed(m: EntityManager, classIds: string[]): Promise<void> {
    for (const listener of this.listeners) await listener.classesChanged(m, classIds);
  }

  async create(principal: Principal, dto: CreateClassDto): Promise<ClassDto> {
    await this.programs.find(dto.programId);
    // The commune as it stood when the class was held: today's, or — for a class entered as history — one of
    // the map of its time that lasted through every session (a commune merged since).
    const days = dto.sessions.map((s) => vnDate(new Date(s.startsAt))).sort();
    const unit = days.length ? await this.units.findByCode(dto.unitCode, days[0]) : null;
    const problems = this.sessionProblems(dto.sessions);
    if (
      !unit ||
      unit.level !== 'commune' ||
      (unit.validTo !== null && unit.validTo <= days[days.length - 1])
    ) {
      problems.push({
        field: 'unitCode',
        reason: `${dto.unitCode} không phải xã, phường, đặc khu vào ngày của các buổi học`,
      });
    }
    const trainerIds = [dto.leadTrainerId, ...(dto.assistantTrainerIds ?? [])];
    const trainers = await this.classes.trainersOfProgram(this.dataSource.manager, dto.programId, trainerIds);
    const lead = trainers.find((t) => t.id === dto.leadTrainerId);
    if (!lead || lead.status !== 'active') {
      problems.push({
        field: 'leadTrainerId',
        reason: 'không phải giảng viên đang hoạt động của chương trình',
      });
    }
    (dto.assistantTrainerIds ?? []).forEach((id, i) => {
      if (!trainers.some((t) => t.id === id) || id === dto.leadTrainerId) {
        problems.push({
          field: `assistantTrainerIds[${i}]`,
          reason: 'không phải giảng viên khác của chương trình',
        });
      }
    });
    if (problems.length) throw ClassErrors.invalid(problems);
    // A trainer opens classes they lead; steering members open classes in their subtree.
    const ownClass = Policy.hasRole(principal, ['trainer']) && principal.personId === lead!.personId;
    const scope = unit!.validTo === null ? unit!.path : await this.units.scopePath(unit!.id);
    if (!Policy.covers(principal, ['steering'], scope) && !ownClass) throw AccessErrors.outOfScope();
    const id = await this.dataSource.transaction(async (m) => {
      const classId = await this.classes.insert(
        m,
        {
          programId: dto.programId,
          level: dto.level,
          kind: dto.kind,
          title: dto.title,
          leadTrainerId: dto.leadTrainerId,
          unitId: unit!.id,
          venueType: dto.venueType,
          venueAddress: dto.venueAddress ?? null,
          mode: dto.mode,
          capacity: dto.capacity,
          targetSegment: dto.targetSegment ?? null,
        },
        principal.id,
      );
      await this.classes.replaceSessions(m, classId, dto.sessions);
      await this.classes.replaceAssistants(m, classId, dto.assistantTrainerIds ?? []);
      await this.recordAudit(m, 'class.created', classId, null, unit!.path);
      return classId;
    });
    return toClassDto((await this.classes.findById(id))!);
  }

  async list(principal: Principal, query: ListClassesQueryDto): Promise<Page<ClassDto>> {
    let unitPath: string | undefined;
    if (query.unit) {
      const unit = await this.units.findByCode(query.unit, this.clock.today());
      if (!unit) return page([], 0, query);
      unitPath = unit.path;
    }
    const { rows, total } = await this.classes.list(
      principal,
      {
        programId: query.programId,
        status: query.status,
        kind: query.kind,
        trainerId: query.trainerId,
        unitPath,
      },
      query.limit,
      query.offset,
    );
    return page(rows.map(toClassDto), total, query);
  }

  async get(principal: Principal, id: string): Promise<ClassDto> {
    return toClassDto(await this.readable(principal, id));
  }

  async update(principal: Principal, id: string, dto: UpdateClassDto): Promise<ClassDto> {
    const before = await this.manageable(principal, id);
    if (dto.sessions) {
      const problems = this.sessionProblems(dto.sessions);
      if (problems.length) throw ClassErrors.invalid(problems);
    }
    if (dto.assistantTrainerIds) {
      const found = await this.classes.trainersOfProgram(
        this.dataSource.manager,
        before.programId,
        dto.assistantTrainerIds,
      );
      const problems = dto.assistantTrainerIds
        .map((tid, i) => ({ tid, i }))
        .filter(({ tid }) => !found.some((t) => t.id === tid) || tid === before.leadTrainerId)
        .map(({ i }) => ({
          field: `assistantTrainerIds[${i}]`,
          reason: 'không phải giảng viên khác của chương trình',
        }));
      if (problems.length) throw ClassErrors.invalid(problems);
    }
    await this.dataSource.transaction(async (m) => {
      await this.classes.lock(m, id);
      const current = (await this.classes.findById(id, m))!;
      const capacity = dto.capacity ?? current.capacity;
      if (capacity < current.enrolledCount) {
        throw ClassErrors.invalid([
          { field: 'capacity', reason: `lớp đã có ${current.enrolledCount} học viên` },
        ]);
      }
      await this.classes.update(m, id, {
        title: dto.title ?? current.title,
        venueType: dto.venueType ?? current.venueType,
        venueAddress: dto.venueAddress ?? current.venueAddress,
        mode: dto.mode ?? current.mode,
        capacity,
      });
      if (dto.sessions) {
        if (await this.classes.hasAttendance(m, id)) throw ClassErrors.scheduleLocked();
        await this.classes.replaceSessions(m, id, dto.sessions);
        await this.changed(m, [id]);
      }
      if (dto.assistantTrainerIds) await this.classes.replaceAssistants(m, id, dto.assistantTrainerIds);
      await this.recordAudit(m, 'class.updated', id, toClassDto(before), before.unitPath);
    });
    return this.get(principal, id);
  }

  async setStatus(principal: Principal, id: string, status: ClassStatus): Promise<ClassDto> {
    const before = await this.manageable(principal, id);
    await this.dataSource.transaction(async (m) => {
      await this.classes.lock(m, id);
      const current = (await this.classes.findById(id, m))!;
      if (!TRANSITIONS[current.status].includes(status)) throw ClassErrors.transition(current.status, status);
      if (status === 'scheduled') {
        const problems = this.sessionProblems(
          current.sessions.map((s) => ({ startsAt: s.startsAt, endsAt: s.endsAt })),
        );
        if (problems.length) throw ClassErrors.invalid(problems);
      }
      await this.classes.setStatus(m, id, status);
      await this.changed(m, [id]);
      await this.recordAudit(m, `class.${status}`, id, { status: before.status }, before.unitPath);
    });
    return this.get(principal, id);
  }

  async visible(principal: Principal, id: string, m?: EntityManager): Promise<ClassRow> {
    const row = await this.classes.findById(id, m);
    if (!row || !(Policy.isAdmin(principal) || canSeeClass(principal, row))) throw ClassErrors.notFound();
    return row;
  }

  /** A class the caller sees, or one their organisation's people attend (a department head reads it). */
  private async readable(principal: Principal, id: string): Promise<ClassRow> {
    const organisations = Policy.organisations(principal);
    const row = await this.classes.findById(id);
    if (row && (Policy.isAdmin(principal) || canSeeClass(principal, row))) return row;
    if (row && organisations.length) {
      if (await this.classes.attendedByOrganisations(id, organisations)) return row;
    }
    throw ClassErrors.notFound();
  }

  /** The class if the caller runs it; 404 when they cannot even see it, 403 when they only see it. */
  async manageable(principal: Principal, id: string, m?: EntityManager): Promise<ClassRow> {
    const row = await this.visible(principal, id, m);
    if (!canManageClass(principal, row)) throw AccessErrors.outOfScope();
    return row;
  }

  private sessionProblems(sessions: SessionInputDto[]): FieldError[] {
    const { classSessionsMin: min, classSessionsMax: max } = this.config;
    const problems: FieldError[] = [];
    if (sessions.length < min || sessions.length > max) {
      problems.push({ field: 'sessions', reason: `một lớp có từ ${min} đến ${max} buổi học` });
    }
    const sorted = [...sessions].sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt));
    sessions.forEach((s, i) => {
      if (Date.parse(s.endsAt) <= Date.parse(s.startsAt))
        problems.push({ field: `sessions[${i}].endsAt`, reason: 'phải sau giờ bắt đầu' });
      if (sorted[i] !== s)
        problems.push({ field: `sessions[${i}].startsAt`, reason: 'các buổi phải theo thứ tự thời gian' });
    });
    for (let i = 1; i < sorted.length; i++) {
      if (Date.parse(sorted[i].startsAt) < Date.parse(sorted[i - 1].endsAt)) {
        problems.push({ field: `sessions[${i}].startsAt`, reason: 'các buổi không được chồng lên nhau' });
      }
    }
    return problems;
  }

  private async recordAudit(
    m: EntityManager,
    action: string,
    id: string,
    before: unknown,
    unitPath: string,
  ): Promise<void> {
    const after = await this.classes.findById(id, m);
    await this.audit.record(
      {
        action,
        entityType: 'class',
        entityId: id,
        before,
        after: after && toClassDto(after),
        scopePaths: [unitPath],
      },
      m,
    );
  }
}
