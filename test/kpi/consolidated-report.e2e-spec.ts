import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FixedClock } from '../../libs/platform/src';
import { createClass, createPerson, createProgram, createTrainer, sessionsFrom } from '../support/campaign';
import { communesOf, createOrganisation, createUser, TestUser } from '../support/fixtures';
import { Http } from '../support/http';
import { startTestApp, TestApp } from '../support/test-app';
import { pdfText, pdfToPng, toolAvailable } from '../support/tools';

const artifacts = join(__dirname, '../../dist/test-artifacts');

/**
 * The consolidated report of a unit: the reports approved under it for a period, one line each, the declared
 * figures added up and the records' figures counted over distinct people across all the reporters.
 *
 *   organisation X (commune A): P1 (completes A1), P2 (attends once)   — report approved
 *   organisation Y (commune B): P3 (attends A1)                          — report approved
 *   commune A (its residents: P1, P2)                                   — report approved
 *   commune B (P3, P4)                                                  — report submitted, not approved
 */
describe('the consolidated report of the approved reports under a unit', () => {
  const clock = new FixedClock(new Date('2026-11-25T10:00:00+07:00'));
  let t: TestApp;
  let program: { id: string };
  let A: string;
  let B: string;
  let province: TestUser;
  let communeB: TestUser;
  const people: Record<string, string> = {};

  const download = async (http: Http, path: string) => {
    const res = await fetch(t.baseUrl + path, { headers: { authorization: `Bearer ${http.token}` } });
    return {
      status: res.status,
      type: res.headers.get('content-type') ?? '',
      body: Buffer.from(await res.arrayBuffer()),
    };
  };

  /** Writes, submits and approves a report (`by` writes it, `reviewer` approves it). */
  async function approvedReport(by: Http, reviewer: Http | null, target: object, figures: number[]) {
    const [headcount, trained, proficient] = figures;
    const draft = await by.post('/api/v1/reports', {
      programId: program.id,
      period: '2026-Q2',
      headcount,
      trained,
      proficient,
      ...target,
    });
    expect(draft.status).toBe(201);
    expect((await by.post(`/api/v1/reports/${draft.body.id}/submit`, {})).status).toBe(200);
    if (reviewer) {
      const approved = await reviewer.post(`/api/v1/reports/${draft.body.id}/approve`, {});
      expect([approved.status, approved.body.status]).toEqual([200, 'approved']);
    }
    return draft.body.id as string;
  }

  beforeAll(async () => {
    t = await startTestApp({ clock });
    [A, B] = await communesOf(t, '19');
    program = await createProgram(t.http);
    const X = await createOrganisation(t, A, 'Ủy ban nhân dân xã thử nghiệm');
    const Y = await createOrganisation(t, B, 'Hội Nông dân xã bên cạnh');
    const headX = await createUser(t, [{ role: 'department_head', organisationId: X }]);
    const headY = await createUser(t, [{ role: 'department_head', organisationId: Y }]);
    const communeA = await createUser(t, [{ role: 'steering', unitCode: A }]);
    communeB = await createUser(t, [{ role: 'steering', unitCode: B }]);
    province = await createUser(t, [{ role: 'steering', unitCode: '19' }]);
    for (const [name, commune, organisationId] of [
      ['P1', A, X],
      ['P2', A, X],
      ['P3', B, Y],
      ['P4', B, null],
    ] as const) {
      people[name] = (
        await createPerson(t.http, commune, {
          fullName: `Lê Thị ${name}`,
          gender: 'female',
          segment: 'civil_servant',
          ...(organisationId ? { organisationId } : {}),
        })
      ).id;
    }
    const lead = (await createTrainer(t.http, program.id, A, { tier: 'provincial_core' })).id;
    const a1 = await createClass(t.http, program.id, lead, A, { sessions: sessionsFrom('2026-05-10', 3) });
    for (const p of ['P1', 'P2', 'P3', 'P4'])
      expect((await t.http.post(`/api/v1/classes/${a1.id}/enrolments`, { personId: people[p] })).status).toBe(
        201,
      );
    const mark = async (session: number, marks: [string, string][]) =>
      expect(
        (
          await t.http.put(`/api/v1/classes/${a1.id}/sessions/${a1.sessions[session].id}/attendance`, {
            marks: marks.map(([person, status]) => ({ personId: people[person], status })),
          })
        ).status,
      ).toBe(200);
    await mark(0, [
      ['P1', 'present'],
      ['P2', 'present'],
      ['P3', 'late'],
      ['P4', 'present'],
    ]);
    await mark(1, [
      ['P1', 'present'],
      ['P2', 'absent'],
      ['P3', 'absent'],
      ['P4', 'present'],
    ]);

    await approvedReport(headX.http, province.http, { organisationId: X }, [40, 35, 20]);
    await approvedReport(headY.http, communeB.http, { organisationId: Y }, [10, 5, 2]);
    await approvedReport(communeA.http, province.http, { unit: A }, [1000, 300, 100]);
    await approvedReport(communeB.http, null, { unit: B }, [800, 200, 50]);
  });
  afterAll(() => t.close());

  const path = (unit: string) =>
    `/api/v1/reports/consolidated/pdf?programId=${program.id}&unit=${unit}&period=2026-Q2`;

  it('lists the approved reports under the province with plan, % of plan and distinct totals', async () => {
    const res = await download(province.http, path('19'));
    expect([res.status, res.type]).toEqual([200, 'application/pdf']);
    mkdirSync(artifacts, { recursive: true });
    writeFileSync(join(artifacts, 'consolidated-report.pdf'), res.body);
    if (!toolAvailable('pdftotext', 'reading the consolidated report', 'poppler-utils')) return;
    const text = pdfText(res.body);
    const flat = text.replace(/\s+/g, ' ');
    for (const expected of [
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'Độc lập - Tự do - Hạnh phúc',
      'BAN CHỈ ĐẠO BÌNH DÂN HỌC AI',
      'Số: ......./BC-BCĐ',
      'ngày 25 tháng 11 năm 2026',
      'BÁO CÁO TỔNG HỢP',
      'quý II năm 2026',
      'Ủy ban nhân dân xã thử nghiệm',
      'Hội Nông dân xã bên cạnh',
      'NGƯỜI LẬP BIỂU',
      'THỦ TRƯỞNG ĐƠN VỊ',
    ]) {
      expect(flat).toContain(expected);
    }
    const lines = text.split('\n').map((l) => l.replace(/\s+/g, ' ').trim());
    const line = (start: string) => lines.find((l) => l.includes(start)) ?? '';
    // Each line: plan (its people), trained, % of plan, proficient, % of plan, then the frozen record figures.
    expect(line('Ủy ban nhân dân xã thử nghiệm')).toMatch(/ 40 35 88 % 20 50 % 2 1 0 \d\d\/\d\d\/2026$/);
    expect(line('Hội Nông dân xã bên cạnh')).toMatch(/ 10 5 50 % 2 20 % 1 0 0 \d\d\/\d\d\/2026$/);
    // Commune B's report is not approved: it is not in the table.
    expect(lines.filter((l) => /^\d+ /.test(l) && / \d\d\/\d\d\/2026$/.test(l))).toHaveLength(3);
    // Declared figures add up (1,050 people, 340 trained = 32.4 %, 122 proficient = 11.6 %); the records count
    // P1, P2 and P3 once each although P1 and P2 are in both X's and commune A's reports (2 + 1 + 2 = 5 lines).
    expect(line('Tổng cộng')).toMatch(
      /Tổng cộng \(3 báo cáo\) 1\.050 340 32 % 122 12 % 3 \(\*\) 1 \(\*\) 0 \(\*\)$/,
    );
    // People with a record: P1, P2, P3 and the trainer who lives in commune A (P4 is in no approved report).
    expect(flat).toContain('Người có hồ sơ: 4.');
    pdfToPng(res.body, join(artifacts, 'consolidated-report.png'), 1, 60);
  });

  it("matches each line's frozen figures and the distinct totals to the database", async () => {
    const sums: { trained: number }[] = await t.dataSource.query(
      `SELECT sum((r.record_figures ->> 'trained')::int)::int AS trained FROM progress_report r
        WHERE r.program_id = $1 AND r.period = '2026-Q2' AND r.status = 'approved'`,
      [program.id],
    );
    const [distinct]: { trained: number }[] = await t.dataSource.query(
      `SELECT count(DISTINCT a.person_id)::int AS trained FROM attendance a JOIN person p ON p.id = a.person_id
        WHERE a.status IN ('present', 'late') AND p.id = ANY ($1::uuid[])`,
      [[people.P1, people.P2, people.P3]],
    );
    // The lines add up to more than the people behind them; the total is the people.
    expect([sums[0].trained, distinct.trained]).toEqual([5, 3]);
  });

  it("keeps a commune's consolidated report to its own reporters, and others out", async () => {
    const res = await download(province.http, path(A));
    expect(res.status).toBe(200);
    if (toolAvailable('pdftotext', 'reading the consolidated report', 'poppler-utils')) {
      const flat = pdfText(res.body).replace(/\s+/g, ' ');
      expect(flat).toContain('Ủy ban nhân dân xã thử nghiệm');
      expect(flat).not.toContain('Hội Nông dân xã bên cạnh');
      expect(flat).toContain('Tổng cộng (2 báo cáo)');
    }
    // Commune B's steering member reads its own commune, not commune A nor the province.
    expect((await download(communeB.http, path(B))).status).toBe(200);
    expect((await download(communeB.http, path(A))).status).toBe(403);
    expect((await download(communeB.http, path('19'))).status).toBe(403);
    const bad = await download(
      province.http,
      `/api/v1/reports/consolidated/pdf?programId=${program.id}&unit=19&period=2026-Q9`,
    );
    expect(bad.status).toBe(400);
  });
});
