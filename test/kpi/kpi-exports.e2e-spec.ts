import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { EXCEL_MAX_ROWS, KpiWorkbook } from '../../libs/kpi/src';
import { createUser, TestUser } from '../support/fixtures';
import { Http } from '../support/http';
import { TestApp } from '../support/test-app';
import { pdfPages, pdfText, pdfToPng, toolAvailable } from '../support/tools';
import { buildKpiWorld, figure, KpiWorld } from './kpi-world';

const artifacts = join(__dirname, '../../dist/test-artifacts');

/**
 * A workbook printed by LibreOffice: landscape A4 pages; each summary page carries its group's table header
 * (the repeated print titles) and each page the unit or name column; the text is at least 8 pt at print scale
 * (a word's box is about 1.2 em high); and the first pages are the summary's groups, one page each here.
 */
function checkPrintedWorkbook(file: string, summarySheets: number, children: number): void {
  const pdf = readFileSync(file);
  const pages = pdfPages(pdf);
  const info = execFileSync('pdfinfo', ['-f', '1', '-l', String(pages), file], { encoding: 'utf8' });
  const sizes = [...info.matchAll(/Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)/g)].map((m) => [
    Math.round(Number(m[1])),
    Math.round(Number(m[2])),
  ]);
  // Landscape A4 (842 × 595 points), every page.
  expect(sizes).toEqual(Array.from({ length: pages }, () => [842, 595]));
  const texts = Array.from({ length: pages }, (_, i) =>
    execFileSync('pdftotext', ['-layout', '-f', String(i + 1), '-l', String(i + 1), file, '-'], {
      encoding: 'utf8',
    }),
  );
  for (const [i, text] of texts.entries()) {
    // The table header (print titles) and the page's place in the workbook, on every page.
    expect([i + 1, /STT/.test(text), /Trang \d+\/\d+/.test(text)]).toEqual([i + 1, true, true]);
  }
  for (let part = 1; part <= summarySheets; part++) {
    const own = texts.filter((text) => text.includes(`Tổng hợp (${part})`));
    // Each group's sheet: the unit rows over a few pages (about 30 units a page), not one page per column.
    expect(own.length).toBeGreaterThanOrEqual(1);
    expect(own.length).toBeLessThanOrEqual(Math.ceil((children + 12) / 25));
    // Captions compared without white space: pdftotext spaces out the letters of a caption centred in a wide
    // merged cell when LibreOffice sets it in Liberation Serif (Times New Roman's stand-in), as "Đ ơn v ị".
    const bare = (s: string) => s.replace(/\s+/g, '');
    for (const text of own) {
      for (const caption of ['Đơn vị', 'Kế hoạch', 'Thực', 'Tỷ lệ đạt'])
        expect(bare(text)).toContain(bare(caption));
    }
    expect(own[0]).toContain(`Phần ${part}/${summarySheets}`);
    expect(own.join('\n')).toMatch(/Tổng cộng[\s\S]*THỦ TRƯỞNG ĐƠN VỊ/);
    expect(own.at(-1)).toContain('THỦ TRƯỞNG ĐƠN VỊ');
  }
  const boxes = execFileSync('pdftotext', ['-bbox', file, '-'], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const heights = [...boxes.matchAll(/yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)"/g)]
    .map((m) => Number(m[2]) - Number(m[1]))
    .sort((a, b) => a - b);
  expect(heights.length).toBeGreaterThan(100);
  // A serif word's box is about 1.11 em high: every word, the smallest included, prints at 8 pt or more.
  expect(heights[0] / 1.11).toBeGreaterThanOrEqual(8);
}

/**
 * The campaign of kpi-world.ts exported: streaming Excel workbooks that print, the PDF summary, percentages,
 * limits and scope.
 */
describe('targets and KPI: exports', () => {
  let w: KpiWorld;
  let t: TestApp;
  let program: KpiWorld['program'];
  const kpi: KpiWorld['kpi'] = (...args) => w.kpi(...args);

  beforeAll(async () => {
    w = await buildKpiWorld();
    ({ t, program } = w);
  });
  afterAll(() => w?.t.close());

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
    /** The summary's sheets: one per group of indicators. */
    const summarySheets = (workbook: ExcelJS.Workbook) =>
      workbook.worksheets.filter((sheet) => sheet.name.startsWith('Tổng hợp ('));
    /** The summary sheet and column (the plan's; actual and % follow) of an indicator, by its caption. */
    const summaryColumn = (workbook: ExcelJS.Workbook, name: string) => {
      for (const sheet of summarySheets(workbook)) {
        let col = 0;
        sheet.getRow(10).eachCell((cell, c) => {
          // A merged caption repeats over its three columns: the first is the plan.
          if (!col && text(cell).startsWith(name)) col = c;
        });
        if (col) return { sheet, col };
      }
      throw new Error(`no summary column for ${name}`);
    };
    /** The row of a summary sheet whose unit cell starts with the label. */
    const summaryRow = (sheet: ExcelJS.Worksheet, label: string) => {
      let found: ExcelJS.Row | undefined;
      sheet.eachRow((row) => {
        if (text(row.getCell(2)).startsWith(label)) found = row;
      });
      return found!;
    };
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
      const sheets = summarySheets(workbook);
      // The indicators are split into sheets of at most four groups of plan / actual / %, each self-contained.
      expect(sheets.map((sheet) => sheet.name)).toEqual([
        'Tổng hợp (1) Nòng cốt',
        'Tổng hợp (2) Lớp, người học',
        'Tổng hợp (3) Trực tuyến, GCN',
        'Tổng hợp (4) Đối tượng',
        'Tổng hợp (5) Hội thi',
        'Tổng hợp (6) Báo cáo',
      ]);
      for (const [i, summary] of sheets.entries()) {
        expect(text(summary.getCell('A1'))).toBe('TỈNH THÁI NGUYÊN');
        expect(summary.columnCount).toBeLessThanOrEqual(2 + 4 * 3);
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
        expect(cells.some((c) => c.startsWith(`Phần ${i + 1}/${sheets.length}: `))).toBe(true);
        expect(cells.some((c) => c.startsWith('Số: '))).toBe(true);
        expect(cells.some((c) => c.startsWith('Kỳ báo cáo: năm 2026'))).toBe(true);
        expect(cells.some((c) => c.includes('không phải là tổng các dòng'))).toBe(true);
        // Printed on landscape A4, the two header rows and the unit column repeated on every page.
        expect(summary.pageSetup).toMatchObject({
          paperSize: 9,
          orientation: 'landscape',
          printTitlesRow: '10:11',
          printTitlesColumn: 'A:B',
        });
        expect(summary.pageSetup.printArea).toMatch(/^A1:[A-N]\d+$/);
      }
      // Indicator columns by their caption; the totals row is the province's own (distinct) figures.
      for (const d of api.indicators.filter((i: any) => i.source !== 'program')) {
        const { sheet, col } = summaryColumn(workbook, d.name);
        const totals = summaryRow(sheet, 'Tổng cộng');
        expect([d.code, totals.getCell(col).value, totals.getCell(col + 1).value]).toEqual([
          d.code,
          d.target,
          d.actual,
        ]);
        for (const c of api.byChild.filter((x: any) => x.indicators[d.code].actual > 0)) {
          expect([d.code, c.unit.code, summaryRow(sheet, c.unit.fullName).getCell(col + 1).value]).toEqual([
            d.code,
            c.unit.code,
            c.indicators[d.code].actual,
          ]);
        }
      }
      const { sheet: summary, col } = summaryColumn(workbook, 'Người học được tiếp cận');
      const totals = summaryRow(summary, 'Tổng cộng');
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
        ...summarySheets(workbook).map((s) => s.name),
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
      mkdirSync(artifacts, { recursive: true });
      writeFileSync(join(artifacts, 'kpi-workbook-printed.pdf'), pdf);
      if (!toolAvailable('pdftotext', 'reading the printed workbook', 'poppler-utils')) return;
      // Printed as it comes: landscape A4, groups of indicators per sheet, headers repeated, legible text.
      const children = (await kpi(viewer.http, '19', '2026')).byChild.length;
      checkPrintedWorkbook(join(dir, 'kpi.pdf'), summarySheets(workbook).length, children);
      pdfToPng(pdf, join(artifacts, 'kpi-workbook-summary-page.png'), 2, 60);
      pdfToPng(pdf, join(artifacts, 'kpi-workbook-learners-page.png'), pdfPages(pdf), 60);
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
      const population = { year: 2026, figures: { working_age: 1000 } };
      expect((await t.http.put('/api/v1/units/19/population', population)).status).toBe(200);
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
        const percentCell = (name: string) => {
          const { sheet, col } = summaryColumn(workbook, name);
          const cell = summaryRow(sheet, 'Tổng cộng').getCell(col + 2);
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
});
