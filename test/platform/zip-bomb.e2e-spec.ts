import ExcelJS from 'exceljs';
import { upload } from '../support/files';
import { startTestApp, TestApp } from '../support/test-app';
import { zipOf, ZipPart } from '../support/zip';

const MB = 1024 * 1024;

/** The parts of a one-sheet workbook whose shared strings are `strings` (a generator of XML chunks). */
function workbook(strings: () => Iterable<Buffer>, declaredSize?: number): ZipPart[] {
  const text = (name: string, xml: string): ZipPart => ({ name, chunks: () => [Buffer.from(xml)] });
  return [
    text(
      '[Content_Types].xml',
      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    ),
    text(
      '_rels/.rels',
      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    ),
    text(
      'xl/workbook.xml',
      '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
    ),
    text(
      'xl/_rels/workbook.xml.rels',
      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
    ),
    { name: 'xl/sharedStrings.xml', chunks: strings, declaredSize },
    text(
      'xl/worksheets/sheet1.xml',
      '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>',
    ),
  ];
}

/** Shared strings that unpack to `megabytes` MB: a million short names per 32 MB, compressing ~1000×. */
function manyStrings(megabytes: number): () => Iterable<Buffer> {
  const block = Buffer.from('<si><t>Nguyễn Văn An</t></si>'.repeat(Math.floor(MB / 32)));
  return function* () {
    yield Buffer.from(
      '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">',
    );
    for (let i = 0; i < megabytes; i++) yield block;
    yield Buffer.from('</sst>');
  };
}

/**
 * A workbook of a few hundred KB that unpacks to hundreds of MB is refused before any parser opens it,
 * with a clear reason and without the API's memory growing; so is one that lies about its sizes, and one
 * of thousands of parts. A real workbook still imports.
 */
describe('zip bombs in uploads', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  /** Uploads and samples the process's resident memory while the API works on it. */
  async function uploadWatchingMemory(file: Buffer) {
    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
    try {
      const res = await upload(t, '/api/v1/people/import?dryRun=true', file);
      return { res, growthMb: Math.round((peak - before) / MB) };
    } finally {
      clearInterval(timer);
    }
  }

  it('refuses a workbook that unpacks to 300 MB, with its memory flat', async () => {
    const bomb = await zipOf(workbook(manyStrings(300)));
    expect(bomb.length).toBeLessThan(2 * MB);
    const { res, growthMb } = await uploadWatchingMemory(bomb);
    expect([res.status, res.body.code, res.body.errors?.[0]?.field]).toEqual([
      400,
      'IMPORT_FILE_INVALID',
      'file',
    ]);
    expect(res.body.detail).toMatch(/giải nén ra 300 MB, quá giới hạn 200 MB/);
    expect(growthMb).toBeLessThan(100);
  }, 60_000);

  it('refuses one that claims to unpack to 1 MB and unpacks to 150, with its memory flat', async () => {
    const liar = await zipOf(workbook(manyStrings(150), MB));
    const { res, growthMb } = await uploadWatchingMemory(liar);
    expect([res.status, res.body.code]).toEqual([400, 'IMPORT_FILE_INVALID']);
    expect(res.body.detail).toMatch(/không giải nén đúng kích thước đã khai/);
    expect(growthMb).toBeLessThan(100);
  }, 60_000);

  it('refuses a part that compresses like a bomb, and a zip of thousands of parts', async () => {
    const dense = await zipOf(workbook(manyStrings(50)));
    const res = await upload(t, '/api/v1/people/import?dryRun=true', dense);
    expect([res.status, res.body.detail]).toEqual([400, expect.stringMatching(/tỉ lệ nén bất thường/)]);
    const parts = Array.from({ length: 2000 }, (_, i) => ({
      name: `x/${i}.xml`,
      chunks: () => [Buffer.from('<a/>')],
    }));
    const many = await upload(t, '/api/v1/people/import?dryRun=true', await zipOf(parts));
    expect([many.status, many.body.detail]).toEqual([400, expect.stringMatching(/quá 1000 phần/)]);
  }, 60_000);

  it('still reads a real workbook', async () => {
    const book = new ExcelJS.Workbook();
    book.addWorksheet('Sheet1').addRow(['Họ và tên']);
    const res = await upload(
      t,
      '/api/v1/people/import?dryRun=true',
      Buffer.from(await book.xlsx.writeBuffer()),
    );
    // Read and understood: the answer is about its columns, not about the file.
    expect([res.status, res.body.code]).toEqual([400, 'IMPORT_TEMPLATE_INVALID']);
  });
});
