import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { EXCEL_MAX_ROWS, KpiWorkbook } from '../../libs/kpi/src';
import { FixedClock } from '../../libs/platform/src';
import {
  cccdFor,
  createClass,
  createPerson,
  createProgram,
  createTrainer,
  sessionsFrom,
} from '../support/campaign';
import { communesOf, createOrganisation, createUser, TestUser } from '../support/fixtures';
import { Http } from '../support/http';
import { waitForJobs } from '../support/jobs';
import { startTestApp, TestApp } from '../support/test-app';
import { pdfPages, pdfText, pdfToPng, toolAvailable } from '../support/tools';

const artifacts = join(__dirname, '../../dist/test-artifacts');

/**
 * A small campaign in Thái Nguyên whose figures are worked out by hand:
 *
 *   class A1 (commune A, May 2026):  P1 ✓ (can apply AI), P2 ✓            ✓ = completed (2 of 3 sessions)
 *   class B1 (commune B, June 2026): P1 ✓, P3 ✓
 *   class C1 (commune C, July 2026): P4 absent throughout, P5 one session (reached, not completed)
 *
 *   P1 farmer 1990 · P2 civil servant 1985 · P3 enterprise owner 1950 (not of working age) · P4 youth 2005 ·
 *   P5 farmer 1990
 *
 * Province, 2026: reached {P1,P2,P3,P5} = 4 (A 2 + B 2 + C 1 = 5: P1 is counted once); completed 3;
 * proficient 1; civil servants 1; working age {P1,P2,P5} = 3; enterprise owners 1; classes held 2
 * (A1 and B1 are closed, C1 is not).
 */
describe('targets and KPI', () => {
  const clock = new FixedClock(new Date('2026-11-25T10:00:00+07:00'));
  let t: TestApp;
  let program: { id: string; code: string };
  let A: string;
  let B: string;
  let C: string;
  const people: Record<string, string> = {};

  const kpi = async (http: Http, unit: string, period: string, view = 'recorded') => {
    const res = await http.get(
      `/api/v1/programs/${program.id}/kpi?unit=${unit}&period=${period}&view=${view}`,
    );
    expect(res.status).toBe(200);
    return res.body;
  };
  const figure = (body: any, code: string) => body.indicators.find((d: any) => d.code === code);
  const child = (body: any, code: string) => body.byChild.find((c: any) => c.unit.code === code);

  async function mark(classId: string, sessionId: string, marks: [string, string][]) {
    const res = await t.http.put(`/api/v1/classes/${classId}/sessions/${sessionId}/attendance`, {
      marks: marks.map(([person, status]) => ({ personId: people[person], status })),
    });
    expect(res.status).toBe(200);
  }

  async function classWith(unit: string, firstDay: string, learners: string[], lead: string) {
    const c = await createClass(t.http, program.id, lead, unit, { sessions: sessionsFrom(firstDay, 3) });
    const enrolments: Record<string, string> = {};
    for (const p of learners) {
      const res = await t.http.post(`/api/v1/classes/${c.id}/enrolments`, { personId: people[p] });
      expect(res.status).toBe(201);
      enrolments[p] = res.body.id;
    }
    return { ...c, enrolments };
  }

  async function close(classId: string) {
    // Marking attendance has already started the class.
    expect((await t.http.get(`/api/v1/classes/${classId}`)).body.status).toBe('in_progress');
    const res = await t.http.post(`/api/v1/classes/${classId}/status`, { status: 'completed' });
    expect(res.status).toBe(200);
  }

  beforeAll(async () => {
    t = await startTestApp({ clock, env: { RUN_JOBS: 'true', JOBS_POLL_MS: '100', EXPORT_SYNC_ROWS: '5' } });
    [A, B, C] = await communesOf(t, '19');
    program = await createProgram(t.http, {
      reportedIndicators: [{ code: 'ai_clubs', name: 'Câu lạc bộ AI' }],
    });
    const leadA = (await createTrainer(t.http, program.id, A, { tier: 'provincial_core' })).id;
    const leadB = (await createTrainer(t.http, program.id, B, { tier: 'provincial_core' })).id;
    await createTrainer(t.http, program.id, A, { trainedById: leadA });
    await createTrainer(t.http, program.id, B, { trainedById: leadB });
    await createTrainer(t.http, program.id, C, { trainedById: leadB });
    const spec: [string, string, number, string, Record<string, string>?][] = [
      ['P1', 'farmer', 1990, A],
      ['P2', 'civil_servant', 1985, A],
      ['P3', 'business_owner', 1950, B, { cccd: cccdFor('male', 1950), phone: '+84912345678' }],
      ['P4', 'youth', 2005, C],
      ['P5', 'farmer', 1990, C],
    ];
    for (const [name, segment, birthYear, commune, extra] of spec) {
      people[name] = (
        await createPerson(t.http, commune, { segment, birthYear, fullName: `Trần Văn ${name}`, ...extra })
      ).id;
    }
    const a1 = await classWith(A, '2026-05-10', ['P1', 'P2'], leadA);
    await mark(a1.id, a1.sessions[0].id, [
      ['P1', 'present'],
      ['P2', 'present'],
    ]);
    await mark(a1.id, a1.sessions[1].id, [
      ['P1', 'late'],
      ['P2', 'present'],
    ]);
    const outcome = await t.http.patch(`/api/v1/classes/${a1.id}/enrolments/${a1.enrolments.P1}`, {
      canApplyAiTool: true,
    });
    expect(outcome.status).toBe(200);
    await close(a1.id);
    const b1 = await classWith(B, '2026-06-15', ['P1', 'P3'], leadB);
    for (const s of b1.sessions.slice(0, 2))
      await mark(b1.id, s.id, [
        ['P1', 'present'],
        ['P3', 'present'],
      ]);
    await close(b1.id);
    const c1 = await classWith(C, '2026-07-01', ['P4', 'P5'], leadB);
    await mark(c1.id, c1.sessions[0].id, [
      ['P4', 'absent'],
      ['P5', 'present'],
    ]);
    await mark(c1.id, c1.sessions[1].id, [
      ['P4', 'absent'],
      ['P5', 'absent'],
    ]);
  });
  afterAll(() => t.close());

  it('counts distinct people up the hierarchy, never the sum of the communes', async () => {
    const province = await kpi(t.http, '19', '2026');
    const expected: Record<string, number> = {
      learners_reached: 4,
      completions: 3,
      proficient_learners: 1,
      civil_servants_reached: 1,
      working_age_reached: 3,
      enterprise_owners_reached: 1,
      classes_held: 2,
      provincial_core_trainers: 2,
      commune_core_trainers: 3,
    };
    for (const [code, value] of Object.entries(expected))
      expect([code, figure(province, code).actual]).toEqual([code, value]);
    expect(child(province, A).indicators.learners_reached.actual).toBe(2);
    expect(child(province, B).indicators.learners_reached.actual).toBe(2);
    expect(child(province, C).indicators.learners_reached.actual).toBe(1);
    expect(child(province, C).indicators.classes_held.actual).toBe(0);
    // Trend by month of first attendance: May P1, P2; June P3; July P5.
    const trend = figure(province, 'learners_reached').trend;
    expect(trend.map((p: any) => [p.month, p.value, p.cumulative]).slice(4, 7)).toEqual([
      ['2026-05', 2, 2],
      ['2026-06', 1, 3],
      ['2026-07', 1, 4],
    ]);
    // Proficiency as a share of completions: 1 of 3.
    expect(figure(province, 'proficient_learners').share).toEqual({
      of: 'completions',
      ofName: 'Người hoàn thành khóa học',
      base: 3,
      percent: 33.3,
    });
    // By segment, in the province.
    const farmers = province.bySegment.find((s: any) => s.segment === 'farmer');
    expect(farmers).toMatchObject({ reached: 2, completed: 1, proficient: 1, name: 'Nông dân' });
    // Periods cut by Vietnamese calendar: the second quarter holds May and June.
    const q2 = await kpi(t.http, '19', '2026-Q2');
    expect(figure(q2, 'learners_reached').actual).toBe(3);
    expect(figure(await kpi(t.http, '19', '2026-07'), 'learners_reached').actual).toBe(1);
  });

  it('counts certificates as they are issued and revoked, and classes as they are closed or reopened', async () => {
    const [a1]: { id: string }[] = await t.dataSource.query(
      `SELECT c.id FROM training_class c JOIN admin_unit u ON u.id = c.unit_id WHERE u.code = $1 AND c.program_id = $2`,
      [A, program.id],
    );
    const issued = await t.http.post(`/api/v1/classes/${a1.id}/certificates`, {});
    expect(issued.status).toBe(201);
    expect(issued.body).toHaveLength(2);
    let province = await kpi(t.http, '19', '2026');
    expect(figure(province, 'certificates_issued').actual).toBe(2);
    expect(child(province, A).indicators.certificates_issued.actual).toBe(2);
    // By level: every level of the curriculum is listed; the two closed classes and the two certificates
    // are of level 1.
    expect(province.byLevel.map((l: any) => l.level)).toEqual([1, 2, 3, 4, 5]);
    expect(province.byLevel[0]).toMatchObject({ level: 1, classes: 2, certificates: 2 });
    expect(province.byLevel.slice(1).every((l: any) => l.classes === 0 && l.certificates === 0)).toBe(true);
    expect(child(await kpi(t.http, A, '2026'), A)).toBeUndefined();
    expect((await kpi(t.http, A, '2026')).byLevel[0]).toMatchObject({ classes: 1, certificates: 2 });
    await t.http.post(`/api/v1/certificates/${issued.body[0].id}/revoke`, { reason: 'Sai họ tên' });
    province = await kpi(t.http, '19', '2026');
    expect(figure(province, 'certificates_issued').actual).toBe(1);
    expect(province.byLevel[0].certificates).toBe(1);
    // Reopening a class takes it out of "classes held" until it is closed again.
    expect((await t.http.post(`/api/v1/classes/${a1.id}/status`, { status: 'in_progress' })).status).toBe(
      200,
    );
    expect(figure(await kpi(t.http, '19', '2026'), 'classes_held').actual).toBe(1);
    expect((await t.http.post(`/api/v1/classes/${a1.id}/status`, { status: 'completed' })).status).toBe(200);
    expect(figure(await kpi(t.http, '19', '2026'), 'classes_held').actual).toBe(2);
  });

  it('shows % of target, and percentage targets against a population figure', async () => {
    let res = await t.http.put(`/api/v1/programs/${program.id}/targets`, {
      unit: '19',
      indicator: 'learners_reached',
      period: '2026',
      kind: 'absolute',
      value: 8,
    });
    expect(res.status).toBe(200);
    res = await t.http.put('/api/v1/units/19/population', { year: 2026, figures: { working_age: 1000 } });
    expect(res.status).toBe(200);
    res = await t.http.put(`/api/v1/programs/${program.id}/targets`, {
      unit: '19',
      indicator: 'working_age_reached',
      period: '2026',
      kind: 'percentage',
      value: 0.5,
      populationFigure: 'working_age',
    });
    expect(res.status).toBe(200);
    expect(res.body.resolvedValue).toBe(5);
    const province = await kpi(t.http, '19', '2026');
    expect(figure(province, 'learners_reached')).toMatchObject({ actual: 4, target: 8, percentOfTarget: 50 });
    // 3 of a target of 0.5% × 1,000 = 5 → 60%; 3 of 1,000 working-age people = 0.3%.
    expect(figure(province, 'working_age_reached')).toMatchObject({
      actual: 3,
      target: 5,
      percentOfTarget: 60,
    });
    expect(figure(province, 'working_age_reached').share).toEqual({
      of: 'population:working_age',
      ofName: 'Người trong độ tuổi lao động',
      base: 1000,
      percent: 0.3,
    });

    const bad = await t.http.put(`/api/v1/programs/${program.id}/targets`, {
      unit: '19',
      indicator: 'learners_reached',
      period: '2026',
      kind: 'percentage',
      value: 120,
    });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect(bad.body.errors.map((e: any) => e.field).sort()).toEqual(['populationFigure', 'value']);
  });

  it('splits a target among the communes and shows where children do not add up', async () => {
    const communes = await communesOf(t, '19');
    const put = await t.http.put(`/api/v1/programs/${program.id}/targets`, {
      unit: '19',
      indicator: 'classes_held',
      period: '2026',
      kind: 'absolute',
      value: 40,
    });
    // By population: A 3,000 and B 1,000 people, every other commune 0 → 30 and 10.
    const noFigures = await t.http.post(`/api/v1/programs/${program.id}/targets/${put.body.id}/split`, {
      method: 'population',
    });
    expect(noFigures.status).toBe(409);
    expect(noFigures.body.code).toBe('POPULATION_FIGURE_MISSING');
    await t.dataSource.query(
      `INSERT INTO population_figure (unit_id, year, figure, value)
       SELECT id, 2026, 'total', CASE code WHEN $1 THEN 3000 WHEN $2 THEN 1000 ELSE 0 END
         FROM admin_unit WHERE parent_id = (SELECT id FROM admin_unit WHERE code = '19') AND valid_to IS NULL`,
      [A, B],
    );
    // The preview shows what each commune would get, and writes nothing.
    const preview = await t.http.post(`/api/v1/programs/${program.id}/targets/${put.body.id}/split/preview`, {
      method: 'population',
    });
    expect(preview.status).toBe(200);
    expect(preview.body).toHaveLength(communes.length);
    expect(preview.body.find((s: any) => s.unit.code === A)).toMatchObject({ value: 30, currentValue: null });
    expect(preview.body.reduce((sum: number, s: any) => sum + s.value, 0)).toBe(40);
    const unwritten = await t.http.get(`/api/v1/programs/${program.id}/targets?unit=${A}&period=2026`);
    expect(unwritten.body.filter((x: any) => x.indicator === 'classes_held')).toEqual([]);
    const split = await t.http.post(`/api/v1/programs/${program.id}/targets/${put.body.id}/split`, {
      method: 'population',
    });
    expect(split.status).toBe(200);
    const again = await t.http.post(`/api/v1/programs/${program.id}/targets/${put.body.id}/split/preview`, {
      method: 'equal',
    });
    expect(again.body.find((s: any) => s.unit.code === A).currentValue).toBe(30);
    expect(split.body).toHaveLength(communes.length);
    const byCode = Object.fromEntries(split.body.map((s: any) => [s.unit.code, s.value]));
    expect([byCode[A], byCode[B], byCode[C]]).toEqual([30, 10, 0]);
    let gaps = await t.http.get(`/api/v1/programs/${program.id}/targets/consistency?unit=19&period=2026`);
    expect(gaps.body.filter((g: any) => g.parent.indicator === 'classes_held')).toEqual([]);
    // Equal split of 40 over the communes: the shares differ by at most one and add up to 40.
    const equal = await t.http.post(`/api/v1/programs/${program.id}/targets/${put.body.id}/split`, {
      method: 'equal',
    });
    const shares: number[] = equal.body.map((s: any) => s.value);
    expect(shares.reduce((a, b) => a + b, 0)).toBe(40);
    expect(Math.max(...shares) - Math.min(...shares)).toBeLessThanOrEqual(1);
    // By hand, for two communes: the other communes keep their shares and the total no longer matches.
    const manual = await t.http.post(`/api/v1/programs/${program.id}/targets/${put.body.id}/split`, {
      method: 'manual',
      shares: [
        { unit: A, value: 25 },
        { unit: B, value: 20 },
      ],
    });
    expect(manual.status).toBe(200);
    const [, , shareC] = [A, B, C].map((code) => equal.body.find((s: any) => s.unit.code === code).value);
    const expectedTotal = 40 - byShare(equal.body, A) - byShare(equal.body, B) + 25 + 20;
    gaps = await t.http.get(`/api/v1/programs/${program.id}/targets/consistency?unit=19&period=2026`);
    const gap = gaps.body.find((g: any) => g.parent.indicator === 'classes_held');
    expect(gap).toMatchObject({ childrenTotal: expectedTotal, difference: expectedTotal - 40 });
    // The commune's own figure against its target: C held no class (0 of its share).
    const province = await kpi(t.http, '19', '2026');
    expect(child(province, A).indicators.classes_held).toMatchObject({
      actual: 1,
      target: 25,
      percentOfTarget: 4,
    });
    expect(child(province, C).indicators.classes_held.target).toBe(shareC);

    const outside = await t.http.post(`/api/v1/programs/${program.id}/targets/${put.body.id}/split`, {
      method: 'manual',
      shares: [{ unit: '01', value: 1 }],
    });
    expect(outside.status).toBe(400);
    expect(outside.body.errors[0]).toMatchObject({ field: 'shares[0].unit' });
  });

  function byShare(rows: any[], code: string): number {
    return rows.find((s) => s.unit.code === code).value;
  }

  it('drills down from every figure to exactly the records behind it, masked by role', async () => {
    const viewer = await createUser(t, [{ role: 'viewer', unitCode: '19' }]);
    const province = await kpi(viewer.http, '19', '2026');
    const kinds: Record<string, string> = {};
    for (const d of province.indicators.filter((i: any) => i.source !== 'reports')) {
      const res = await viewer.http.get(
        `/api/v1/programs/${program.id}/kpi/drilldown?unit=19&period=2026&indicator=${d.code}&limit=500`,
      );
      expect([d.code, res.status, res.body.total]).toEqual([d.code, 200, d.actual]);
      expect(res.body.items).toHaveLength(d.actual);
      kinds[d.code] = res.body.kind;
    }
    // Each page says which records it holds, so a client knows their shape.
    expect(kinds).toMatchObject({
      learners_reached: 'people',
      proficient_learners: 'people',
      classes_held: 'classes',
      certificates_issued: 'certificates',
      commune_core_trainers: 'trainers',
      trainers_on_pace: 'trainers',
      materials_published: 'materials',
    });
    const reached = await viewer.http.get(
      `/api/v1/programs/${program.id}/kpi/drilldown?unit=${B}&period=2026&indicator=learners_reached`,
    );
    expect(reached.body.items.map((p: any) => p.id).sort()).toEqual([people.P1, people.P3].sort());
    // A viewer sees who, not their personal data; a steering member of the commune sees it.
    const p3 = reached.body.items.find((p: any) => p.id === people.P3);
    expect([p3.cccd, p3.phone]).toEqual([expect.stringContaining('******'), '+8491****678']);
    expect(p3.segmentName).toBe('Chủ doanh nghiệp, hợp tác xã, hộ kinh doanh');
    const steering = await createUser(t, [{ role: 'steering', unitCode: B }]);
    const full = await steering.http.get(
      `/api/v1/programs/${program.id}/kpi/drilldown?unit=${B}&period=2026&indicator=learners_reached`,
    );
    expect(full.body.items.find((p: any) => p.id === people.P3).phone).toBe('+84912345678');
    const farmers = await viewer.http.get(
      `/api/v1/programs/${program.id}/kpi/drilldown?unit=19&period=2026&indicator=learners_reached&segment=farmer`,
    );
    expect(farmers.body.total).toBe(province.bySegment.find((s: any) => s.segment === 'farmer').reached);
    const elsewhere = await createUser(t, [{ role: 'steering', unitCode: '01' }]);
    const denied = await elsewhere.http.get(
      `/api/v1/programs/${program.id}/kpi/drilldown?unit=19&period=2026&indicator=learners_reached`,
    );
    expect(denied.status).toBe(403);
  });

  it('ranks communes by % of target for the contests', async () => {
    // Both held one class: B (target 20) is at 5%, A (target 25) at 4%.
    const res = await t.http.get(
      `/api/v1/programs/${program.id}/kpi/leaderboard?unit=19&period=2026&indicator=classes_held&limit=3`,
    );
    expect(res.status).toBe(200);
    expect(
      res.body.items.slice(0, 2).map((r: any) => [r.rank, r.unit.code, r.actual, r.percentOfTarget]),
    ).toEqual([
      [1, B, 1, 5],
      [2, A, 1, 4],
    ]);
    expect(res.body.total).toBe((await communesOf(t, '19')).length);
  });

  describe('exports', () => {
    let viewer: TestUser;

    const send = async (http: Http, path: string, body?: unknown) => {
      const res = await fetch(t.baseUrl + path, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { authorization: `Bearer ${http.token}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return {
        status: res.status,
        type: res.headers.get('content-type') ?? '',
        location: res.headers.get('location'),
        body: Buffer.from(await res.arrayBuffer()),
      };
    };
    const load = async (xlsx: Buffer) => {
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(xlsx as unknown as ArrayBuffer);
      return workbook;
    };
    const text = (cell: ExcelJS.Cell) => (cell.value === null || cell.value === undefined ? '' : cell.text);
    /** Data rows of a list sheet: numbered rows under the "STT" header. */
    const listRows = (sheet: ExcelJS.Worksheet) => {
      const rows: ExcelJS.Row[] = [];
      sheet.eachRow((row) => {
        if (typeof row.getCell(1).value === 'number') rows.push(row);
      });
      return rows;
    };

    beforeAll(async () => {
      viewer = await createUser(t, [{ role: 'viewer', unitCode: '19' }]);
    });

    it("downloads a small workbook at once, its figures equal to the API's, in the official layout", async () => {
      const api = await kpi(viewer.http, '19', '2026');
      const res = await send(viewer.http, '/api/v1/exports', {
        programId: program.id,
        unit: '19',
        period: '2026',
        sheets: ['summary', 'learners'],
      });
      expect(res.status).toBe(200);
      expect(res.type).toContain('spreadsheetml');
      const workbook = await load(res.body);
      const summary = workbook.getWorksheet('Tổng hợp theo đơn vị')!;
      expect(text(summary.getCell('A1'))).toBe('TỈNH THÁI NGUYÊN');
      const cells: string[] = [];
      summary.eachRow((row) => row.eachCell((cell) => cells.push(text(cell))));
      for (const expected of [
        'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
        'Độc lập - Tự do - Hạnh phúc',
        'BÁO CÁO KẾT QUẢ THỰC HIỆN CHỈ TIÊU THEO ĐƠN VỊ',
        'NGƯỜI LẬP BIỂU',
        'THỦ TRƯỞNG ĐƠN VỊ',
      ]) {
        expect(cells).toContain(expected);
      }
      expect(cells.some((c) => c.startsWith('Số: '))).toBe(true);
      expect(cells.some((c) => c.startsWith('Kỳ báo cáo: năm 2026'))).toBe(true);
      expect(cells.some((c) => c.includes('không phải là tổng các dòng'))).toBe(true);
      // Indicator columns by their caption; the totals row is the province's own (distinct) figures.
      const headerRow = summary.getRow(10);
      const columnOf = (name: string) => {
        let found = 0;
        headerRow.eachCell((cell, col) => {
          // A merged caption repeats over its three columns: the first is the plan.
          if (!found && text(cell).startsWith(name)) found = col;
        });
        return found;
      };
      const rowOf = (label: string) => {
        let found: ExcelJS.Row | undefined;
        summary.eachRow((row) => {
          if (text(row.getCell(2)).startsWith(label)) found = row;
        });
        return found!;
      };
      const totals = rowOf('Tổng cộng');
      for (const d of api.indicators.filter((i: any) => i.source !== 'program')) {
        const col = columnOf(d.name);
        expect([d.code, totals.getCell(col).value, totals.getCell(col + 1).value]).toEqual([
          d.code,
          d.target,
          d.actual,
        ]);
        for (const c of api.byChild.filter((x: any) => x.indicators[d.code].actual > 0)) {
          expect([d.code, c.unit.code, rowOf(c.unit.fullName).getCell(col + 1).value]).toEqual([
            d.code,
            c.unit.code,
            c.indicators[d.code].actual,
          ]);
        }
      }
      const col = columnOf('Người học được tiếp cận');
      const sumOfCommunes = listRows(summary).reduce(
        (sum, row) => sum + Number(row.getCell(col + 1).value),
        0,
      );
      expect([sumOfCommunes, totals.getCell(col + 1).value]).toEqual([5, 4]);
      // One row per learner reached, personal data masked for a viewer.
      const learners = listRows(workbook.getWorksheet('Người học')!);
      expect(learners).toHaveLength(figure(api, 'learners_reached').actual);
      const p3 = learners.find((row) => text(row.getCell(2)) === 'Trần Văn P3')!;
      expect(text(p3.getCell(7))).toMatch(/^019\*{6}\d{3}$/);
      expect(text(p3.getCell(8))).toBe('+8491****678');
    });

    it("goes on in a continuation sheet past a sheet's row limit, the table header repeated", async () => {
      const writer = t.app.get(KpiWorkbook);
      // Room for the header block, the table header and two rows before the footer's reserve.
      writer.rowsPerSheet = 32;
      try {
        const api = await kpi(viewer.http, '19', '2026');
        const res = await send(viewer.http, '/api/v1/exports', {
          programId: program.id,
          unit: '19',
          period: '2026',
          sheets: ['learners'],
        });
        expect(res.status).toBe(200);
        const workbook = await load(res.body);
        const first = workbook.getWorksheet('Người học')!;
        const second = workbook.getWorksheet('Người học (2)')!;
        expect(text(second.getCell('A1'))).toBe('STT');
        expect(text(second.getCell('B1'))).toBe('Họ và tên');
        const numbers = [first, second].map((sheet) => listRows(sheet).map((row) => row.getCell(1).value));
        const reached = figure(api, 'learners_reached').actual;
        expect(numbers).toEqual([[1, 2], Array.from({ length: reached - 2 }, (_, i) => i + 3)]);
        expect(first.rowCount).toBeLessThanOrEqual(32);
        const notes: string[] = [];
        second.eachRow((row) => notes.push(text(row.getCell(1))));
        expect(notes).toContain('NGƯỜI LẬP BIỂU');
      } finally {
        writer.rowsPerSheet = EXCEL_MAX_ROWS;
      }
    });

    it('runs a large export as a job with progress, and LibreOffice opens the file', async () => {
      const started = await send(viewer.http, '/api/v1/exports', {
        programId: program.id,
        unit: '19',
        period: '2026',
      });
      expect(started.status).toBe(202);
      const job = JSON.parse(started.body.toString());
      expect(started.location).toBe(`/api/v1/exports/${job.id}`);
      let status = job;
      for (let i = 0; i < 100 && status.status !== 'succeeded'; i++) {
        await new Promise((r) => setTimeout(r, 100));
        status = (await viewer.http.get(`/api/v1/exports/${job.id}`)).body;
      }
      expect(status).toMatchObject({ status: 'succeeded', downloadUrl: `/api/v1/exports/${job.id}/file` });
      expect(status.progress).toBe(status.total);
      // Someone else cannot see or download it.
      const other = await createUser(t, [{ role: 'viewer', unitCode: '19' }]);
      expect((await other.http.get(`/api/v1/exports/${job.id}`)).status).toBe(404);
      const file = await send(viewer.http, status.downloadUrl);
      expect(file.status).toBe(200);
      const workbook = await load(file.body);
      expect(workbook.worksheets.map((s) => s.name)).toEqual([
        'Tổng hợp theo đơn vị',
        'Giảng viên',
        'Lớp học',
        'Người học',
      ]);
      expect(listRows(workbook.getWorksheet('Giảng viên')!)).toHaveLength(5);
      expect(listRows(workbook.getWorksheet('Lớp học')!)).toHaveLength(3);
      expect(listRows(workbook.getWorksheet('Người học')!)).toHaveLength(4);
      expect(status.total).toBe(5 + 3 + 4);

      if (!toolAvailable('soffice', 'opening the exported workbook', 'libreoffice-calc')) return;
      const dir = mkdtempSync(join(tmpdir(), 'lantoa-xlsx-'));
      writeFileSync(join(dir, 'kpi.xlsx'), file.body);
      execFileSync('soffice', ['--headless', '--convert-to', 'pdf', '--outdir', dir, join(dir, 'kpi.xlsx')], {
        env: { ...process.env, HOME: dir },
        timeout: 120_000,
      });
      const pdf = readFileSync(join(dir, 'kpi.pdf'));
      expect(pdfPages(pdf)).toBeGreaterThanOrEqual(4);
      expect(pdfText(pdf)).toContain('DANH SÁCH NGƯỜI HỌC ĐƯỢC TIẾP CẬN');
    }, 150_000);

    it('renders the PDF summary with its table and black-and-white charts', async () => {
      const res = await send(viewer.http, `/api/v1/programs/${program.id}/kpi/pdf?unit=19&period=2026`);
      expect(res.status).toBe(200);
      expect(res.type).toBe('application/pdf');
      mkdirSync(artifacts, { recursive: true });
      writeFileSync(join(artifacts, 'kpi-summary.pdf'), res.body);
      if (!toolAvailable('pdftotext', 'reading the KPI summary', 'poppler-utils')) return;
      expect(pdfPages(res.body)).toBeGreaterThanOrEqual(1);
      const content = pdfText(res.body).replace(/\s+/g, ' ');
      for (const expected of [
        'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
        'BÁO CÁO KẾT QUẢ THỰC HIỆN CHỈ TIÊU',
        'Tỉnh Thái Nguyên',
        'Người học được tiếp cận',
        'Giảng viên nòng cốt cấp tỉnh',
        'Người học được tiếp cận theo đơn vị trực thuộc',
        'Người học được tiếp cận theo đối tượng',
        'NGƯỜI LẬP BIỂU',
      ]) {
        expect(content).toContain(expected);
      }
      pdfToPng(res.body, join(artifacts, 'kpi-summary.png'), 1, 80);
    });

    it('writes percentages with one decimal below 10 % only, and a zero target as no target', async () => {
      const put = (indicator: string, body: object) =>
        t.http.put(`/api/v1/programs/${program.id}/targets`, {
          unit: '19',
          indicator,
          period: '2026',
          ...body,
        });
      // 4 of 41 = 9.8 %; 3 of 0.7 % × 1,000 = 7 → 42.9 %, written 43 %; a target of 0 classes.
      expect((await put('learners_reached', { kind: 'absolute', value: 41 })).status).toBe(200);
      const workingAge = { kind: 'percentage', populationFigure: 'working_age' };
      expect((await put('working_age_reached', { ...workingAge, value: 0.7 })).status).toBe(200);
      const zero = await put('classes_held', { kind: 'absolute', value: 0 });
      expect(zero.status).toBe(200);
      try {
        const api = await kpi(viewer.http, '19', '2026');
        expect(
          ['learners_reached', 'working_age_reached', 'classes_held'].map((c) => figure(api, c)),
        ).toEqual([
          expect.objectContaining({ actual: 4, target: 41, percentOfTarget: 9.8 }),
          expect.objectContaining({ actual: 3, target: 7, percentOfTarget: 42.9 }),
          expect.objectContaining({ target: 0, percentOfTarget: null }),
        ]);

        const workbook = await load(
          (
            await send(viewer.http, '/api/v1/exports', {
              programId: program.id,
              unit: '19',
              period: '2026',
              sheets: ['summary'],
            })
          ).body,
        );
        const summary = workbook.getWorksheet('Tổng hợp theo đơn vị')!;
        let totals: ExcelJS.Row | undefined;
        summary.eachRow((row) => {
          if (text(row.getCell(2)).startsWith('Tổng cộng')) totals = row;
        });
        const percentCell = (name: string) => {
          let col = 0;
          summary.getRow(10).eachCell((cell, c) => {
            if (!col && text(cell).startsWith(name)) col = c;
          });
          const cell = totals!.getCell(col + 2);
          return [cell.value, cell.numFmt];
        };
        expect(percentCell('Người học được tiếp cận')).toEqual([9.8, '0.0']);
        expect(percentCell('Người trong độ tuổi lao động')).toEqual([42.9, '0']);
        expect(percentCell('Lớp học đã tổ chức')[0]).toBe('Không có chỉ tiêu');

        const pdf = await send(viewer.http, `/api/v1/programs/${program.id}/kpi/pdf?unit=19&period=2026`);
        mkdirSync(artifacts, { recursive: true });
        writeFileSync(join(artifacts, 'kpi-summary-percentages.pdf'), pdf.body);
        if (!toolAvailable('pdftotext', 'reading the KPI summary', 'poppler-utils')) return;
        const lines = pdfText(pdf.body)
          .split('\n')
          .map((l) => l.replace(/\s+/g, ' ').trim());
        const line = (name: string) => lines.find((l) => l.includes(name)) ?? '';
        expect(line('Người học được tiếp cận')).toMatch(/ 41 4 9,8 %$/);
        expect(line('Người trong độ tuổi lao động')).toMatch(/ 7 3 43 %$/);
        // The words wrap in their narrow column, under the row's figures.
        expect(lines.join(' ').replace(/\s+/g, ' ')).toMatch(
          /Lớp học đã tổ chức lớp 0 \d+ Không có chỉ tiêu/,
        );
        pdfToPng(pdf.body, join(artifacts, 'kpi-summary-percentages.png'), 1, 80);
      } finally {
        await put('learners_reached', { kind: 'absolute', value: 8 });
        await put('working_age_reached', { ...workingAge, value: 0.5 });
        await t.http.delete(`/api/v1/programs/${program.id}/targets/${zero.body.id}`);
      }
    });

    it('exports the PDF summary through /exports too, as a job when asked, even when small', async () => {
      const now = await send(viewer.http, '/api/v1/exports', {
        programId: program.id,
        unit: '19',
        period: '2026',
        format: 'pdf',
      });
      expect([now.status, now.type]).toEqual([200, 'application/pdf']);
      expect(now.body.subarray(0, 5).toString()).toBe('%PDF-');
      const started = await send(viewer.http, '/api/v1/exports', {
        programId: program.id,
        unit: '19',
        period: '2026',
        format: 'pdf',
        delivery: 'job',
      });
      expect(started.status).toBe(202);
      const job = JSON.parse(started.body.toString());
      let status = job;
      for (let i = 0; i < 100 && status.status !== 'succeeded'; i++) {
        await new Promise((r) => setTimeout(r, 100));
        status = (await viewer.http.get(`/api/v1/exports/${job.id}`)).body;
      }
      expect(status).toMatchObject({ status: 'succeeded', progress: 1, total: 1 });
      const file = await send(viewer.http, status.downloadUrl);
      expect([file.status, file.type]).toEqual([200, 'application/pdf']);
      if (!toolAvailable('pdftotext', 'reading the exported summary', 'poppler-utils')) return;
      expect(pdfText(file.body).replace(/\s+/g, ' ')).toContain('BÁO CÁO KẾT QUẢ THỰC HIỆN CHỈ TIÊU');
      // A bad format is named in the problem.
      const bad = await viewer.http.post('/api/v1/exports', {
        programId: program.id,
        unit: '19',
        period: '2026',
        format: 'docx',
      });
      expect(bad.status).toBe(400);
      expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'format' })]);
    });
  });

  describe('progress reports', () => {
    let communeSteering: TestUser;
    let provinceSteering: TestUser;
    let head: TestUser;
    let organisationId: string;

    beforeAll(async () => {
      communeSteering = await createUser(t, [{ role: 'steering', unitCode: A }]);
      provinceSteering = await createUser(t, [{ role: 'steering', unitCode: '19' }]);
      organisationId = await createOrganisation(t, A, 'Hội Nông dân xã');
      head = await createUser(t, [{ role: 'department_head', organisationId }]);
    });

    it('goes draft → submitted → returned → submitted → approved, locked until an audited reopen', async () => {
      const created = await communeSteering.http.post('/api/v1/reports', {
        programId: program.id,
        unit: A,
        period: '2026-Q2',
        headcount: 5000,
        trained: 120,
        proficient: 150,
        indicators: { ai_clubs: 2 },
      });
      expect(created.status).toBe(400);
      expect(created.body.errors).toEqual([
        { field: 'proficient', reason: 'không được lớn hơn số đã tập huấn' },
      ]);
      const draft = await communeSteering.http.post('/api/v1/reports', {
        programId: program.id,
        unit: A,
        period: '2026-Q2',
        headcount: 5000,
        trained: 120,
        proficient: 45,
        indicators: { ai_clubs: 2 },
        notes: 'Đã mở lớp cho cán bộ thôn, xóm.',
      });
      expect(draft.status).toBe(201);
      expect(draft.body.status).toBe('draft');
      const id = draft.body.id;
      // The commune cannot approve its own report; the province can, once submitted.
      expect((await communeSteering.http.post(`/api/v1/reports/${id}/submit`, {})).body.status).toBe(
        'submitted',
      );
      expect((await communeSteering.http.post(`/api/v1/reports/${id}/approve`, {})).status).toBe(403);
      const returned = await provinceSteering.http.post(`/api/v1/reports/${id}/return`, {
        comment: 'Đề nghị bổ sung số người thành thạo.',
      });
      expect(returned.body).toMatchObject({
        status: 'returned',
        reviewComment: 'Đề nghị bổ sung số người thành thạo.',
      });
      const edited = await communeSteering.http.patch(`/api/v1/reports/${id}`, { proficient: 60 });
      expect(edited.body).toMatchObject({ status: 'returned', proficient: 60 });
      await communeSteering.http.post(`/api/v1/reports/${id}/submit`, {});
      const approved = await provinceSteering.http.post(`/api/v1/reports/${id}/approve`, {});
      expect(approved.body).toMatchObject({ status: 'approved', locked: true });

      const locked = await communeSteering.http.patch(`/api/v1/reports/${id}`, { trained: 130 });
      expect(locked.status).toBe(409);
      expect(locked.body.code).toBe('REPORT_LOCKED');
      // Approved figures feed the reported indicators of the level above.
      const q2 = await kpi(provinceSteering.http, '19', '2026-Q2');
      expect(figure(q2, 'reported_trained').actual).toBe(120);
      expect(figure(q2, 'reported_ai_clubs').actual).toBe(2);
      const drill = await provinceSteering.http.get(
        `/api/v1/programs/${program.id}/kpi/drilldown?unit=19&period=2026-Q2&indicator=reported_trained`,
      );
      expect(drill.body.items.map((r: any) => [r.id, r.value])).toEqual([[id, 120]]);

      const reopened = await provinceSteering.http.post(`/api/v1/reports/${id}/reopen`, {
        reason: 'Xã đề nghị điều chỉnh số đã tập huấn.',
      });
      expect(reopened.body.status).toBe('returned');
      const [audit]: { before: any; after: any }[] = await t.dataSource.query(
        `SELECT before, after FROM audit_log WHERE action = 'report.reopened' AND entity_id = $1`,
        [id],
      );
      expect(audit.before.status).toBe('approved');
      expect(audit.after).toMatchObject({
        status: 'returned',
        reviewComment: 'Xã đề nghị điều chỉnh số đã tập huấn.',
      });
      expect(figure(await kpi(provinceSteering.http, '19', '2026-Q2'), 'reported_trained').actual).toBe(0);
      expect((await communeSteering.http.patch(`/api/v1/reports/${id}`, { trained: 130 })).body.trained).toBe(
        130,
      );
    });

    it('lets a department head report for the organisation, reviewed by the commune', async () => {
      const draft = await head.http.post('/api/v1/reports', {
        programId: program.id,
        organisationId,
        period: '2026-Q2',
        headcount: 40,
        trained: 40,
        proficient: 12,
      });
      expect(draft.status).toBe(201);
      expect(draft.body.organisation).toEqual({ id: organisationId, name: 'Hội Nông dân xã' });
      await head.http.post(`/api/v1/reports/${draft.body.id}/submit`, {});
      expect((await head.http.post(`/api/v1/reports/${draft.body.id}/approve`, {})).status).toBe(403);
      const approved = await communeSteering.http.post(`/api/v1/reports/${draft.body.id}/approve`, {});
      expect(approved.body.status).toBe('approved');
      const mine = await head.http.get(`/api/v1/reports?program=${program.id}`);
      expect(mine.body.items.map((r: any) => r.id)).toEqual([draft.body.id]);
      // `programId`, as in every body, names the program too; `program` stays for older clients.
      const same = await head.http.get(`/api/v1/reports?programId=${program.id}`);
      expect(same.body.items.map((r: any) => r.id)).toEqual([draft.body.id]);
      const neither = await head.http.get(`/api/v1/reports`);
      expect(neither.status).toBe(400);
      expect(neither.body.errors).toEqual([expect.objectContaining({ field: 'programId' })]);
    });

    it('lists the children that have not submitted, and overdue reports', async () => {
      const missing = await provinceSteering.http.get(
        `/api/v1/reports/missing?program=${program.id}&unit=19&period=2026-Q2`,
      );
      expect(missing.status).toBe(200);
      const communes = await communesOf(t, '19');
      expect(missing.body).toHaveLength(communes.length);
      expect(missing.body.find((m: any) => m.id === A)).toMatchObject({
        status: 'returned',
        dueOn: '2026-07-05',
        overdue: true,
      });
      const ofA = await communeSteering.http.get(
        `/api/v1/reports/missing?program=${program.id}&unit=${A}&period=2026-Q2`,
      );
      expect(ofA.body).toEqual([]);
      const ofAQ3 = await communeSteering.http.get(
        `/api/v1/reports/missing?program=${program.id}&unit=${A}&period=2026-Q3`,
      );
      expect(ofAQ3.body).toEqual([
        expect.objectContaining({
          kind: 'organisation',
          id: organisationId,
          status: 'missing',
          overdue: true,
        }),
      ]);
      // Quarters of the program (March–December 2026) due by 25/11: Q1, Q2 and Q3.
      const overdue = await communeSteering.http.get(
        `/api/v1/reports/overdue?programId=${program.id}&unit=${A}`,
      );
      expect(overdue.body.map((o: any) => o.period)).toEqual(['2026-Q1', '2026-Q3']);
    });

    it('adds up the reports of the periods inside a year: flows summed, the latest headcount, no period twice', async () => {
      const steeringC = await createUser(t, [{ role: 'steering', unitCode: C }]);
      const approve = async (period: string, figures: Record<string, unknown>) => {
        const draft = await steeringC.http.post('/api/v1/reports', {
          programId: program.id,
          unit: C,
          period,
          ...figures,
        });
        expect([period, draft.status]).toEqual([period, 201]);
        await steeringC.http.post(`/api/v1/reports/${draft.body.id}/submit`, {});
        const approved = await provinceSteering.http.post(`/api/v1/reports/${draft.body.id}/approve`, {});
        expect(approved.body.status).toBe('approved');
        return draft.body.id as string;
      };
      await approve('2026-Q2', { headcount: 300, trained: 40, proficient: 10, indicators: { ai_clubs: 1 } });
      await approve('2026-Q3', { headcount: 320, trained: 60, proficient: 25, indicators: { ai_clubs: 2 } });
      // July is inside the third quarter, which has its own report: it does not count twice.
      await approve('2026-07', { headcount: 310, trained: 15, proficient: 5 });
      const october = await approve('2026-10', { headcount: 330, trained: 5, proficient: 1 });

      const year = await kpi(provinceSteering.http, C, '2026');
      expect(
        ['reported_headcount', 'reported_trained', 'reported_proficient', 'reported_ai_clubs'].map(
          (code) => figure(year, code).actual,
        ),
      ).toEqual([330, 105, 36, 3]);
      const q3 = await kpi(provinceSteering.http, C, '2026-Q3');
      expect([figure(q3, 'reported_headcount').actual, figure(q3, 'reported_trained').actual]).toEqual([
        320, 60,
      ]);
      const drill = await provinceSteering.http.get(
        `/api/v1/programs/${program.id}/kpi/drilldown?unit=${C}&period=2026&indicator=reported_headcount`,
      );
      expect(drill.body.items.map((r: any) => [r.id, r.value])).toEqual([[october, 330]]);
      const trained = await provinceSteering.http.get(
        `/api/v1/programs/${program.id}/kpi/drilldown?unit=${C}&period=2026&indicator=reported_trained`,
      );
      expect(trained.body.items.map((r: any) => r.period).sort()).toEqual(['2026-10', '2026-Q2', '2026-Q3']);
    });
  });

  it("re-attributes history through a merge on today's map, and keeps it as recorded", async () => {
    const merged = await t.http.post('/api/v1/units/merge', {
      sources: [C],
      into: { code: B },
      effectiveDate: '2026-08-01',
    });
    expect(merged.status).toBe(200);
    await waitForJobs(t, 'kpi.rebuild');
    const recorded = await kpi(t.http, '19', '2026', 'recorded');
    const current = await kpi(t.http, '19', '2026', 'current');
    expect(figure(recorded, 'learners_reached').actual).toBe(4);
    expect(figure(current, 'learners_reached').actual).toBe(4);
    // As recorded, C still has its learner (listed as a former commune); on today's map B has P1, P3 and P5.
    expect(child(recorded, C)).toMatchObject({ unit: { current: false } });
    expect(child(recorded, C).indicators.learners_reached.actual).toBe(1);
    expect(child(recorded, B).indicators.learners_reached.actual).toBe(2);
    expect(child(current, C)).toBeUndefined();
    expect(child(current, B).indicators.learners_reached.actual).toBe(3);
    expect(child(current, B).indicators.commune_core_trainers.actual).toBe(2);
    const drill = await t.http.get(
      `/api/v1/programs/${program.id}/kpi/drilldown?unit=${B}&period=2026&indicator=learners_reached&view=current`,
    );
    expect(drill.body.items.map((p: any) => p.id).sort()).toEqual([people.P1, people.P3, people.P5].sort());
  });

  it('counts a merged duplicate person once', async () => {
    // P6 is P1 registered twice, at a class of the other commune's trainer: counted twice until merged.
    people.P6 = (
      await createPerson(t.http, A, { segment: 'farmer', birthYear: 1990, fullName: 'Trần Văn P6' })
    ).id;
    const [lead]: { id: string }[] = await t.dataSource.query(
      `SELECT id FROM trainer WHERE program_id = $1 AND tier = 'provincial_core' ORDER BY seq LIMIT 1`,
      [program.id],
    );
    const a2 = await classWith(A, '2026-09-07', ['P6'], lead.id);
    await mark(a2.id, a2.sessions[0].id, [['P6', 'present']]);
    expect(figure(await kpi(t.http, '19', '2026'), 'learners_reached').actual).toBe(5);
    const merge = await t.http.post(`/api/v1/people/${people.P1}/merge`, { sourceIds: [people.P6] });
    expect(merge.status).toBe(200);
    const after = await kpi(t.http, '19', '2026');
    expect(figure(after, 'learners_reached').actual).toBe(4);
    expect(child(after, A).indicators.learners_reached.actual).toBe(2);
  });
});
