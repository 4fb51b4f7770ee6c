import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AccessErrors, Policy, Principal } from '../../access/src';
import { AuditService } from '../../audit/src';
import { UnitRepository } from '../../hierarchy/src';
import { PersonErrors, PersonRepository } from '../../people/src';
import { ProgramRow, ProgramService } from '../../programs/src';
import { Clock, foldVietnamese, Page, page } from '../../platform/src';
import { computePace, daysUntil } from './pace';
import { ReachRepository } from './reach.repository';
import {
  CreateTrainerDto,
  DownstreamQueryDto,
  DownstreamTrainerDto,
  LeaderboardEntryDto,
  LeaderboardQueryDto,
  ListTrainersQueryDto,
  ReachDto,
  StandingDto,
  TrainerDto,
  UpdateTrainerDto,
} from './trainer.dto';
import { TrainerErrors } from './trainer.errors';
import { toTrainerDto } from './trainer.mapper';
import { TrainerRepository, TrainerRow, visibleTrainerSql } from './trainer.repository';

@Injectable()
export class TrainerService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly trainers: TrainerRepository,
    private readonly reach: ReachRepository,
    private readonly people: PersonRepository,
    private readonly programs: ProgramService,
    private readonly units: UnitRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async create(principal: Principal, programId: string, dto: CreateTrainerDto): Promise<TrainerDto> {
    const program = await this.programs.find(programId);
    const today = this.clock.today();
    if (dto.registeredOn && dto.registeredOn > today) {
      throw TrainerErrors.invalid([{ field: 'registeredOn', reason: 'không được ở tương lai' }]);
    }
    // The home unit as it stood when they became a trainer (a commune of the map of the time, for history).
    const home = await this.homeUnit(dto.homeUnitCode, dto.registeredOn ?? today);
    this.assertCanManage(principal, home.validTo === null ? home.path : await this.units.scopePath(home.id));
    const id = await this.dataSource.transaction((m) =>
      this.createIn(m, program, {
        ...dto,
        homeUnitId: home.id,
        homeUnitPath: home.path,
        registeredOn: dto.registeredOn ?? today,
        imported: !!dto.registeredOn && dto.registeredOn < today,
      }),
    );
    return toTrainerDto((await this.trainers.findById(programId, id))!);
  }

  /**
   * Makes a person a trainer inside the caller's transaction (used by the API and by training-of-trainers
   * graduation). Returns the new trainer's id.
   */
  async createIn(
    m: EntityManager,
    program: Pick<ProgramRow, 'id'>,
    input: {
      personId: string;
      tier: CreateTrainerDto['tier'];
      homeUnitId: number;
      homeUnitPath: string;
      quota?: number;
      trainedById?: string;
      /** The Vietnamese day they became a trainer. */
      registeredOn: string;
      /** Entered after the fact (the day is in the past). */
      imported?: boolean;
    },
  ): Promise<string> {
    const person = await this.people.mergedInto(m, input.personId);
    if (!person) throw TrainerErrors.invalid([{ field: 'personId', reason: 'không tìm thấy người này' }]);
    if (person.mergedIntoId) throw PersonErrors.merged(input.personId, person.mergedIntoId);
    if (input.trainedById && !(await this.trainers.findById(program.id, input.trainedById, m))) {
      throw TrainerErrors.invalid([
        { field: 'trainedById', reason: 'không phải giảng viên của chương trình này' },
      ]);
    }
    const existing = await this.trainers.byPerson(m, program.id, input.personId);
    if (existing) throw TrainerErrors.exists(existing);
    const id = await this.trainers.insert(m, {
      programId: program.id,
      personId: input.personId,
      tier: input.tier,
      homeUnitId: input.homeUnitId,
      quota: input.quota ?? null,
      trainedById: input.trainedById ?? null,
      registeredOn: input.registeredOn,
      imported: input.imported,
    });
    const created = (await this.trainers.findById(program.id, id, m))!;
    await this.audit.record(
      {
        action: 'trainer.created',
        entityType: 'trainer',
        entityId: id,
        after: toTrainerDto(created),
        scopePaths: [input.homeUnitPath],
      },
      m,
    );
    return id;
  }

  async update(
    principal: Principal,
    programId: string,
    trainerId: string,
    dto: UpdateTrainerDto,
  ): Promise<TrainerDto> {
    const before = await this.visible(principal, programId, trainerId);
    this.assertCanManage(principal, before.homeUnitPath);
    const home = dto.homeUnitCode ? await this.homeUnit(dto.homeUnitCode) : null;
    if (home) this.assertCanManage(principal, home.path);
    await this.dataSource.transaction(async (m) => {
      await this.trainers.lock(m, trainerId);
      const current = (await this.trainers.findById(programId, trainerId, m))!;
      await this.trainers.update(m, trainerId, {
        tier: dto.tier ?? current.tier,
        homeUnitId: home?.id ?? current.homeUnitId,
        quota: dto.quota === undefined ? current.quotaOverride : dto.quota,
        status: dto.status ?? current.status,
      });
      if (dto.trainedById !== undefined && dto.trainedById !== current.trainedById) {
        const parent = dto.trainedById ? await this.trainers.findById(programId, dto.trainedById, m) : null;
        if (dto.trainedById && !parent) {
          throw TrainerErrors.invalid([
            { field: 'trainedById', reason: 'không phải giảng viên của chương trình này' },
          ]);
        }
        // A trainer cannot be trained by themselves or by anyone they trained, directly or not.
        if (parent && parent.lineagePath.startsWith(current.lineagePath)) throw TrainerErrors.cycle();
        const path = await this.trainers.moveUnder(m, current, parent);
        await this.reach.subtreeMoved(m, programId, current.lineagePath, path);
      }
      const after = (await this.trainers.findById(programId, trainerId, m))!;
      await this.audit.record(
        {
          action: 'trainer.updated',
          entityType: 'trainer',
          entityId: trainerId,
          before: toTrainerDto(before),
          after: toTrainerDto(after),
          scopePaths: [...new Set([before.homeUnitPath, after.homeUnitPath])],
        },
        m,
      );
    });
    return toTrainerDto((await this.trainers.findById(programId, trainerId))!);
  }

  async list(
    principal: Principal,
    programId: string,
    query: ListTrainersQueryDto,
  ): Promise<Page<TrainerDto>> {
    await this.programs.find(programId);
    const { rows, total } = await this.trainers.list(
      principal,
      programId,
      {
        unitPath: query.unit ? (await this.homeUnit(query.unit)).path : undefined,
        tier: query.tier,
        nameKey: query.q ? foldVietnamese(query.q) : undefined,
      },
      query.limit,
      query.offset,
    );
    return page(rows.map(toTrainerDto), total, query);
  }

  async get(principal: Principal, programId: string, trainerId: string): Promise<TrainerDto> {
    return toTrainerDto(await this.visible(principal, programId, trainerId));
  }

  /** Root first: who trained the trainer's trainer, … down to the one who trained them. */
  async lineage(principal: Principal, programId: string, trainerId: string): Promise<TrainerDto[]> {
    const trainer = await this.visible(principal, programId, trainerId);
    return (await this.trainers.lineage(trainer)).map(toTrainerDto);
  }

  async trainees(
    principal: Principal,
    programId: string,
    trainerId: string,
    query: DownstreamQueryDto,
  ): Promise<Page<TrainerDto>> {
    const trainer = await this.visible(principal, programId, trainerId);
    const { rows, total } = await this.trainers.downstream(
      programId,
      trainer.lineagePath,
      trainer.depth + 1,
      query.limit,
      query.offset,
    );
    return page(rows.map(toTrainerDto), total, query);
  }

  async downstream(
    principal: Principal,
    programId: string,
    trainerId: string,
    query: DownstreamQueryDto,
  ): Promise<Page<DownstreamTrainerDto>> {
    const trainer = await this.visible(principal, programId, trainerId);
    const maxDepth = query.maxDepth === undefined ? null : trainer.depth + query.maxDepth;
    const { rows, total } = await this.trainers.downstream(
      programId,
      trainer.lineagePath,
      maxDepth,
      query.limit,
      query.offset,
    );
    return page(
      rows.map((row) => ({ ...toTrainerDto(row), relativeDepth: row.depth - trainer.depth })),
      total,
      query,
    );
  }

  async reachOf(principal: Principal, programId: string, trainerId: string): Promise<ReachDto> {
    const today = this.clock.today();
    const { sql, params } = visibleTrainerSql(principal, programId, trainerId);
    const trainer = await this.reach.withSummary<TrainerRow>(sql, params, today);
    if (!trainer) throw TrainerErrors.notFound();
    const { cascadeReach, lastFourWeeks, downstreamTrainers } = trainer;
    const pace = computePace({
      quota: trainer.quota,
      directReach: trainer.directReach,
      lastFourWeeks,
      today,
      endsOn: trainer.programEndsOn,
    });
    return {
      trainerId,
      ...pace,
      cascadeReach,
      downstreamTrainers,
      programEndsOn: trainer.programEndsOn,
      asOf: today,
    };
  }

  /**
   * The trainer's rank by direct reach among the active trainers of their home unit and of each unit above
   * it: a trainer sees where they stand in their commune and province without seeing anyone else's record.
   */
  async standing(principal: Principal, programId: string, trainerId: string): Promise<StandingDto> {
    const trainer = await this.visible(principal, programId, trainerId);
    const rows = await this.trainers.standings(programId, trainer.homeUnitPath, trainer.directReach);
    return {
      trainerId,
      directReach: trainer.directReach,
      standings: rows.map((r) => ({ unit: { code: r.code, fullName: r.fullName }, rank: r.rank, of: r.of })),
    };
  }

  async leaderboard(
    principal: Principal,
    programId: string,
    query: LeaderboardQueryDto,
  ): Promise<Page<LeaderboardEntryDto>> {
    const program = await this.programs.find(programId);
    const unitPath = query.unit ? (await this.homeUnit(query.unit)).path : undefined;
    const today = this.clock.today();
    const { rows, total } = await this.trainers.leaderboard(
      principal,
      programId,
      unitPath,
      today,
      query.sort,
      query.limit,
      query.offset,
      query.behind ? { daysToEnd: daysUntil(today, program.endsOn) } : undefined,
    );
    return page(
      rows.map((row, i) => ({
        rank: query.offset + i + 1,
        trainer: toTrainerDto(row),
        pace: computePace({
          quota: row.quota,
          directReach: row.directReach,
          lastFourWeeks: row.lastFourWeeks,
          today,
          endsOn: program.endsOn,
        }),
      })),
      total,
      query,
    );
  }

  /** The trainer if the caller may see them; "not found" otherwise (also for another program's trainer). */
  async visible(principal: Principal, programId: string, trainerId: string): Promise<TrainerRow> {
    const trainer = await this.trainers.visible(principal, programId, trainerId);
    if (!trainer) throw TrainerErrors.notFound();
    return trainer;
  }

  private assertCanManage(principal: Principal, homeUnitPath: string): void {
    if (!Policy.covers(principal, ['steering'], homeUnitPath)) throw AccessErrors.outOfScope();
  }

  private async homeUnit(code: string, day = this.clock.today()) {
    const unit = await this.units.findByCode(code, day);
    if (!unit) throw TrainerErrors.invalid([{ field: 'homeUnitCode', reason: `không có đơn vị mã ${code}` }]);
    return unit;
  }
}
