/**
 * The hot operations whose SQL is snapshotted (test/sql/snapshots/) and plan-checked
 * (hot-queries.e2e-spec.ts): each family is driven through the API as a user would, and every statement it
 * sends is named here with the index it must use at province scale (docs/benchmarks.md) and what its
 * parameters are. A statement the code sends that nothing here matches, or matched twice, stops the capture.
 */

/** One statement of a hot operation, as recognised in the SQL sent. */
export interface Statement {
  name: string;
  /** Recognises the statement's text (several texts may match: variants of one statement). */
  match: RegExp;
  /** The indexes its plan must use at province scale; none where no index serves it (then say why). */
  indexes: string[];
  /** Why these indexes, or why none. */
  why?: string;
  /** $1, $2, … in order. */
  params: string[];
}

export interface HotQueryContext {
  /** The application's clock. */
  now: Date;
  programId: string;
  province: string;
  commune: string;
  period: string;
  /** The provincial trainer with the largest cascade. */
  trainerId: string;
  /** A given and a middle name without diacritics (`thi ha`). */
  nameTerm: string;
  phone: string;
  cccd: string;
  /** Offline marks of classes in progress: one set for the warm-up, one recorded. */
  syncMarks: { sessionId: string; personId: string }[][];
}

export interface Api {
  get(path: string): Promise<{ requestId: string; body: unknown }>;
  post(path: string, body: unknown): Promise<{ requestId: string; body: unknown }>;
}

export interface Family {
  /** Its snapshot, in test/sql/snapshots/. */
  file: string;
  title: string;
  /** The requests, as documentation. */
  operations: string[];
  /**
   * Who sends them: the province's steering member (the dashboard's reader, whose scope the statements
   * carry), or the administrator (offline sync, which checks the classes' scope itself).
   */
  as: 'steering' | 'admin';
  statements: Statement[];
  /** Sends the requests; `round` 0 warms up, 1 is recorded. */
  run(api: Api, context: HotQueryContext, round: number): Promise<void>;
}

const NATIONAL_MAP =
  'The national map (about 3,400 units and their history) is the same size at any scale: read whole.';
/** The parameter of a scope condition (Policy's, for a caller whose roles cover units). */
const SCOPE = "the caller's scope: unit path prefixes ('/…/%')";

/** Statements several operations share (looking up the program, a unit by its code). */
export const SHARED: Statement[] = [
  {
    name: 'the program',
    match: /FROM program g JOIN admin_unit u ON u\.id = g\.owner_unit_id/,
    indexes: ['pk_admin_unit'],
    why: 'A handful of programs, read whole; the owner unit by its key, not a scan of the map.',
    params: ['program id'],
  },
  {
    name: 'a unit by its code (KPI)',
    match: /WHERE u\.code = \$1\s+AND \(\$2::date IS NULL/,
    indexes: ['ix_admin_unit_code'],
    params: ['unit code', "as of (null: today's map)"],
  },
  {
    name: 'a unit by its code, as the map stood on a day',
    match: /WITH state AS \(/,
    indexes: [],
    why: NATIONAL_MAP,
    params: ['unit code', 'day'],
  },
];

/** The statements of the KPI figures, shared by the KPI page and the communes' leaderboard. */
const KPI_FIGURES = {
  units: {
    name: 'the units figured: the unit and its children',
    match: /WHERE \(u\.parent_id = \$1 AND u\.valid_to IS NULL\)/,
    indexes: [],
    why: NATIONAL_MAP,
    params: ['unit id', "view: 'recorded' or 'current'", 'today'],
  },
  monthly: {
    name: 'people, classes and certificates: the monthly sums of the facts',
    match: /AS v0,[\s\S]*FROM kpi_monthly m WHERE/,
    indexes: ['pk_kpi_monthly'],
    params: [
      'program id',
      'unit ids: the unit and its children',
      'first month of the period',
      'first month after the period',
      'the unit whose months are wanted (the trend)',
    ],
  },
  reported: {
    name: 'reported figures: approved progress reports',
    match: /FROM progress_report r/,
    indexes: [],
    why: 'A few reports per unit and period (none in the benchmark dataset), by ux_progress_report.',
    params: [
      'program id',
      'unit ids',
      'last day of the period',
      'report periods inside the period, latest-ending first',
      "the program's reported indicator codes",
    ],
  },
  contests: {
    name: 'contest entries and winners',
    match: /FROM contest c JOIN contest_entry e/,
    indexes: [],
    why: 'Tens of contests per program (none in the benchmark dataset), by ix_contest_program_ends.',
    params: [
      'program id',
      'unit ids',
      'first day of the period',
      'first day after the period',
      'the unit whose months are wanted (the trend)',
    ],
  },
  trainers: {
    name: 'core trainers and those on pace',
    match: /WITH recent AS \(/,
    indexes: ['ix_trainer_reach_daily_day'],
    why: "Every trainer's reach of the last four weeks, by day; the trainers themselves (3,300 in a province) are read whole.",
    params: [
      'program id',
      'unit ids',
      'today',
      'first day of the period',
      'first day after the period',
      "days left until the program's end",
    ],
  },
  materials: {
    name: 'learning materials published',
    match: /FROM learning_material WHERE program_id/,
    indexes: [],
    why: 'Tens of materials per program (none in the benchmark dataset), by ix_learning_material_program.',
    params: ['program id', 'first day of the period', 'first day after the period'],
  },
  targets: {
    name: 'targets of the units',
    match: /FROM target t JOIN admin_unit u ON u\.id = t\.unit_id/,
    indexes: [],
    why: 'A few targets per unit (hundreds in a province), by uq_target.',
    params: ['program id', 'unit ids', 'period (null: every period)'],
  },
  targetPopulation: {
    name: 'population behind percentage targets',
    match: /AS k\(id, unit_id, figure, year\)/,
    indexes: [],
    why: 'Four figures per unit and year (hundreds in a province), by uq_population_figure.',
    params: ['target ids', 'their unit ids', 'their population figures', 'their years'],
  },
  figureKinds: {
    name: 'population figure kinds',
    match: /FROM population_figure_kind/,
    indexes: [],
    why: 'A handful of kinds.',
    params: ['the built-in kinds, in display order'],
  },
  population: {
    name: 'population figures of the units',
    match: /SELECT DISTINCT ON \(unit_id, figure\)/,
    indexes: [],
    why: 'Four figures per unit and year (hundreds in a province), by uq_population_figure.',
    params: ['unit ids', 'year'],
  },
  bySegment: {
    name: 'people by segment (one unit)',
    match: /GROUP BY segment ORDER BY segment/,
    indexes: ['pk_kpi_monthly'],
    params: [
      'program id',
      'unit id (as an array of one)',
      'first month of the period',
      'first month after the period',
    ],
  },
  byLevel: {
    name: 'classes, certificates and online completions by level (one unit)',
    match: /sum\(online\)::int AS "onlineCompletions"/,
    indexes: ['pk_kpi_monthly', 'pk_kpi_record_fact'],
    why:
      'Classes and certificates from the monthly sums by level. Online completions, counted per person, from ' +
      "their facts: few beside classes, found by kind through the facts' key (then by unit).",
    params: [
      'program id',
      'unit id (as an array of one)',
      'first month of the period',
      'first month after the period',
      'unit id',
      'first day of the period',
      'first day after the period',
    ],
  },
} satisfies Record<string, Statement>;

export const FAMILIES: Family[] = [
  {
    file: 'kpi.sql',
    title: 'KPI figures of a province and of a commune, one year',
    operations: [
      'GET /api/v1/programs/:id/kpi?unit=<province>&period=2026',
      'GET /api/v1/programs/:id/kpi?unit=<commune>&period=2026',
    ],
    as: 'steering',
    statements: Object.values(KPI_FIGURES),
    run: async (api, c) => {
      await api.get(`/api/v1/programs/${c.programId}/kpi?unit=${c.province}&period=${c.period}`);
      await api.get(`/api/v1/programs/${c.programId}/kpi?unit=${c.commune}&period=${c.period}`);
    },
  },
  {
    file: 'reach.sql',
    title: "A trainer's reach and cascade reach",
    operations: ['GET /api/v1/programs/:id/trainers/:trainerId/reach'],
    as: 'steering',
    statements: [
      {
        name: 'the trainer, its cascade reach, the last four weeks and its downstream trainers',
        match: /AS "cascadeReach"/,
        indexes: ['pk_cascade_reach_fact', 'pk_trainer_reach_daily', 'ix_trainer_lineage'],
        why:
          "Cascade reach is the trainer's range of cascade_reach_fact (docs/reach.md); the last four weeks its " +
          'days of trainer_reach_daily; the downstream trainers a range of lineage paths.',
        params: ['program id', SCOPE, 'trainer id', 'today'],
      },
    ],
    run: async (api, c) => {
      await api.get(`/api/v1/programs/${c.programId}/trainers/${c.trainerId}/reach`);
    },
  },
  {
    file: 'leaderboard.sql',
    title: 'The leaderboard of the trainers of a province (a page of 50 ranked over all)',
    operations: ['GET /api/v1/programs/:id/leaderboard?unit=<province>&limit=50'],
    as: 'steering',
    statements: [
      {
        name: 'the trainers of the unit ranked by direct reach',
        match: /ORDER BY "directReach" DESC/,
        indexes: [],
        why:
          "The province's trainers (3,300) are read whole and ranked by what their rows keep (direct reach, quota, " +
          'the name for ties); the page is read whole after, with its last four weeks.',
        params: [SCOPE, "the unit's path prefix ('/…/%')", 'program id', 'limit', 'offset'],
      },
      {
        name: "the page's trainers, with their last four weeks",
        match: /WHERE t\.id = ANY \(\$1::uuid\[\]\)\) x/,
        indexes: ['pk_person', 'pk_trainer_reach_daily'],
        params: ["the page's trainer ids", 'today'],
      },
    ],
    run: async (api, c) => {
      await api.get(`/api/v1/programs/${c.programId}/leaderboard?unit=${c.province}&limit=50`);
    },
  },
  {
    file: 'kpi-leaderboard.sql',
    title: "The communes of a province ranked by learners reached (the dashboard's competition table)",
    operations: ['GET /api/v1/programs/:id/kpi/leaderboard?unit=<province>&period=2026'],
    as: 'steering',
    statements: [
      {
        name: 'the communes of the unit',
        match: /WHERE path LIKE \$1 \|\| '%' AND level = 'commune'/,
        indexes: [],
        why: NATIONAL_MAP,
        params: ["the unit's path"],
      },
      KPI_FIGURES.monthly,
      KPI_FIGURES.reported,
      KPI_FIGURES.contests,
      KPI_FIGURES.trainers,
      KPI_FIGURES.targets,
      KPI_FIGURES.figureKinds,
    ],
    run: async (api, c) => {
      await api.get(`/api/v1/programs/${c.programId}/kpi/leaderboard?unit=${c.province}&period=${c.period}`);
    },
  },
  {
    file: 'kpi-drilldown.sql',
    title: 'KPI drill-down: the people behind "learners reached" of a province',
    operations: [
      'GET /api/v1/programs/:id/kpi/drilldown?unit=<province>&period=2026&indicator=learners_reached',
    ],
    as: 'steering',
    statements: [
      {
        name: 'the people reached in the period, a page in name order with the total',
        match: /FROM kpi_person_fact f JOIN person p/,
        indexes: ['ix_person_sort', 'pk_kpi_person_fact'],
        why:
          "People are walked in name order and each one's fact of the unit looked up by key; every person of a " +
          'province is reached, so there is no smaller set to start from.',
        params: [
          'program id',
          'view',
          'unit id',
          'first day of the period',
          'first day after the period',
          'limit',
          'offset',
        ],
      },
    ],
    run: async (api, c) => {
      await api.get(
        `/api/v1/programs/${c.programId}/kpi/drilldown?unit=${c.province}&period=${c.period}&indicator=learners_reached`,
      );
    },
  },
  {
    file: 'people-search.sql',
    title: 'People search: a name without diacritics, a phone number, a CCCD',
    operations: [
      'GET /api/v1/people?q=<given and middle name>&limit=50',
      'GET /api/v1/people?q=<phone>',
      'GET /api/v1/people?q=<CCCD>',
    ],
    as: 'steering',
    statements: [
      {
        name: 'by name: the matches collected, a page in name order, the total counted up to 1,000',
        match: /WITH found AS MATERIALIZED/,
        indexes: ['ix_person_name_search', 'pk_person'],
        why: 'The trigram index finds the matches; only the page of 50 is joined to communes and organisations.',
        params: [
          SCOPE,
          "'%name key%': the words folded, without diacritics",
          'limit',
          'offset',
          'count cap + 1 (1,001)',
        ],
      },
      {
        name: 'by phone number',
        match: /AND p\.phone = \$\d+ ORDER BY/,
        indexes: ['ix_person_phone'],
        params: [SCOPE, 'phone number, normalised', 'limit', 'offset'],
      },
      {
        name: 'by CCCD',
        match: /AND p\.cccd = \$\d+ ORDER BY/,
        indexes: ['ux_person_cccd'],
        params: [SCOPE, 'CCCD (12 digits)', 'limit', 'offset'],
      },
    ],
    run: async (api, c) => {
      await api.get(`/api/v1/people?q=${encodeURIComponent(c.nameTerm)}&limit=50`);
      await api.get(`/api/v1/people?q=${encodeURIComponent(c.phone)}`);
      await api.get(`/api/v1/people?q=${encodeURIComponent(c.cccd)}`);
    },
  },
  {
    file: 'attendance-sync.sql',
    title: 'Offline attendance sync: a batch of new marks of a few classes',
    operations: ['POST /api/v1/attendance/sync'],
    as: 'admin',
    statements: [
      {
        name: "the batch's classes with their sessions",
        match: /WHERE c\.id IN \(SELECT s\.class_id FROM class_session s WHERE s\.id = ANY/,
        indexes: ['pk_class_session', 'pk_training_class'],
        params: ['session ids of the marks'],
      },
      {
        name: 'enrolments of the marked people',
        match: /FROM enrolment e JOIN unnest/,
        indexes: ['uq_enrolment_class_person'],
        params: ['class ids', 'person ids (pairs with the class ids)'],
      },
      {
        name: 'the classes locked',
        match: /FROM training_class WHERE id = ANY \(\$1::uuid\[\]\) ORDER BY id FOR UPDATE/,
        indexes: ['pk_training_class'],
        params: ['class ids'],
      },
      {
        name: 'the stored marks, locked',
        match: /FROM attendance a JOIN unnest/,
        indexes: ['pk_attendance'],
        params: ['session ids', 'person ids (pairs with the session ids)'],
      },
      {
        name: 'the marks written (latest write wins by version)',
        match: /INSERT INTO attendance AS a/,
        indexes: ['pk_attendance'],
        why: 'The conflict with a stored mark is found through the primary key.',
        params: [
          'session ids',
          'person ids',
          'class ids',
          'statuses',
          'methods',
          'recorded by',
          'recorded at',
          'versions',
          'checked in at',
        ],
      },
      {
        name: 'the marks recorded with their answers (replays are found by client id)',
        match: /INSERT INTO sync_mark/,
        indexes: ['pk_sync_mark'],
        params: [
          'client ids',
          'session ids',
          'person ids',
          'statuses',
          'recorded at',
          'base versions',
          'results',
          'answers (JSON)',
          'submitted by (user id)',
        ],
      },
      {
        name: 'the derived work queued in the outbox',
        match: /INSERT INTO attendance_outbox/,
        indexes: [],
        why: 'One row inserted.',
        params: ['class ids', 'person ids'],
      },
      {
        name: 'a derive pass queued unless one is waiting',
        match: /INSERT INTO job \(kind, params, run_after\)/,
        indexes: ['ix_job_queue'],
        why: 'Jobs are kept once done: the waiting one is found among them by status.',
        params: ["job kind ('attendance.derive')", 'run after', 'notify the workers'],
      },
      {
        name: 'the audit entries',
        match: /INSERT INTO audit_log/,
        indexes: [],
        why: 'Rows inserted.',
        params: ['the entries (JSON array)'],
      },
    ],
    run: async (api, c, round) => {
      const recordedAt = new Date(c.now.getTime() - 3_600_000).toISOString();
      const marks = c.syncMarks[round].map((m) => ({
        clientId: crypto.randomUUID(),
        ...m,
        status: 'present',
        recordedAt,
      }));
      await api.post('/api/v1/attendance/sync', { marks });
    },
  },
];
