/**
 * Raw baseline of the learner import: exceljs's streaming reader over the same workbook, then COPY of its
 * rows into a scratch table. Prints rows/s.
 *   node -r @swc-node/register test/bench/raw-import.ts --file F --url postgres://…
 */
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import ExcelJS from 'exceljs';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { file: { type: 'string' }, url: { type: 'string' } } });
  const client = new Client({ connectionString: values.url });
  await client.connect();
  await client.query(
    `CREATE TEMP TABLE scratch_people (full_name text, birth_year int, gender text, commune text, segment text,
                                       cccd text, phone text)`,
  );
  const started = process.hrtime.bigint();
  const lines: string[] = [];
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(createReadStream(String(values.file)), {
    sharedStrings: 'cache',
    styles: 'ignore',
    hyperlinks: 'ignore',
    worksheets: 'emit',
  });
  for await (const sheet of reader) {
    for await (const row of sheet) {
      if (row.number === 1) continue;
      const v = row.values as (string | number | null | undefined)[];
      lines.push(
        [v[1], v[3], v[4], v[5], v[6], v[7], v[8]]
          .map((x) => (x === null || x === undefined ? '\\N' : String(x)))
          .join('\t') + '\n',
      );
    }
    break;
  }
  await pipeline(Readable.from(lines), client.query(copyFrom('COPY scratch_people FROM STDIN')));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await client.end();
  console.log(
    JSON.stringify({
      rows: lines.length,
      seconds: Number(seconds.toFixed(2)),
      perSecond: Math.round(lines.length / seconds),
    }),
  );
}

void main();
