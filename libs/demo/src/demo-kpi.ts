import { EntityManager } from 'typeorm';
import { apportion, KpiFactsRepository } from '../../kpi/src';
import { DemoSeedRepository } from './demo-seed.repository';

interface Unit {
  id: number;
}

/** The demo campaign's plan for each year it runs: the province's targets, the communes' shares by population. */
const TARGETS: { indicator: string; kind: 'absolute' | 'percentage'; value: number; figure?: string }[] = [
  { indicator: 'provincial_core_trainers', kind: 'absolute', value: 25 },
  { indicator: 'commune_core_trainers', kind: 'absolute', value: 276 },
  { indicator: 'classes_held', kind: 'absolute', value: 150 },
  { indicator: 'learners_reached', kind: 'absolute', value: 2_500 },
  { indicator: 'completions', kind: 'absolute', value: 1_800 },
  { indicator: 'working_age_reached', kind: 'percentage', value: 0.2, figure: 'working_age' },
  { indicator: 'civil_servants_reached', kind: 'percentage', value: 1, figure: 'civil_servants' },
];
const SPLIT = ['classes_held', 'learners_reached'];

/** The quarter before the one `day` falls in (the last one whose reports are due). */
function previousQuarter(day: string): string {
  const year = Number(day.slice(0, 4));
  const quarter = Math.ceil(Number(day.slice(5, 7)) / 3);
  return quarter === 1 ? `${year - 1}-Q4` : `${year}-Q${quarter - 1}`;
}

/**
 * Targets, progress reports and the KPI facts of the demo campaign, so that the province's KPI shows plan
 * vs actual on the first start: targets for 2026 and 2027 (split among the communes by population where a
 * commune target makes sense), and last quarter's reports in every state of the workflow.
 */
export async function seedDemoKpi(
  m: EntityManager,
  repository: DemoSeedRepository,
  facts: KpiFactsRepository,
  input: {
    programId: string;
    province: Unit;
    communes: Unit[];
    populations: number[];
    today: string;
    /** Đồng Hỷ (written by its steering account) and two other communes; the farmers' union (by its head). */
    reporters: {
      communes: Unit[];
      organisationId: string;
      users: Record<'province' | 'commune' | 'head', string>;
    };
  },
): Promise<void> {
  await facts.rebuild(input.programId, m);
  for (const year of ['2026', '2027']) {
    const growth = year === '2026' ? 1 : 1.5;
    for (const t of TARGETS) {
      const value = t.kind === 'absolute' ? Math.round(t.value * growth) : t.value * growth;
      const id = await repository.insertTarget(m, {
        programId: input.programId,
        unitId: input.province.id,
        indicator: t.indicator,
        period: year,
        kind: t.kind,
        value,
        populationFigure: t.figure ?? null,
      });
      if (!SPLIT.includes(t.indicator)) continue;
      await repository.insertSplit(m, {
        programId: input.programId,
        indicator: t.indicator,
        period: year,
        splitFromId: id,
        unitIds: input.communes.map((c) => c.id),
        values: apportion(value, input.populations),
      });
    }
  }

  // The plan's other lines: a cumulative target for the whole campaign, a phase's target, and a rate.
  const plan: [string, string, string, number, string | null][] = [
    ['learners_reached', '..2027', 'absolute', 6_000, null],
    ['commune_core_trainers', 'P2', 'absolute', 276, null],
    ['proficient_learners', '2026', 'rate', 70, 'completions'],
  ];
  for (const [indicator, when, kind, value, base] of plan) {
    await repository.insertPlanLine(m, {
      programId: input.programId,
      unitId: input.province.id,
      indicator,
      period: when,
      kind,
      value,
      baseIndicator: base,
    });
  }

  const period = previousQuarter(input.today);
  const { communes, organisationId, users } = input.reporters;
  const reports: [
    Unit,
    string | null,
    string | null,
    string,
    number,
    number,
    number,
    number,
    string,
    string | null,
  ][] = [
    [
      communes[0],
      null,
      users.commune,
      'approved',
      52,
      47,
      21,
      2,
      'Đã tổ chức 6 lớp tại nhà văn hóa các xóm.',
      null,
    ],
    [communes[1], null, null, 'submitted', 38, 30, 12, 1, 'Hai lớp buổi tối cho nông dân trồng chè.', null],
    [
      communes[2],
      null,
      null,
      'returned',
      41,
      45,
      10,
      0,
      'Số liệu quý.',
      'Số đã tập huấn lớn hơn tổng số người; đề nghị rà soát.',
    ],
    [
      input.province,
      organisationId,
      users.head,
      'submitted',
      120,
      96,
      40,
      3,
      'Tập huấn cho cán bộ Hội các cấp.',
      null,
    ],
  ];
  for (const [
    unit,
    organisation,
    author,
    status,
    headcount,
    trained,
    proficient,
    clubs,
    notes,
    comment,
  ] of reports) {
    const reviewed = status === 'approved' || status === 'returned';
    await repository.insertReport(m, {
      programId: input.programId,
      unitId: unit.id,
      organisationId: organisation,
      period,
      status,
      headcount,
      trained,
      proficient,
      indicators: JSON.stringify({ ai_clubs: clubs }),
      notes,
      authorId: author,
      reviewedBy: reviewed ? users.province : null,
      reviewComment: comment,
      // The province is the last level of every demo report's chain.
      awaitingUnitId: status === 'submitted' ? input.province.id : null,
      approvalStep: status === 'approved' ? 1 : 0,
    });
  }
}
