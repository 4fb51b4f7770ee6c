import { EntityManager } from 'typeorm';
import { apportion, KpiFactsRepository } from '../../kpi/src';

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
      const [{ id }]: { id: string }[] = await m.query(
        `INSERT INTO target (program_id, unit_id, indicator, period, kind, value, population_figure)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
        [input.programId, input.province.id, t.indicator, year, t.kind, value, t.figure ?? null],
      );
      if (!SPLIT.includes(t.indicator)) continue;
      await m.query(
        `INSERT INTO target (program_id, unit_id, indicator, period, kind, value, split_from_id)
         SELECT $1, unit_id, $2, $3, 'absolute', value, $4 FROM unnest($5::int[], $6::int[]) AS s(unit_id, value)`,
        [
          input.programId,
          t.indicator,
          year,
          id,
          input.communes.map((c) => c.id),
          apportion(value, input.populations),
        ],
      );
    }
  }

  // The plan's other lines: a cumulative target for the whole campaign, a phase's target, and a rate.
  const plan: [string, string, string, number, string | null][] = [
    ['learners_reached', '..2027', 'absolute', 6_000, null],
    ['commune_core_trainers', 'P2', 'absolute', 276, null],
    ['proficient_learners', '2026', 'rate', 70, 'completions'],
  ];
  for (const [indicator, when, kind, value, base] of plan) {
    await m.query(
      `INSERT INTO target (program_id, unit_id, indicator, period, kind, value, base_indicator)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [input.programId, input.province.id, indicator, when, kind, value, base],
    );
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
    await m.query(
      `INSERT INTO progress_report (program_id, unit_id, organisation_id, period, status, headcount, trained, proficient,
                                    indicators, notes, author_id, submitted_at, reviewed_by, reviewed_at, review_comment,
                                    awaiting_unit_id, approval_step)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, now(), $12, CASE WHEN $12::uuid IS NULL THEN NULL ELSE now() END, $13,
               $14, $15)`,
      [
        input.programId,
        unit.id,
        organisation,
        period,
        status,
        headcount,
        trained,
        proficient,
        JSON.stringify({ ai_clubs: clubs }),
        notes,
        author,
        reviewed ? users.province : null,
        comment,
        // The province is the last level of every demo report's chain.
        status === 'submitted' ? input.province.id : null,
        status === 'approved' ? 1 : 0,
      ],
    );
  }
}
