import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../../audit/src';
import { PasswordService, UserRepository } from '../../auth/src';
import { nameColumns, PersonRepository, PersonWrite } from '../../people/src';
import { DEFAULT_LEVELS, ProgramRepository } from '../../programs/src';
import { APP_CONFIG, AppConfig, Clock } from '../../platform/src';
import { CompletionService } from '../../classes/src';
import { KpiFactsRepository } from '../../kpi/src';
import { TrainerRepository } from '../../trainers/src';
import { SeededRandom } from './random';
import { DemoSeedRepository, DemoUnit } from './demo-seed.repository';
import { seedDemoClasses } from './demo-classes';
import { seedDemoKpi } from './demo-kpi';
import { PeopleGenerator } from './vietnamese-people';

export const DEMO_PROGRAM_CODE = 'TN';
const PROVINCE = '19';

export interface DemoSummary {
  programId: string;
  provincialTrainers: number;
  communeTrainers: number;
  learners: number;
  classes: number;
  sessions: number;
  marks: number;
  accounts: string[];
}

/**
 * A realistic demo campaign in Thái Nguyên (code 19), deterministic from a fixed seed: one program, ~30
 * provincial and ~300 commune trainers in a cascade, a few thousand learners with Vietnamese names, the
 * classes they attended with sessions and marks (completions and reach follow), organisations, population figures and demo accounts. Created once; never twice.
 */
@Injectable()
export class DemoSeedService {
  private readonly logger = new Logger('DemoSeed');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly programs: ProgramRepository,
    private readonly people: PersonRepository,
    private readonly trainers: TrainerRepository,
    private readonly completion: CompletionService,
    private readonly kpiFacts: KpiFactsRepository,
    private readonly users: UserRepository,
    private readonly passwords: PasswordService,
    private readonly audit: AuditService,
    private readonly repository: DemoSeedRepository,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Seeds unless the demo program exists already; returns what was created, or null. */
  async seedIfAbsent(options: { learners?: number } = {}): Promise<DemoSummary | null> {
    const passwordHash = await this.passwords.hash(this.config.demoPassword);
    const summary = await this.dataSource.transaction(async (m) => {
      if (await this.repository.lockAndFindProgram(m, DEMO_PROGRAM_CODE)) return null;
      return this.seed(m, passwordHash, options.learners ?? 3000);
    });
    if (summary) {
      this.logger.log(
        `Demo campaign seeded in Thái Nguyên: ${summary.provincialTrainers} provincial and ${summary.communeTrainers} commune trainers, ` +
          `${summary.learners} learners; demo accounts: ${summary.accounts.join(', ')}`,
      );
    }
    return summary;
  }

  private async seed(m: EntityManager, passwordHash: string, learnerCount: number): Promise<DemoSummary> {
    const random = new SeededRandom(20260301);
    const province = await this.repository.currentUnit(m, PROVINCE);
    if (!province) throw new Error('The administrative units must be imported before the demo campaign.');
    const communes = await this.repository.currentChildren(m, province.id);

    const programId = await this.programs.insert(m, {
      code: DEMO_PROGRAM_CODE,
      name: 'Bình dân học AI — tỉnh Thái Nguyên',
      ownerUnitId: province.id,
      startsOn: '2026-03-01',
      endsOn: '2027-06-30',
      defaultQuota: 1500,
      completionMinSessions: 2,
      completionMinShare: null,
      extraSegments: [{ code: 'ethnic_minority', name: 'Đồng bào dân tộc thiểu số' }],
      reportedIndicators: [{ code: 'ai_clubs', name: 'Câu lạc bộ AI cộng đồng được thành lập' }],
      // A commune's organisations report to the commune, which passes what it approved on to the province.
      reportApprovalLevels: ['commune', 'province'],
      certificate: {
        issueMode: 'auto',
        template: 'default',
        issuer: 'Ban Chỉ đạo Bình dân học AI tỉnh Thái Nguyên',
        signerTitle: 'Trưởng Ban Chỉ đạo',
        signerName: 'Trịnh Việt Hùng',
        place: 'Thái Nguyên',
      },
    });
    await this.programs.replacePhases(m, programId, [
      { name: 'Chuẩn bị', startsOn: '2026-03-01', endsOn: '2026-03-31' },
      { name: 'Đào tạo lực lượng nòng cốt', startsOn: '2026-04-01', endsOn: '2026-06-30' },
      { name: 'Triển khai đại trà', startsOn: '2026-07-01', endsOn: '2027-06-30' },
    ]);
    await this.programs.replaceLevels(m, programId, DEFAULT_LEVELS);
    for (const [level, title, kind] of [
      [1, 'Video: Trí tuệ nhân tạo là gì?', 'video'],
      [1, 'Cẩm nang an toàn khi dùng AI', 'document'],
      [2, 'Video: Trò chuyện với trợ lý AI bằng tiếng Việt', 'video'],
      [2, 'Mẫu câu hỏi hay cho trợ lý AI', 'document'],
      [3, 'Video: Soạn văn bản hành chính với AI', 'video'],
      [4, 'Bán nông sản trực tuyến với AI', 'video'],
      [4, 'Tra cứu kỹ thuật trồng chè', 'link'],
      [5, 'Hướng dẫn tổ chức một lớp Bình dân học AI', 'document'],
    ] as const) {
      await this.programs.insertMaterial(
        m,
        programId,
        { level, title, kind, url: `https://hoc.lantoa.vn/tn/cap-${level}/${random.int(100, 999)}` },
        null,
      );
    }

    // Organisations and population figures (the province's figure is the sum of its communes').
    const farmersUnion = await this.repository.insertProvinceOrganisations(
      m,
      province.id,
      (await this.communeNamed(m, 'Xã Tân Cương')) ?? communes[0].id,
    );
    const totals = communes.map(() => random.int(8_000, 32_000));
    const figure = (share: number) => totals.map((t) => Math.round(t * share));
    const population: [string, number[]][] = [
      ['total', totals],
      ['working_age', figure(0.62)],
      ['civil_servants', figure(0.024)],
      ['enterprise_owners', figure(0.011)],
    ];
    for (const [name, values] of population) {
      await this.repository.insertPopulation(
        m,
        name,
        communes.map((c) => c.id),
        values,
        { id: province.id, total: values.reduce((a, b) => a + b, 0) },
      );
    }

    // Trainers: people first, then the cascade (provincial core → commune core).
    const generator = new PeopleGenerator(random);
    const trainerPeople: { write: PersonWrite; commune: DemoUnit }[] = [];
    const make = (commune: DemoUnit, segment?: string): PersonWrite => {
      const p = generator.next();
      const birthYear = segment ? random.int(1972, 1998) : p.birthYear;
      return {
        ...nameColumns(p.fullName),
        birthDate: null,
        birthYear,
        gender: p.gender,
        communeId: commune.id,
        segment: segment ?? p.segment,
        organisationId: null,
        cccd: segment ? null : p.cccd,
        phone: p.phone,
      };
    };
    for (let i = 0; i < 330; i++) {
      const commune = communes[i < 30 ? random.int(0, communes.length - 1) : (i - 30) % communes.length];
      trainerPeople.push({
        write: make(commune, i < 30 ? 'civil_servant' : random.pick(['civil_servant', 'youth', 'women'])),
        commune,
      });
    }
    const trainerPersonIds = await this.people.insertMany(
      m,
      trainerPeople.map((t) => t.write),
      null,
    );
    const provincial: string[] = [];
    const communeTrainers: { id: string; commune: DemoUnit; skill: number }[] = [];
    for (let i = 0; i < 330; i++) {
      const { commune } = trainerPeople[i];
      const trainedById = i < 30 ? null : provincial[(i - 30) % 30];
      const id = await this.trainers.insert(m, {
        programId,
        personId: trainerPersonIds[i],
        tier: i < 30 ? 'provincial_core' : 'commune_core',
        homeUnitId: commune.id,
        quota: null,
        trainedById,
        // Provincial trainers join while the campaign is prepared; commune trainers once their training of
        // trainers (April) is over.
        registeredOn: i < 30 ? '2026-03-15' : '2026-04-20',
      });
      if (i < 30) provincial.push(id);
      else communeTrainers.push({ id, commune, skill: random.next() });
    }

    // Learners, reached by the trainers of their commune (about one in ten by two of them).
    const learners: PersonWrite[] = [];
    const homes: (typeof communeTrainers)[number][] = [];
    for (let i = 0; i < learnerCount; i++) {
      const trainer = random.weighted(communeTrainers.map((t) => [t, 0.2 + t.skill] as const));
      homes.push(trainer);
      learners.push(make(trainer.commune));
    }
    const learnerIds = await this.people.insertMany(m, learners, null);
    const enrolled = learnerIds.map((personId, i) => ({ personId, trainerId: homes[i].id }));
    // About one learner in ten also joined a class of another trainer.
    for (let i = 0; i < learnerIds.length; i += 10) {
      const other = random.pick(communeTrainers);
      if (other.id !== homes[i].id) enrolled.push({ personId: learnerIds[i], trainerId: other.id });
    }
    const demoTrainer = (id: string, i: number) => ({
      id,
      personId: trainerPersonIds[i],
      communeId: trainerPeople[i].commune.id,
      trainedById: i < 30 ? null : provincial[(i - 30) % 30],
    });
    const classes = await seedDemoClasses(
      m,
      this.repository,
      random,
      {
        programId,
        provincial: provincial.map((id, i) => demoTrainer(id, i)),
        commune: communeTrainers.map((t, i) => demoTrainer(t.id, i + 30)),
        learners: enrolled,
        today: this.clock.today(),
      },
      this.completion,
    );

    // Demo accounts, one per role.
    const donghy = (await this.communeNamed(m, 'Xã Đồng Hỷ')) ?? communes[0].id;
    // The people of two organisations: the province's farmers (outside Đồng Hỷ) in its Farmers' Union, and
    // Đồng Hỷ's civil servants in its commune People's Committee, whose head reports to the commune.
    const committee = await this.repository.insertCommuneCommittee(m, donghy);
    await this.repository.assignOrganisations(m, learnerIds, farmersUnion, donghy, committee);
    // The commune trainer of the demo account: one of Đồng Hỷ's if there is one.
    const inDongHy = trainerPeople.findIndex((t, i) => i >= 30 && t.commune.id === donghy);
    const communeTrainerIndex = inDongHy >= 0 ? inDongHy : 30;
    const accounts: [
      string,
      string,
      {
        role: 'steering' | 'viewer' | 'trainer' | 'department_head';
        unitId: number | null;
        organisationId: string | null;
      },
      string | null,
    ][] = [
      [
        'bcd.thainguyen@lantoa.vn',
        'Ban chỉ đạo tỉnh Thái Nguyên',
        { role: 'steering', unitId: province.id, organisationId: null },
        null,
      ],
      [
        'bcd.donghy@lantoa.vn',
        'Ban chỉ đạo xã Đồng Hỷ',
        { role: 'steering', unitId: donghy, organisationId: null },
        null,
      ],
      [
        'theodoi.thainguyen@lantoa.vn',
        'Theo dõi tỉnh Thái Nguyên',
        { role: 'viewer', unitId: province.id, organisationId: null },
        null,
      ],
      [
        'giangvien.tn@lantoa.vn',
        trainerPeople[0].write.fullName,
        { role: 'trainer', unitId: trainerPeople[0].commune.id, organisationId: null },
        trainerPersonIds[0],
      ],
      [
        // A commune core trainer with classes of their own, for trying the trainer's phone app at once.
        'giangvien.xa@lantoa.vn',
        trainerPeople[communeTrainerIndex].write.fullName,
        { role: 'trainer', unitId: trainerPeople[communeTrainerIndex].commune.id, organisationId: null },
        trainerPersonIds[communeTrainerIndex],
      ],
      [
        'hoinongdan.tn@lantoa.vn',
        'Hội Nông dân tỉnh Thái Nguyên',
        { role: 'department_head', unitId: null, organisationId: farmersUnion },
        null,
      ],
      [
        'ubnd.donghy@lantoa.vn',
        'Văn phòng UBND xã Đồng Hỷ',
        { role: 'department_head', unitId: null, organisationId: committee },
        null,
      ],
    ];
    for (const [login, displayName, assignment, personId] of accounts) {
      if (await this.users.loginExists(m, login)) continue;
      const id = await this.users.insert(m, { login, displayName, passwordHash, mustChangePassword: false });
      await this.users.insertAssignment(m, id, assignment, null);
      if (personId) await this.users.setPerson(m, id, personId);
    }
    const users = await this.repository.usersByLogin(
      m,
      accounts.map((a) => a[0]),
    );
    const userIds = Object.fromEntries(users.map((u) => [u.login, u.id]));
    const others = communes.filter((c) => c.id !== donghy);
    await seedDemoKpi(m, this.repository, this.kpiFacts, {
      programId,
      province,
      communes,
      populations: totals,
      today: this.clock.today(),
      reporters: {
        communes: [{ id: donghy }, others[0], others[1]],
        organisationId: farmersUnion,
        users: {
          province: userIds['bcd.thainguyen@lantoa.vn'],
          commune: userIds['bcd.donghy@lantoa.vn'],
          head: userIds['hoinongdan.tn@lantoa.vn'],
        },
      },
    });
    const summary: DemoSummary = {
      programId,
      provincialTrainers: provincial.length,
      communeTrainers: communeTrainers.length,
      learners: learnerIds.length,
      ...classes,
      accounts: accounts.map((a) => a[0]),
    };
    await this.audit.record(
      { action: 'demo.seeded', entityType: 'program', entityId: programId, after: summary, actorId: null },
      m,
    );
    return summary;
  }

  private async communeNamed(m: EntityManager, fullName: string): Promise<number | null> {
    return this.repository.communeNamed(m, fullName, PROVINCE);
  }
}
