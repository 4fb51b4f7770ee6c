import { createHash } from 'node:crypto';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

const PUBLIC_PAGE_STYLE = `
  :root { color-scheme: light; }
  * { box-sizing: border-box; }
  body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif;
         font-size: 18px; line-height: 1.5; color: #1a1a1a; background: #ffffff; }
  header { background: #0b3d91; color: #ffffff; padding: 12px 16px; }
  header p { margin: 0; font-size: 15px; }
  header h1 { margin: 4px 0 0; font-size: 21px; }
  main { padding: 16px; max-width: 560px; margin: 0 auto; }
  label { display: block; font-weight: 600; margin: 16px 0 6px; }
  input, textarea { width: 100%; font-size: 20px; padding: 12px; border: 2px solid #555555; border-radius: 8px; min-height: 52px; }
  textarea { min-height: 160px; font-size: 15px; font-family: ui-monospace, monospace; word-break: break-all; }
  input:focus, textarea:focus, button:focus, a:focus { outline: 3px solid #ffb000; outline-offset: 2px; }
  button { width: 100%; margin-top: 20px; font-size: 20px; font-weight: 700; min-height: 56px; border: 0;
           border-radius: 8px; background: #0b3d91; color: #ffffff; cursor: pointer; }
  .hint { font-size: 15px; color: #444444; margin: 4px 0 0; }
  .card { border: 2px solid #d0d7de; border-radius: 10px; padding: 12px 16px; margin: 12px 0; }
  .ok { border-color: #1a7f37; background: #effaf1; }
  .ok h2 { color: #14632b; }
  .error { border-color: #b3261e; background: #fdf0ef; }
  .error h2 { color: #8c1d18; }
  dl { margin: 0; } dt { font-weight: 600; margin-top: 8px; } dd { margin: 0; }
  h2 { font-size: 20px; margin: 4px 0 8px; }
  a { color: #0b3d91; }
`;

/** The public pages run no script and load nothing: only their one style sheet, by its hash. */
export const PUBLIC_PAGE_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(PUBLIC_PAGE_STYLE).digest('base64')}'`,
  "img-src 'self' data:",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The frame of the public pages (check-in, certificate verification): Vietnamese, readable on a small
 * phone, large touch targets, contrast above WCAG 2.1 AA (text #1a1a1a and #0b3d91 on white, white on
 * #0b3d91 buttons), visible focus, no script needed.
 */
export function publicPage(title: string, body: string): string {
  return `<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${PUBLIC_PAGE_STYLE}</style>
</head>
<body>
<header><p>Lan Tỏa · Bình dân học AI</p><h1>${escapeHtml(title)}</h1></header>
<main>${body}</main>
</body>
</html>`;
}
