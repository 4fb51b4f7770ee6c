/**
 * Certificates per second and peak memory for one class batch of 2,000, through the product's renderer
 * (template from templates/certificates, fonts parsed once, vector QR codes), streamed to a file.
 *   npm run bench:certificates [-- --count 2000]
 */
import 'reflect-metadata';
import { createWriteStream, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CertificateRenderer, CertificateTemplates } from '../../libs/certificates/src';
import { PeopleGenerator, SeededRandom } from '../../libs/demo/src';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { count: { type: 'string', default: '2000' } } });
  const count = Number(values.count);
  const renderer = new CertificateRenderer(new CertificateTemplates());
  const people = new PeopleGenerator(new SeededRandom(1));
  const file = join(mkdtempSync(join(tmpdir(), 'lantoa-bench-')), 'batch.pdf');
  const started = process.hrtime.bigint();
  const doc = renderer.document('default', 'Giấy chứng nhận — bench');
  const out = createWriteStream(file);
  const done = new Promise<void>((resolve) => out.on('finish', () => resolve()));
  doc.pipe(out);
  for (let i = 1; i <= count; i++) {
    const p = people.next();
    renderer.page(doc, 'default', {
      issuer: 'Ban Chỉ đạo Bình dân học AI tỉnh Thái Nguyên',
      learnerName: p.fullName,
      birthYear: String(p.birthYear),
      commune: 'Xã Đồng Hỷ',
      province: 'Tỉnh Thái Nguyên',
      programName: 'Bình dân học AI — tỉnh Thái Nguyên',
      level: '1',
      levelTitle: 'Làm quen với trí tuệ nhân tạo',
      serial: `TN-2026-${String(i).padStart(6, '0')}`,
      issueDate: '25/11/2026',
      placeAndDate: 'Thái Nguyên, ngày 25 tháng 11 năm 2026',
      signerTitle: 'Trưởng Ban Chỉ đạo',
      signerName: '',
      verifyUrl: `https://lantoa.example/verify/${Buffer.from(String(i * 7919))
        .toString('base64url')
        .padEnd(32, 'x')}`,
    });
  }
  doc.end();
  await done;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const peakMb = process.resourceUsage().maxRSS / 1024;
  console.log(
    JSON.stringify({
      certificates: count,
      seconds: Number(seconds.toFixed(2)),
      perSecond: Math.round(count / seconds),
      peakRssMb: Math.round(peakMb),
      fileMb: Number((statSync(file).size / 1024 / 1024).toFixed(1)),
    }),
  );
}

void main();
