/**
 * Raw baseline of the certificate batch: a plain pdfkit loop drawing the same page as the default template
 * (same fonts parsed once, same texts and frames, the QR code as vector rectangles), no template engine,
 * no service. Prints pages/s and peak RSS.
 *   node -r @swc-node/register test/bench/raw-pdf.ts --count 2000
 */
import { createWriteStream, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as QRCode from 'qrcode';
import { PeopleGenerator, SeededRandom } from '../../libs/demo/src';
import { vietnameseDocument } from '../../libs/platform/src';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { count: { type: 'string', default: '2000' } } });
  const count = Number(values.count);
  const people = new PeopleGenerator(new SeededRandom(1));
  const file = join(mkdtempSync(join(tmpdir(), 'lantoa-raw-pdf-')), 'raw.pdf');
  const started = process.hrtime.bigint();
  const doc = vietnameseDocument({ size: [841.89, 595.28], margin: 0, autoFirstPage: false });
  const out = createWriteStream(file);
  const done = new Promise<void>((resolve) => out.on('finish', () => resolve()));
  doc.pipe(out);
  const text = (
    value: string,
    x: number,
    y: number,
    width: number,
    font: string,
    size: number,
    color = '#1a1a1a',
  ) => doc.font(font).fontSize(size).fillColor(color).text(value, x, y, { width, align: 'center' });
  for (let i = 1; i <= count; i++) {
    const p = people.next();
    doc.addPage({ size: [841.89, 595.28], margin: 0 });
    doc.lineWidth(3).strokeColor('#8b1a1a').rect(16, 16, 809.89, 563.28).stroke();
    doc.lineWidth(0.8).rect(24, 24, 793.89, 547.28).stroke();
    text('BAN CHỈ ĐẠO BÌNH DÂN HỌC AI TỈNH THÁI NGUYÊN', 50, 52, 330, 'bold', 12);
    doc.lineWidth(0.8).strokeColor('#1a1a1a').moveTo(165, 90).lineTo(265, 90).stroke();
    text('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 430, 52, 362, 'bold', 12);
    text('Độc lập - Tự do - Hạnh phúc', 430, 69, 362, 'bold', 13);
    doc.moveTo(525, 88).lineTo(697, 88).stroke();
    text('GIẤY CHỨNG NHẬN', 40, 128, 762, 'bold', 40, '#8b1a1a');
    text('Chứng nhận', 40, 196, 762, 'italic', 16, '#4a4a4a');
    text(p.fullName, 40, 220, 762, 'bold', 30, '#8b1a1a');
    text(
      `Năm sinh: ${p.birthYear}   ·   Nơi cư trú: Xã Đồng Hỷ, Tỉnh Thái Nguyên`,
      40,
      268,
      762,
      'regular',
      14,
    );
    text('Đã hoàn thành chương trình', 40, 298, 762, 'regular', 14);
    text('Bình dân học AI — tỉnh Thái Nguyên', 40, 320, 762, 'bold', 18);
    text('Cấp độ 1: Làm quen với trí tuệ nhân tạo', 40, 348, 762, 'semibold', 15);
    const url = `https://lantoa.example/verify/${Buffer.from(String(i * 7919))
      .toString('base64url')
      .padEnd(32, 'x')}`;
    const { modules } = QRCode.create(url, { errorCorrectionLevel: 'M' });
    const n = modules.size;
    const cell = 104 / (n + 4);
    doc.rect(72, 402, 104, 104).fill('#ffffff');
    for (let row = 0; row < n; row++) {
      for (let col = 0, start = -1; col <= n; col++) {
        const dark = col < n && modules.data[row * n + col] === 1;
        if (dark && start < 0) start = col;
        if (!dark && start >= 0) {
          doc.rect(72 + (2 + start) * cell, 402 + (2 + row) * cell, (col - start) * cell + 0.05, cell + 0.05);
          start = -1;
        }
      }
    }
    doc.fill('#000000');
    text('Quét mã để xác thực', 52, 510, 144, 'italic', 9.5, '#4a4a4a');
    text(`Số hiệu: TN-2026-${String(i).padStart(6, '0')}`, 40, 526, 170, 'semibold', 10);
    text('Thái Nguyên, ngày 25 tháng 11 năm 2026', 440, 400, 340, 'italic', 13);
    text('TRƯỞNG BAN CHỈ ĐẠO', 440, 420, 340, 'bold', 13);
  }
  doc.end();
  await done;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(
    JSON.stringify({
      certificates: count,
      seconds: Number(seconds.toFixed(2)),
      perSecond: Math.round(count / seconds),
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    }),
  );
}

void main();
