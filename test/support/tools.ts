import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Whether a command-line tool exists; tests that need it skip with a visible message otherwise. */
export function toolAvailable(tool: string, purpose: string, installs: string): boolean {
  const found = ['/usr/bin', '/usr/local/bin', '/bin'].some((dir) => existsSync(join(dir, tool)));
  if (!found)
    console.warn(`SKIPPED: ${purpose} needs ${tool} (apt-get install ${installs}); .ci/run installs it.`);
  return found;
}

/** The text layer of a PDF, as pdftotext extracts it (layout kept). */
export function pdfText(pdf: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'lantoa-pdf-'));
  const file = join(dir, 'doc.pdf');
  writeFileSync(file, pdf);
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
}

export function pdfPages(pdf: Buffer): number {
  const dir = mkdtempSync(join(tmpdir(), 'lantoa-pdf-'));
  const file = join(dir, 'doc.pdf');
  writeFileSync(file, pdf);
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  return Number(/Pages:\s+(\d+)/.exec(info)?.[1]);
}

/** Renders the first page of a PDF to a PNG (pdftoppm) so a person can look at it; returns the PNG path. */
export function pdfToPng(pdf: Buffer, outFile: string, page = 1, dpi = 80): string {
  const dir = mkdtempSync(join(tmpdir(), 'lantoa-pdf-'));
  const file = join(dir, 'doc.pdf');
  writeFileSync(file, pdf);
  const base = outFile.replace(/\.png$/, '');
  execFileSync('pdftoppm', [
    '-png',
    '-r',
    String(dpi),
    '-f',
    String(page),
    '-l',
    String(page),
    '-singlefile',
    file,
    base,
  ]);
  return `${base}.png`;
}

/** The text of the QR code found in a PNG image, or null. */
export function decodeQr(pngFile: string): string | null {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { PNG } = require('pngjs') as typeof import('pngjs');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const jsQR = require('jsqr') as typeof import('jsqr').default;
  const png = PNG.sync.read(readFileSync(pngFile));
  return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data ?? null;
}
