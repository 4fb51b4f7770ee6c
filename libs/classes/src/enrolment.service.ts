import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Principal } from '../../access/src';
import { AuditService } from '../../audit/src';
import { PersonErrors, PersonRepository, PersonService } from '../../people/src';
import { vnDate } from '../../platform/src';
import { TrainerRepository, TrainerService } from '../../trainers/src';
import { ClassRepository, ClassRow } from './class.repository';
import { CreateEnrolmentDto, EnrolmentDto, GraduateDto, OutcomeDto } from './class.dto';
import { ClassErrors } from './class.errors';
import { ClassService } from './class.service';
import { CompletionService } from './completion.service';
import { EnrolmentRepository, EnrolmentRow } from './enrolment.repository';

export function toEnrolmentDto(e: EnrolmentRow): EnrolmentDto {
  return {
    id: e.id,
    person: { id: e.personId, fullName: e.fullName, birthYear: e.birthYear, commune: e.communeName },
    status: e.status,
    walkIn: e.walkIn,
    attendedSessions: e.attendedSessions,
    completedAt: e.completedAt ? new Date(e.completedAt).toISOString() : null,
    canApplyAiTool: e.outcomeCanApply,
    score: e.outcomeScore === null ? null : Number(e.outcomeScore),
  };
}

@Injectable()
export class EnrolmentService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly classes: ClassService,
    private readonly classRows: ClassRepository,
    private readonly enrolments: EnrolmentRepository,
    private readonly people: PersonService,
    private readonly personRows: PersonRepository,
    private readonly trainers: TrainerService,
    private readonly trainerRows: TrainerRepository,
    private readonly completion: CompletionService,
    private readonly audit: AuditService,
  ) {}

  async list(principal: Principal, classId: string): Promise<EnrolmentDto[]> {
    await this.classes.visible(principal, classId);
    return (await this.enrolments.ofClass(this.dataSource.manager, classId)).map(toEnrolmentDto);
  }

  /**
   * Enrols an existing learner, a learner registered inline (with the duplicate rules of the people module),
   * or a walk-in with minimal data to be completed later. The seat and the enrolment commit together.
   */
  async enrol(principal: Principal, classId: string, dto: CreateEnrolmentDto): Promise<EnrolmentDto> {
    const given = [dto.personId, dto.person, dto.walkIn].filter((x) => x !== undefined).length;
    if (given !== 1) {
      throw ClassErrors.invalid([
        { field: 'personId', reason: 'cần đúng một trong personId, person hoặc walkIn' },
      ]);
    }
    const c = await this.classes.manageable(principal, classId);
    const id = await this.dataSource.transaction((m) => this.enrolIn(m, principal, c, dto));
    return toEnrolmentDto((await this.enrolments.findById(this.dataSource.manager, classId, id))!);
  }

  async enrolIn(
    m: EntityManager,
    principal: Principal,
    c: ClassRow,
    dto: CreateEnrolmentDto,
  ): Promise<string> {
    if (!(await this.enrolments.takeSeat(m, c.id))) {
      const now = await this.enrolments.seatState(m, c.id);
      throw ['draft', 'scheduled', 'in_progress'].includes(now.status)
        ? ClassErrors.full(now.capacity)
        : ClassErrors.notOpen(now.status);
    }
    let personId = dto.personId;
    if (personId) {
      const row = await this.personRows.mergedInto(m, personId);
      if (!row) throw PersonErrors.notFound();
      if (row.mergedIntoId) throw PersonErrors.merged(personId, row.mergedIntoId);
    } else if (dto.person) {
      personId = (await this.people.create(principal, dto.person, m)).id;
    } else if (dto.walkIn) {
      const walkIn = dto.walkIn;
      personId = (
        await this.people.create(
          principal,
          {
            fullName: walkIn.fullName,
            birthYear: walkIn.birthYear,
            phone: walkIn.phone,
            gender: 'other',
            communeCode: c.unitCode,
            segment: c.targetSegment ?? 'other',
          },
          m,
        )
      ).id;
    }
    const id = await this.enrolments.insert(m, c.id, personId!, dto.walkIn !== undefined, principal.id);
    if (!id) throw ClassErrors.alreadyEnrolled((await this.enrolments.existing(m, c.id, personId!))!);
    await this.audit.record(
      {
        action: 'enrolment.created',
        entityType: 'enrolment',
        entityId: id,
        after: { classId: c.id, personId, walkIn: !!dto.walkIn },
        scopePaths: [c.unitPath],
      },
      m,
    );
    return id;
  }

  /** Records the post-course outcome ("can apply at least one AI tool", score), or withdraws the learner. */
  async update(
    principal: Principal,
    classId: string,
    enrolmentId: string,
    dto: OutcomeDto,
  ): Promise<EnrolmentDto> {
    const c = await this.classes.manageable(principal, classId);
    await this.dataSource.transaction(async (m) => {
      // The class row first, as enrolment does: concurrent changes to its roster queue here, so each reads
      // the enrolment as the one before it left it (a repeated withdrawal then changes nothing).
      await this.classRows.lock(m, classId);
      const before = await this.enrolments.findById(m, classId, enrolmentId);
      if (!before) throw ClassErrors.enrolmentNotFound();
      if (dto.canApplyAiTool !== undefined || dto.score !== undefined) {
        await this.enrolments.setOutcome(
          m,
          enrolmentId,
          dto.canApplyAiTool === undefined ? before.outcomeCanApply : dto.canApplyAiTool,
          dto.score === undefined
            ? before.outcomeScore === null
              ? null
              : Number(before.outcomeScore)
            : dto.score,
        );
      }
      if (dto.status === 'withdrawn' && (await this.enrolments.withdraw(m, enrolmentId))) {
        await this.enrolments.freeSeat(m, classId);
        if (c.kind === 'citizen')
          await this.completion.refreshReach(m, [{ trainerId: c.leadTrainerId, personId: before.personId }]);
      }
      await this.completion.learnersChanged(m, [{ classId, personId: before.personId }]);
      const after = await this.enrolments.findById(m, classId, enrolmentId);
      await this.audit.record(
        {
          action: 'enrolment.updated',
          entityType: 'enrolment',
          entityId: enrolmentId,
          before: toEnrolmentDto(before),
          after: after && toEnrolmentDto(after),
          scopePaths: [c.unitPath],
        },
        m,
      );
    });
    return toEnrolmentDto((await this.enrolments.findById(this.dataSource.manager, classId, enrolmentId))!);
  }

  /**
   * Training-of-trainers graduation in one action: every completed learner (or those named) becomes a
   * trainer of the program, trained by the class's lead trainer, at home in their commune.
   */
  async graduate(
    principal: Principal,
    classId: string,
    dto: GraduateDto,
  ): Promise<{ created: string[]; skipped: { enrolmentId: string; reason: string }[] }> {
    const c = await this.classes.manageable(principal, classId);
    if (c.kind !== 'training_of_trainers') throw ClassErrors.notTot();
    return this.dataSource.transaction(async (m) => {
      const roster = await this.enrolments.ofClass(m, classId);
      const chosen = dto.enrolmentIds ? roster.filter((e) => dto.enrolmentIds!.includes(e.id)) : roster;
      const created: string[] = [];
      const skipped: { enrolmentId: string; reason: string }[] = [];
      for (const id of dto.enrolmentIds ?? []) {
        if (!roster.some((e) => e.id === id)) skipped.push({ enrolmentId: id, reason: 'không có trong lớp' });
      }
      for (const e of chosen) {
        if (e.status !== 'completed') {
          skipped.push({ enrolmentId: e.id, reason: 'chưa hoàn thành lớp' });
          continue;
        }
        if (await this.trainerRows.byPerson(m, c.programId, e.personId)) {
          skipped.push({ enrolmentId: e.id, reason: 'đã là giảng viên của chương trình' });
          continue;
        }
        const home = await this.personRows.commune(m, e.personId);
        created.push(
          await this.trainers.createIn(
            m,
            { id: c.programId },
            {
              personId: e.personId,
              tier: dto.tier ?? 'commune_core',
              homeUnitId: home.id,
              homeUnitPath: home.path,
              trainedById: c.leadTrainerId,
              // A trainer from the day they completed the training of trainers.
              registeredOn: vnDate(e.completedAt!),
            },
          ),
        );
      }
      return { created, skipped };
    });
  }
}
