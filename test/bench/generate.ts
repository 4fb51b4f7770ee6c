/**
 * Generates the DESIGN §5 benchmark dataset into the PostgreSQL database at --url (recreated): the project's
 * migrations and units (by starting its own modules), then one province of 100 communes, 300 provincial and
 * 3,000 commune trainers in a cascade of 4 generations, 2,000,000 learners, 100,000 classes, 250,000
 * sessions and 8,000,000 attendance marks, loaded with COPY; completions, reach and the KPI facts follow.
 * Deterministic: the same --seed and --scale give the same data.
 *   npm run bench:generate [-- --scale 0.01] [--url postgres://…/lantoa_bench]
 */
import 'reflect-metadata';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { DataSource } from 'typeorm';
import { AppModule } from '../../apps/api/src/app.module';
import { CASCADE_FROM_REACH } from '../../migrations/1796637600000-ReachAtScale';
import { PeopleGenerator, SeededRandom } from '../../libs/demo/src';
import { KpiFactsRepository } from '../../libs/kpi/src';
import { nameColumns } from '../../libs/people/src';
import { loadConfig } from '../../libs/platform/src';
import {
  BENCH_ADMIN,
  BENCH_PROGRAM,
  BENCH_PROVINCE,
  benchArgs,
  KIND,
  Progress,
  sizes,
  uuidFor,
} from './dataset';

const DAY_MS = 86_400_000;
const FIRST_DAY = Date.parse('2026-03-02T01:00:00Z'); // 08:00 in Vietnam
const LAST_FIRST_DAY = Date.parse('2026-11-09T01:00:00Z');
const SYNC_FIRST_DAY = Date.parse('2026-11-16T01:00:00Z');
const STATUSES = [
  ['present', 0.8],
  ['late', 0.07],
  ['excused', 0.05],
  ['absent', 0.08],
] as const;
const LEVELS = [
  [1, 0.4],
  [2, 0.25],
  [3, 0.15],
  [4, 0.12],
  [5, 0.08],
] as const;
const VENUES = [
  'cultural_house',
  'community_learning_centre',
  'commune_committee',
  'school',
  'library',
] as const;

/** COPY text format: tabs, newlines and backslashes escaped, NULL as \N. */
function line(values: (string | number | boolean | null)[]): string {
  return (
    values
      .map((v) =>
        v === null ? '\\N' : String(v).replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n'),
      )
      .join('\t') + '\n'
  );
}

async function copy(
  client: Client,
  table: string,
  columns: string[],
  total: number,
  rows: () => Generator<(string | number | boolean | null)[]>,
): Promise<void> {
  const progress = new Progress(table, total);
  function* chunks(): Generator<string> {
    let buffer = '';
    let n = 0;
    for (const row of rows()) {
      buffer += line(row);
      if (++n % 2000 === 0) {
        yield buffer;
        buffer = '';
        progress.update(n);
      }
    }
    if (buffer) yield buffer;
    progress.update(n);
  }
  await pipeline(
    Readable.from(chunks()),
    client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`)),
  );
  progress.done();
}

interface Trainer {
  index: number;
  id: string;
  personIndex: number;
  tier: 'provincial_core' | 'commune_core';
  commune: number;
  trainedBy: Trainer | null;
  lineage: string;
  depth: number;
}

interface ClassPlan {
  id: string;
  commune: number;
  lead: Trainer;
  level: number;
  status: 'completed' | 'in_progress';
  sessions: number[];
  learners: number[];
  /** marks[l][s]: status of learner l in session s (none for the sync classes). */
  marks: string[][] | null;
}

async function main(): Promise<void> {
  const args = benchArgs();
  const started = Date.now();
  console.log(
    `Generating the benchmark dataset at scale ${args.scale} into ${args.url.replace(/\/\/[^@]*@/, '//')}`,
  );
  console.log(JSON.stringify(sizes(args.scale)));

  // A fresh database with the project's migrations, units and first administrator.
  const url = new URL(args.url);
  const database = url.pathname.slice(1);
  const admin = new Client({
    connectionString: Object.assign(new URL(args.url), { pathname: '/postgres' }).toString(),
  });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${database}"`);
  await admin.end();
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'production',
    JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0',
    DATABASE_URL: args.url,
    DATA_DIR: process.env.BENCH_DATA_DIR ?? 'dist/bench-data',
    SEED_DEMO: 'false',
    RUN_JOBS: 'false',
    LOG_LEVEL: 'warn',
    ADMIN_LOGIN: BENCH_ADMIN.login,
    ADMIN_PASSWORD: BENCH_ADMIN.password,
  });
  const app: INestApplicationContext = await NestFactory.createApplicationContext(
    AppModule.forRoot({ config }),
    {
      logger: ['error', 'warn'],
    },
  );
  const dataSource = app.get(DataSource);
  const client = new Client({ connectionString: args.url });
  await client.connect();
  try {
    const summary = await loadDataset(client, { scale: args.scale, seed: args.seed }, (programId) =>
      app.get(KpiFactsRepository).rebuild(programId, dataSource.manager),
    );
    console.log(JSON.stringify({ ...summary, seconds: Math.round((Date.now() - started) / 1000) }));
  } finally {
    await client.end();
    await app.close();
  }
}

/**
 * Loads the dataset into a database that has the project's migrations and today's units (province
 * BENCH_PROVINCE among them) and nothing else: through `client` (COPY, so a PostgreSQL server), with
 * `rebuildKpi` computing the program's KPI facts as the product does. Ends with VACUUM ANALYZE.
 */
export async function loadDataset(
  client: Client,
  args: { scale: number; seed: number },
  rebuildKpi: (programId: string) => Promise<unknown>,
) {
  const size = sizes(args.scale);
  const [province] = (
    await client.query(`SELECT id FROM admin_unit WHERE code = $1 AND valid_to IS NULL`, [BENCH_PROVINCE])
  ).rows as { id: number }[];
  const communeIds = (
    await client.query(
      `SELECT id FROM admin_unit WHERE parent_id = $1 AND valid_to IS NULL ORDER BY code LIMIT $2`,
      [province.id, size.communes],
    )
  ).rows.map((r: { id: number }) => r.id);
  const communes = communeIds.length;
  const programId = (
    await client.query(
      `INSERT INTO program (code, name, owner_unit_id, starts_on, ends_on, completion_min_sessions)
       VALUES ($1, 'Bình dân học AI — chiến dịch đo hiệu năng', $2, '2026-03-01', '2027-06-30', 2) RETURNING id`,
      [BENCH_PROGRAM, province.id],
    )
  ).rows[0].id as string;

  // Trainers: provincial core (generation 0), then three generations of commune core trainers.
  const trainers: Trainer[] = [];
  const add = (tier: Trainer['tier'], commune: number, trainedBy: Trainer | null) => {
    const index = trainers.length;
    const t: Trainer = {
      index,
      id: uuidFor(KIND.trainer, index),
      personIndex: size.learners + index,
      tier,
      commune,
      trainedBy,
      lineage: `${trainedBy?.lineage ?? '/'}${index + 1}/`,
      depth: trainedBy ? trainedBy.depth + 1 : 0,
    };
    trainers.push(t);
    return t;
  };
  const provincial = Array.from({ length: size.provincialTrainers }, (_, i) =>
    add('provincial_core', i % communes, null),
  );
  const g1Size = Math.round(size.communeTrainers * 0.4);
  const g2Size = Math.round(size.communeTrainers * 0.4);
  const g1 = Array.from({ length: g1Size }, (_, j) =>
    add('commune_core', j % communes, provincial[j % provincial.length]),
  );
  const g2 = Array.from({ length: g2Size }, (_, j) =>
    add('commune_core', (j + 7) % communes, g1[j % g1.length]),
  );
  Array.from({ length: size.communeTrainers - g1Size - g2Size }, (_, j) =>
    add('commune_core', (j + 13) % communes, g2[j % g2.length]),
  );
  const byCommune: Trainer[][] = Array.from({ length: communes }, () => []);
  for (const t of trainers) if (t.tier === 'commune_core') byCommune[t.commune].push(t);

  // People: learners in contiguous blocks per commune, then the trainers.
  const blockOf = (commune: number) => [
    Math.floor((commune * size.learners) / communes),
    Math.floor(((commune + 1) * size.learners) / communes),
  ];
  const communeOfLearner = (i: number) => Math.min(communes - 1, Math.floor((i * communes) / size.learners));
  const totalPeople = size.learners + trainers.length;
  const serials = new Map<string, number>();
  await copy(
    client,
    'person',
    [
      'id',
      'full_name',
      'name_key',
      'swapped_name_key',
      'sort_key',
      'birth_year',
      'gender',
      'commune_id',
      'segment',
      'cccd',
      'phone',
    ],
    totalPeople,
    function* () {
      const people = new PeopleGenerator(new SeededRandom(args.seed));
      for (let i = 0; i < totalPeople; i++) {
        const p = people.next();
        const commune = i < size.learners ? communeOfLearner(i) : trainers[i - size.learners].commune;
        const names = nameColumns(p.fullName);
        // CCCD: registered in this province; serials unique per (century and gender, year).
        let cccd: string | null = null;
        if (p.cccd) {
          const prefix = `066${p.cccd.slice(3, 6)}`;
          const serial = (serials.get(prefix) ?? 0) + 1;
          serials.set(prefix, serial);
          cccd = `${prefix}${String(serial).padStart(6, '0')}`;
        }
        yield [
          uuidFor(KIND.person, i),
          names.fullName,
          names.nameKey,
          names.swappedNameKey,
          names.sortKey,
          p.birthYear,
          p.gender,
          communeIds[commune],
          i < size.learners ? p.segment : 'civil_servant',
          cccd,
          p.phone,
        ];
      }
    },
  );
  await client.query(
    `INSERT INTO trainer (id, seq, program_id, person_id, tier, home_unit_id, trained_by_id, lineage_path, depth,
                            registered_on)
       OVERRIDING SYSTEM VALUE
       SELECT *, '2026-03-01'::date FROM unnest($1::uuid[], $2::bigint[], $3::uuid[], $4::uuid[], $5::text[], $6::int[],
                                                $7::uuid[], $8::text[], $9::smallint[])`,
    [
      trainers.map((t) => t.id),
      trainers.map((t) => t.index + 1),
      trainers.map(() => programId),
      trainers.map((t) => uuidFor(KIND.person, t.personIndex)),
      trainers.map((t) => t.tier),
      trainers.map((t) => communeIds[t.commune]),
      trainers.map((t) => t.trainedBy?.id ?? null),
      trainers.map((t) => t.lineage),
      trainers.map((t) => t.depth),
    ],
  );
  await client.query(`SELECT setval(pg_get_serial_sequence('trainer', 'seq'), $1)`, [trainers.length]);
  console.log(`trainer: ${trainers.length.toLocaleString('en')} rows`);

  // Classes, each derived from its own seed so that every pass sees the same class.
  const totalClasses = size.classes + size.syncClasses;
  const plan = (i: number): ClassPlan => {
    const r = new SeededRandom(args.seed * 7919 + i);
    const sync = i >= size.classes;
    const commune = i % communes;
    const local = byCommune[commune];
    const lead = r.next() < 0.9 && local.length ? r.pick(local) : r.pick(provincial);
    const count = r.next() < 0.5 ? 2 : 3;
    const first = sync
      ? SYNC_FIRST_DAY
      : FIRST_DAY + Math.floor(r.next() * ((LAST_FIRST_DAY - FIRST_DAY) / DAY_MS + 1)) * DAY_MS;
    const sessions = Array.from({ length: count }, (_, k) => first + k * 7 * DAY_MS);
    const wanted = r.int(24, 40);
    const chosen = new Set<number>();
    const [from, to] = blockOf(commune);
    while (chosen.size < Math.min(wanted, to - from)) {
      // One learner in ten comes from another commune (counted once in the province).
      const [a, b] = r.next() < 0.1 ? blockOf(r.int(0, communes - 1)) : [from, to];
      chosen.add(r.int(a, b - 1));
    }
    const learners = [...chosen];
    return {
      id: uuidFor(KIND.class, i),
      commune,
      lead,
      level: r.weighted(LEVELS),
      status: sync || r.next() < 0.05 ? 'in_progress' : 'completed',
      sessions,
      learners,
      marks: sync ? null : learners.map(() => sessions.map(() => r.weighted(STATUSES))),
    };
  };
  const classes = function* () {
    for (let i = 0; i < totalClasses; i++) yield plan(i);
  };
  let sessionCount = 0;
  let enrolmentCount = 0;
  let markCount = 0;
  for (const c of classes()) {
    sessionCount += c.sessions.length;
    enrolmentCount += c.learners.length;
    markCount += c.marks ? c.learners.length * c.sessions.length : 0;
  }
  await copy(
    client,
    'training_class',
    [
      'id',
      'program_id',
      'level',
      'kind',
      'title',
      'lead_trainer_id',
      'unit_id',
      'venue_type',
      'venue_address',
      'mode',
      'capacity',
      'status',
      'enrolled_count',
    ],
    totalClasses,
    function* () {
      let n = 0;
      for (const c of classes()) {
        yield [
          c.id,
          programId,
          c.level,
          'citizen',
          `Lớp Bình dân học AI số ${++n}`,
          c.lead.id,
          communeIds[c.commune],
          VENUES[n % VENUES.length],
          `Điểm học số ${n}`,
          'in_person',
          40,
          c.status,
          c.learners.length,
        ];
      }
    },
  );
  const iso = (ms: number) => new Date(ms).toISOString();
  await copy(
    client,
    'class_session',
    ['id', 'class_id', 'position', 'starts_at', 'ends_at'],
    sessionCount,
    function* () {
      let n = 0;
      for (const c of classes()) {
        for (const [k, start] of c.sessions.entries()) {
          yield [uuidFor(KIND.session, n++), c.id, k + 1, iso(start), iso(start + 90 * 60_000)];
        }
      }
    },
  );
  await copy(
    client,
    'enrolment',
    [
      'id',
      'class_id',
      'person_id',
      'status',
      'attended_sessions',
      'completed_at',
      'outcome_can_apply',
      'enrolled_at',
    ],
    enrolmentCount,
    function* () {
      let n = 0;
      for (const c of classes()) {
        const r = new SeededRandom(args.seed + n);
        for (const [l, person] of c.learners.entries()) {
          // The program's rule: two sessions attended (present or late); completed on the second.
          const attended = c.sessions.filter(
            (_, s) => c.marks && ['present', 'late'].includes(c.marks[l][s]),
          );
          const completed = attended.length >= 2;
          yield [
            uuidFor(KIND.enrolment, n++),
            c.id,
            uuidFor(KIND.person, person),
            completed ? 'completed' : 'enrolled',
            attended.length,
            completed ? iso(attended[1]) : null,
            completed ? r.next() < 0.45 : null,
            iso(c.sessions[0] - 3 * DAY_MS),
          ];
        }
      }
    },
  );
  await copy(
    client,
    'attendance',
    ['session_id', 'person_id', 'class_id', 'status', 'method', 'recorded_at'],
    markCount,
    function* () {
      let sessionIndex = 0;
      for (const c of classes()) {
        for (const [s, start] of c.sessions.entries()) {
          const sessionId = uuidFor(KIND.session, sessionIndex++);
          if (!c.marks) continue;
          for (const [l, person] of c.learners.entries()) {
            yield [
              sessionId,
              uuidFor(KIND.person, person),
              c.id,
              c.marks[l][s],
              'roster',
              iso(start + 60 * 60_000),
            ];
          }
        }
      }
    },
  );

  // What completions make of it, set-based: reach (DESIGN §2), the pace counters, the KPI facts.
  const step = async (label: string, work: () => Promise<unknown>) => {
    const t0 = Date.now();
    await work();
    console.log(`${label}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  };
  await step('reach', async () => {
    await client.query(
      `INSERT INTO reach_fact (trainer_id, person_id, program_id, reached_on)
         SELECT c.lead_trainer_id, e.person_id, c.program_id,
                min(((e.completed_at AT TIME ZONE 'UTC') + interval '7 hours')::date)
           FROM enrolment e JOIN training_class c ON c.id = e.class_id
          WHERE e.status = 'completed' AND c.kind = 'citizen'
          GROUP BY c.lead_trainer_id, e.person_id, c.program_id`,
    );
    await client.query(
      `INSERT INTO trainer_reach_daily (trainer_id, day, reached)
         SELECT trainer_id, reached_on, count(*) FROM reach_fact GROUP BY trainer_id, reached_on`,
    );
    await client.query(
      `UPDATE trainer t SET direct_reach = x.n
           FROM (SELECT trainer_id, count(*)::int AS n FROM reach_fact GROUP BY trainer_id) x WHERE t.id = x.trainer_id`,
    );
    await client.query(CASCADE_FROM_REACH);
  });
  await step('population and targets', async () => {
    await client.query(
      `INSERT INTO population_figure (unit_id, year, figure, value)
         SELECT u.id, 2026, f.figure, round(f.share * (30000 + (u.id % 17) * 1000))
           FROM admin_unit u
          CROSS JOIN (VALUES ('total', 1.0), ('working_age', 0.62), ('civil_servants', 0.024),
                             ('enterprise_owners', 0.011)) AS f(figure, share)
          WHERE u.id = ANY ($1::int[])`,
      [communeIds],
    );
    await client.query(
      `INSERT INTO population_figure (unit_id, year, figure, value)
         SELECT $1, 2026, figure, sum(value) FROM population_figure WHERE unit_id = ANY ($2::int[]) GROUP BY figure`,
      [province.id, communeIds],
    );
    await client.query(
      `INSERT INTO target (program_id, unit_id, indicator, period, kind, value, population_figure)
         VALUES ($1, $2, 'learners_reached', '2026', 'absolute', $3, NULL),
                ($1, $2, 'classes_held', '2026', 'absolute', $4, NULL),
                ($1, $2, 'provincial_core_trainers', '2026', 'absolute', $5, NULL),
                ($1, $2, 'working_age_reached', '2026', 'percentage', 40, 'working_age')`,
      [programId, province.id, Math.round(size.learners * 0.75), size.classes, size.provincialTrainers],
    );
    await client.query(
      `INSERT INTO target (program_id, unit_id, indicator, period, kind, value)
         SELECT $1, unit_id, 'learners_reached', '2026', 'absolute', round($2 * value / sum(value) OVER ())
           FROM population_figure WHERE unit_id = ANY ($3::int[]) AND figure = 'total'`,
      [programId, Math.round(size.learners * 0.75), communeIds],
    );
  });
  // Statistics first: the facts are computed by joins whose plans depend on them.
  await step('analyze', () => client.query('ANALYZE'));
  await step('kpi facts', () => rebuildKpi(programId));
  // What autovacuum does to a live database after a bulk load: statistics of the facts, and visibility maps
  // so that index-only scans need not visit the tables.
  await step('vacuum', () => client.query('VACUUM ANALYZE'));
  return {
    scale: args.scale,
    communes,
    trainers: trainers.length,
    people: totalPeople,
    classes: totalClasses,
    sessions: sessionCount,
    enrolments: enrolmentCount,
    marks: markCount,
  };
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
