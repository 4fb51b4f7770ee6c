import ExcelJS from 'exceljs';
import { formatPercent } from '../../libs/kpi/src';
import { FixedClock } from '../../libs/platform/src';
import { cccdFor, createClass, createPerson, createProgram } from '../support/campaign';
import { download, upload } from '../support/files';
import { waitForJobs } from '../support/jobs';
import { importOldLaoCai } from '../support/old-map';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * The plans four provinces published, entered through the API and its import paths as a campaign that
 * began before Lan Tỏa would enter them, and their published plan-vs-actual lines read back exactly:
 *
 * - Yên Bái's six-month pilot (2024, the old map): "151 core members = 302 % of plan; 37 classes = 154 %;
 *   2,500 learners = 500 %; 100 videos and documents produced and shared; 600 people applying AI = 400 %".
 * - Văn Yên district, by the end of 2024 (the old map): 100 % of civil servants use AI daily; 85 % of
 *   enterprises, cooperatives and household businesses trained; 75 % of adults with a smartphone reached.
 * - Hồ Chí Minh City, 2026–2030: at least 1 % of the population trained each year in 2026–2027, 2 % by 2027;
 *   at least 5 % each year in 2028–2030, 15 % (about 2 million) by 2030; 80 % of learners apply a tool.
 * - Thái Nguyên: three phases; 10,000 people in the first 55 days of the mass rollout.
 */
describe('the plans provinces published, entered and read back exactly', () => {
  // Each plan enters a campaign's worth of records through the API: thousands of learners.
  jest.setTimeout(300_000);
  const clock = new FixedClock(new Date('2026-11-25T10:00:00+07:00'));
  let t: TestApp;

  const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Vũ', 'Đặng', 'Bùi', 'Đỗ', 'Hà', 'Lò', 'Sầm'];
  const MIDDLE = ['Văn', 'Thị', 'Đức', 'Minh', 'Ngọc', 'Thanh', 'Hữu', 'Kim', 'Quang', 'Xuân'];
  const GIVEN = ['An', 'Bình', 'Chi', 'Dũng', 'Giang', 'Hà', 'Hải', 'Hạnh', 'Hòa', 'Hùng', 'Hương', 'Khánh'];
  let nameIndex = 0;
  /** A distinct Vietnamese name (the duplicate rules see different people). */
  function nextName(): string {
    const i = nameIndex++;
    const given = GIVEN[i % GIVEN.length];
    const middle = MIDDLE[Math.floor(i / GIVEN.length) % MIDDLE.length];
    const family = FAMILY[Math.floor(i / (GIVEN.length * MIDDLE.length)) % FAMILY.length];
    const extra = GIVEN[Math.floor(i / (GIVEN.length * MIDDLE.length * FAMILY.length)) % GIVEN.length];
    return `${family} ${middle} ${extra} ${given}`;
  }

  const SEGMENT_WORDS: Record<string, string> = {
    civil_servant: 'Cán bộ, công chức, viên chức',
    farmer: 'Nông dân',
    business_owner: 'Chủ doanh nghiệp, hợp tác xã, hộ kinh doanh',
    youth: 'Thanh niên',
  };

  interface Learner {
    segment: string;
    canApply?: boolean;
    /** An existing person, found by CCCD. */
    cccd?: string;
  }

  /**
   * A class held on `days` in `unit` (a commune of the map of that time), its learners entered from the
   * class's workbook (attended every session), then closed — as a province enters its paper rosters.
   */
  async function heldClass(
    programId: string,
    lead: string,
    unit: string,
    days: string[],
    learners: Learner[],
  ): Promise<void> {
    const c = await createClass(t.http, programId, lead, unit, {
      capacity: Math.max(40, learners.length),
      sessions: days.map((d) => ({ startsAt: `${d}T08:00:00+07:00`, endsAt: `${d}T10:00:00+07:00` })),
    });
    const { workbook, sheet, firstRow } = await template(`/api/v1/classes/${c.id}/attendance/template`);
    learners.forEach((l, i) => {
      sheet.getRow(firstRow + i).values = [
        null,
        nextName(),
        1975 + (i % 30),
        i % 2 ? 'Nữ' : 'Nam',
        null,
        l.cccd ?? null,
        SEGMENT_WORDS[l.segment],
        ...days.map(() => 'Có mặt'),
        l.canApply === undefined ? null : l.canApply ? 'Có' : 'Không',
      ];
    });
    const res = await upload(
      t,
      `/api/v1/classes/${c.id}/attendance/import`,
      Buffer.from(await workbook.xlsx.writeBuffer()),
    );
    expect([res.status, res.body.rows]).toEqual([201, learners.length]);
    expect((await t.http.post(`/api/v1/classes/${c.id}/status`, { status: 'completed' })).status).toBe(200);
  }

  /** A downloaded import template and the first row under its header ("Họ và tên"). */
  async function template(path: string) {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await download(t, path)).body as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    let header = 0;
    sheet.eachRow((row, n) => {
      row.eachCell((cell) => {
        if (cell.value === 'Họ và tên' && !header) header = n;
      });
    });
    return { workbook, sheet, firstRow: header + 1 };
  }

  /** Trainers entered as history: a person each (living in `residence` today), registered on the day. */
  async function trainers(
    programId: string,
    count: number,
    home: string,
    residence: string,
    registeredOn: string,
    tier = 'commune_core',
  ): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const person = await createPerson(t.http, residence, {
        fullName: nextName(),
        segment: 'civil_servant',
      });
      const res = await t.http.post(`/api/v1/programs/${programId}/trainers`, {
        personId: person.id,
        tier,
        homeUnitCode: home,
        registeredOn,
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ registeredOn, imported: true });
      ids.push(res.body.id);
    }
    return ids;
  }

  async function kpi(programId: string, query: string) {
    const res = await t.http.get(`/api/v1/programs/${programId}/kpi?${query}`);
    expect([query, res.status]).toEqual([query, 200]);
    return res.body;
  }
  const line = (body: any, code: string) => body.indicators.find((i: any) => i.code === code);
  /** "actual = % of plan", as the plans write it. */
  const published = (i: { actual: number; percentOfTarget: number | null; target: number | null }) =>
    `${i.actual.toLocaleString('en')} = ${formatPercent(i.percentOfTarget, i.target).replace('\u00a0', ' ')}`;

  async function plan(programId: string, targets: Record<string, unknown>[]) {
    const res = await t.http.post(`/api/v1/programs/${programId}/targets/batch`, { targets });
    expect(res.status).toBe(200);
    return res.body;
  }

  beforeAll(async () => {
    t = await startTestApp({ clock, env: { RUN_JOBS: 'true', JOBS_POLL_MS: '100' } });
    await importOldLaoCai(t);
    await waitForJobs(t, 'kpi.rebuild');
  });
  afterAll(() => t.close());

  it("reproduces Yên Bái's six-month pilot: 151 = 302 %, 37 = 154 %, 2,500 = 500 %, 100, 600 = 400 %", async () => {
    // The pilot ran on the map of 2024: old Yên Bái (15) owns it; its communes have since merged.
    const program = await createProgram(t.http, {
      ownerUnitCode: '15',
      startsOn: '2024-06-01',
      endsOn: '2024-11-30',
      phases: [{ name: 'Thí điểm', startsOn: '2024-06-01', endsOn: '2024-11-30' }],
    });
    expect((await t.http.get(`/api/v1/programs/${program.id}`)).body.ownerUnit.fullName).toBe('Tỉnh Yên Bái');
    const pilot = { unit: '15', unitAsOf: '2024-06-01', period: 'P1', kind: 'absolute' };
    await plan(program.id, [
      { ...pilot, indicator: 'core_members', value: 50 },
      { ...pilot, indicator: 'classes_held', value: 24 },
      { ...pilot, indicator: 'learners_reached', value: 500 },
      { ...pilot, indicator: 'proficient_learners', value: 150 },
    ]);
    // 151 core members: 21 of the province, 130 of the communes, registered in the pilot's first weeks.
    const OLD_COMMUNES = ['04405', '04408', '04417', '04420', '04426', '04435', '04438', '04447'];
    const leads = await trainers(program.id, 21, '04405', '04375', '2024-06-10', 'provincial_core');
    await trainers(program.id, 130, '04408', '04375', '2024-06-20');
    // 37 classes, 2,500 learners in all, 600 of whom apply AI after the course.
    let learners = 0;
    let proficient = 0;
    for (let c = 0; c < 37; c++) {
      const size = c < 21 ? 68 : 67;
      const group = Array.from({ length: size }, () => ({
        segment: learners++ % 3 ? 'farmer' : 'civil_servant',
        canApply: proficient < 600 && (proficient++, true),
      }));
      const day = `2024-${String(7 + Math.floor(c / 10)).padStart(2, '0')}-${String(1 + (c % 10) * 2).padStart(2, '0')}`;
      const next = `${day.slice(0, 8)}${String(Number(day.slice(8)) + 1).padStart(2, '0')}`;
      await heldClass(
        program.id,
        leads[c % leads.length],
        OLD_COMMUNES[c % OLD_COMMUNES.length],
        [day, next],
        group,
      );
    }
    expect([learners, proficient]).toEqual([2500, 600]);
    // 100 videos and documents produced and shared during the pilot.
    for (let i = 0; i < 100; i++) {
      const res = await t.http.post(`/api/v1/programs/${program.id}/materials`, {
        level: 1 + (i % 5),
        title: `${i % 2 ? 'Video' : 'Tài liệu'} hướng dẫn số ${i + 1}`,
        kind: i % 2 ? 'video' : 'document',
        url: `https://hocai.yenbai.example.vn/bai-${i + 1}`,
        publishedOn: `2024-${String(7 + (i % 4)).padStart(2, '0')}-15`,
      });
      expect(res.status).toBe(201);
    }

    const figures = await kpi(program.id, 'unit=15&unitAsOf=2024-06-01&period=P1&view=recorded');
    expect(figures.unit.fullName).toBe('Tỉnh Yên Bái');
    expect(
      ['core_members', 'classes_held', 'learners_reached', 'materials_published', 'proficient_learners'].map(
        (code) => published(line(figures, code)),
      ),
    ).toEqual(['151 = 302 %', '37 = 154 %', '2,500 = 500 %', '100 = —', '600 = 400 %']);
    // On today's map the same people count in Lào Cai, which Yên Bái is part of since 2025.
    const today = await kpi(program.id, 'unit=15&period=P1&view=current');
    expect(today.unit.fullName).toBe('Tỉnh Lào Cai');
    expect(line(today, 'learners_reached').actual).toBe(2500);
  });

  it('reproduces Văn Yên district by the end of 2024: 100 % of civil servants, 85 % of enterprises, 75 % of adults', async () => {
    const program = await createProgram(t.http, {
      ownerUnitCode: '136',
      startsOn: '2024-01-01',
      endsOn: '2024-12-31',
    });
    expect(
      (
        await t.http.put('/api/v1/population-figures/adults_with_smartphone', {
          name: 'Người trưởng thành có điện thoại thông minh',
        })
      ).status,
    ).toBe(200);
    const population = await t.http.put('/api/v1/units/136/population', {
      year: 2024,
      figures: { civil_servants: 40, enterprise_owners: 20, adults_with_smartphone: 80 },
    });
    expect(population.status).toBe(200);
    const year = { unit: '136', unitAsOf: '2024-06-01', period: '2024', kind: 'percentage' };
    await plan(program.id, [
      {
        ...year,
        indicator: 'proficient_learners',
        segment: 'civil_servant',
        value: 100,
        populationFigure: 'civil_servants',
      },
      {
        ...year,
        indicator: 'completions',
        segment: 'business_owner',
        value: 85,
        populationFigure: 'enterprise_owners',
      },
      { ...year, indicator: 'learners_reached', value: 75, populationFigure: 'adults_with_smartphone' },
    ]);
    const [lead] = await trainers(program.id, 1, '04405', '04375', '2024-03-01', 'provincial_core');
    // Civil servants trained and using AI; enterprise owners trained; other adults reached.
    await heldClass(
      program.id,
      lead,
      '04405',
      ['2024-04-02', '2024-04-03'],
      [...Array.from({ length: 40 }, () => ({ segment: 'civil_servant', canApply: true }))],
    );
    await heldClass(
      program.id,
      lead,
      '04417',
      ['2024-05-06', '2024-05-07'],
      [
        ...Array.from({ length: 17 }, () => ({ segment: 'business_owner' })),
        ...Array.from({ length: 3 }, () => ({ segment: 'farmer' })),
      ],
    );

    const figures = await kpi(program.id, 'unit=136&unitAsOf=2024-06-01&period=2024&view=recorded');
    expect(figures.unit.fullName).toBe('Huyện Văn Yên');
    const segment = (code: string, indicator: string) =>
      figures.bySegment
        .find((s: any) => s.segment === code)
        .targets.find((x: any) => x.indicator === indicator);
    expect(segment('civil_servant', 'proficient_learners')).toMatchObject({
      actual: 40,
      target: 40,
      percentOfTarget: 100,
      targetBasis: { kind: 'percentage', percent: 100, base: 40 },
    });
    expect(segment('business_owner', 'completions')).toMatchObject({
      actual: 17,
      target: 17,
      percentOfTarget: 100,
      targetBasis: { kind: 'percentage', percent: 85, base: 20 },
    });
    expect(line(figures, 'learners_reached')).toMatchObject({
      actual: 60,
      target: 60,
      percentOfTarget: 100,
      targetBasis: {
        kind: 'percentage',
        percent: 75,
        ofName: 'Người trưởng thành có điện thoại thông minh',
        base: 80,
      },
    });
  });

  it("tracks Hồ Chí Minh City's plan: 1 % a year and 2 % by 2027, 5 % a year and 15 % (about 2 million) by 2030", async () => {
    const program = await createProgram(t.http, {
      ownerUnitCode: '79',
      startsOn: '2026-01-01',
      endsOn: '2030-12-31',
      phases: [
        { name: 'Phổ cập', startsOn: '2026-01-01', endsOn: '2027-12-31' },
        { name: 'Mở rộng', startsOn: '2028-01-01', endsOn: '2030-12-31' },
      ],
    });
    expect(
      (await t.http.put('/api/v1/units/79/population', { year: 2026, figures: { total: 13_400_000 } }))
        .status,
    ).toBe(200);
    const share = (period: string, value: number) => ({
      unit: '79',
      indicator: 'completions',
      period,
      kind: 'percentage',
      value,
      populationFigure: 'total',
    });
    await plan(program.id, [
      share('2026', 1),
      share('2027', 1),
      share('..2027', 2),
      share('2028', 5),
      share('2029', 5),
      share('2030', 5),
      share('..2030', 15),
      {
        unit: '79',
        indicator: 'proficient_learners',
        period: '..2030',
        kind: 'rate',
        value: 80,
        baseIndicator: 'completions',
      },
    ]);
    // The first learners: ten completed this year, eight of them apply a tool.
    const communes = (await t.http.get('/api/v1/units?parent=79&limit=5')).body.items;
    const lead = (
      await t.http.post(`/api/v1/programs/${program.id}/trainers`, {
        personId: (await createPerson(t.http, communes[0].code)).id,
        tier: 'provincial_core',
        homeUnitCode: communes[0].code,
      })
    ).body.id;
    await heldClass(
      program.id,
      lead,
      communes[0].code,
      ['2026-10-05', '2026-10-06'],
      [
        ...Array.from({ length: 8 }, () => ({ segment: 'youth', canApply: true })),
        ...Array.from({ length: 2 }, () => ({ segment: 'youth', canApply: false })),
      ],
    );

    const res = await t.http.get(`/api/v1/programs/${program.id}/plan?unit=79`);
    expect(res.status).toBe(200);
    const lines = res.body.lines.map((l: any) => [l.period.code, l.period.label, l.indicator, l.target]);
    expect(lines).toEqual([
      ['..2030', 'lũy kế đến hết năm 2030', 'completions', 2_010_000],
      ['..2030', 'lũy kế đến hết năm 2030', 'proficient_learners', 8],
      ['..2027', 'lũy kế đến hết năm 2027', 'completions', 268_000],
      ['2026', 'năm 2026', 'completions', 134_000],
      ['2027', 'năm 2027', 'completions', 134_000],
      ['2028', 'năm 2028', 'completions', 670_000],
      ['2029', 'năm 2029', 'completions', 670_000],
      ['2030', 'năm 2030', 'completions', 670_000],
    ]);
    const of = (period: string, indicator = 'completions') =>
      res.body.lines.find((l: any) => l.period.code === period && l.indicator === indicator);
    // 80 % of those who completed apply a tool: 8 of 10, exactly the plan.
    expect(of('..2030', 'proficient_learners')).toMatchObject({ actual: 8, percentOfTarget: 100 });
    // This year's 1 % is far off, and the pace says how far: 133,990 more in the 37 days left.
    expect(of('2026')).toMatchObject({
      actual: 10,
      status: 'behind',
      pace: { remaining: 133_990, daysLeft: 37 },
    });
    expect(of('2028')).toMatchObject({ status: 'upcoming', pace: { daysLeft: 366 } });
  });

  it("reproduces Thái Nguyên's three phases and its 10,000 people in the first 55 days of the rollout", async () => {
    const program = await createProgram(t.http, {
      ownerUnitCode: '19',
      startsOn: '2025-07-01',
      endsOn: '2026-06-30',
      phases: [
        { name: 'Chuẩn bị', startsOn: '2025-07-01', endsOn: '2025-07-31' },
        { name: 'Đào tạo lực lượng nòng cốt', startsOn: '2025-08-01', endsOn: '2025-08-31' },
        { name: 'Triển khai đại trà', startsOn: '2025-09-01', endsOn: '2026-06-30' },
      ],
    });
    // The first 55 days of the rollout: 1 September to 25 October.
    await plan(program.id, [
      {
        unit: '19',
        indicator: 'learners_reached',
        period: '2025-09-01..2025-10-25',
        kind: 'absolute',
        value: 10_000,
      },
    ]);
    // The learners exist already (the province's people list, imported at once), and come to 100 classes.
    const communes = (await t.http.get('/api/v1/units?parent=19&limit=20')).body.items.map(
      (u: any) => u.code,
    );
    const cccds = Array.from({ length: 10_000 }, (_, i) =>
      cccdFor(i % 2 ? 'female' : 'male', 1970 + (i % 35)),
    );
    const { workbook: people, sheet, firstRow } = await template('/api/v1/people/import/template');
    cccds.forEach((cccd, i) => {
      sheet.getRow(firstRow + i).values = [
        nextName(),
        null,
        1970 + (i % 35),
        i % 2 ? 'Nữ' : 'Nam',
        communes[i % communes.length],
        'Nông dân',
        cccd,
      ];
    });
    const imported = await upload(t, '/api/v1/people/import', Buffer.from(await people.xlsx.writeBuffer()));
    expect([imported.status, imported.body.created]).toEqual([200, 10_000]);
    const lead = (
      await t.http.post(`/api/v1/programs/${program.id}/trainers`, {
        personId: (await createPerson(t.http, communes[0])).id,
        tier: 'provincial_core',
        homeUnitCode: communes[0],
        registeredOn: '2025-08-01',
      })
    ).body.id;
    const day = (offset: number) =>
      new Date(Date.parse('2025-09-01T00:00:00Z') + offset * 86_400_000).toISOString().slice(0, 10);
    for (let c = 0; c < 100; c++) {
      // Classes from 1 September, their second session at most on 25 October, the 55th day.
      await heldClass(
        program.id,
        lead,
        communes[c % communes.length],
        [day(c % 54), day((c % 54) + 1)],
        cccds.slice(c * 100, c * 100 + 100).map((cccd) => ({ segment: 'farmer', cccd })),
      );
    }
    // A class starting on the 56th day counts in the rollout, not in its first 55 days.
    await heldClass(
      program.id,
      lead,
      communes[0],
      [day(55), day(56)],
      [{ segment: 'farmer' }, { segment: 'youth' }],
    );
    const figures = await kpi(program.id, 'unit=19&period=2025-09-01..2025-10-25');
    expect(figures.period.label).toBe('từ ngày 01/09/2025 đến ngày 25/10/2025');
    expect(published(line(figures, 'learners_reached'))).toBe('10,000 = 100 %');
    const phases = (await t.http.get(`/api/v1/programs/${program.id}`)).body.phases.map((p: any) => p.name);
    expect(phases).toEqual(['Chuẩn bị', 'Đào tạo lực lượng nòng cốt', 'Triển khai đại trà']);
    const rollout = await kpi(program.id, 'unit=19&period=P3');
    expect(line(rollout, 'learners_reached').actual).toBe(10_002);
  });
});
