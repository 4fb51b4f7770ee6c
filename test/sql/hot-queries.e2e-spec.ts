import { format } from 'node:util';
import { Family, FAMILIES } from './hot-queries';
import {
  Captured,
  captureFamilies,
  CaptureSession,
  committedSnapshot,
  indexesOf,
  planOf,
  render,
  snapshotPath,
  startCaptureSession,
  tidy,
} from './capture';

/**
 * The hot statements (KPI, reach, leaderboard, drill-down, people search, attendance sync) as the API sends
 * them now: each family's committed snapshot must be what the code sends (a changed statement fails until
 * `npm run sql:snapshots` rewrites its snapshot and the change is reviewed), and each statement, planned by
 * EXPLAIN with the parameters it was sent with on the benchmark dataset (scale 0.03: 60,000 people, 240,000
 * marks, the facts derived from them), must use the indexes its snapshot names — so a plan that stops using
 * them fails here rather than on a dashboard.
 */
const onServer = Boolean(process.env.TEST_DATABASE_URL);
if (!onServer) {
  console.warn(
    'test/sql/hot-queries.e2e-spec.ts is skipped on the embedded PostgreSQL (PGlite): its dataset is loaded ' +
      'with COPY, which PGlite does not take from a client. It runs where TEST_DATABASE_URL is set, as in CI.',
  );
}

(onServer ? describe : describe.skip)('hot queries: SQL snapshots and their plans', () => {
  let session: CaptureSession | undefined;
  let families: Map<Family, Captured[]>;

  beforeAll(async () => {
    session = await startCaptureSession();
    families = await captureFamilies(session);
  }, 300_000);

  afterAll(async () => {
    await session?.close();
  });

  test.each(FAMILIES.map((f) => [f.file, f] as const))('%s is what the code sends now', (_file, family) => {
    const now = render(family, families.get(family)!);
    const committed = committedSnapshot(family);
    if (committed === now) return;
    const a = (committed ?? '').split('\n');
    const b = now.split('\n');
    const line = b.findIndex((l, i) => l !== a[i]);
    throw new Error(
      `${snapshotPath(family)} is not what the code sends now: run \`npm run sql:snapshots\`, review the ` +
        `difference and commit it.\nFirst difference, line ${line + 1}:\n  committed: ${a[line] ?? '(none)'}\n` +
        `  now:       ${b[line] ?? '(none)'}`,
    );
  });

  test.each(FAMILIES.map((f) => [f.file, f] as const))(
    '%s: each statement uses the indexes its snapshot names',
    async (_file, family) => {
      const failures: string[] = [];
      let checked = 0;
      for (const c of families.get(family)!) {
        // Every statement is planned (so each is one PostgreSQL takes as captured); those naming indexes are checked.
        const used = indexesOf(await planOf(session!.app.dataSource, c));
        if (!c.statement.indexes.length) continue;
        checked++;
        const missing = c.statement.indexes.filter((i) => !used.includes(i));
        if (missing.length) {
          const text: { 'QUERY PLAN': string }[] = await session!.app.dataSource.query(
            `EXPLAIN ${c.sql}`,
            c.parameters,
          );
          failures.push(
            `"${c.statement.name}" does not use ${missing.join(', ')} (it uses ${used.join(', ') || 'no index'}).\n` +
              `${tidy(c.sql)}\nParameters: ${format('%o', c.parameters).slice(0, 500)}\n` +
              text.map((r) => r['QUERY PLAN']).join('\n'),
          );
        }
      }
      if (failures.length) throw new Error(failures.join('\n\n'));
      expect(checked).toBeGreaterThan(0);
    },
  );
});
