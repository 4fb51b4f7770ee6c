import { Http } from './http';
import { TestApp } from './test-app';

/** Uploads a workbook as the multipart field `file` (to a test app, or any service with a client of its own). */
export async function upload(
  t: Pick<TestApp, 'baseUrl' | 'http'> | Http,
  path: string,
  workbook: Buffer,
  token = 'http' in t ? t.http.token : t.token,
) {
  const form = new FormData();
  form.append('file', new Blob([workbook]), 'tep.xlsx');
  const res = await fetch(t.baseUrl + path, {
    method: 'POST',
    body: form,
    headers: { authorization: `Bearer ${token}` },
  });
  return { status: res.status, body: (await res.json()) as any };
}

/** A file download: status, content type and the bytes. */
export async function download(
  t: TestApp,
  path: string,
  token = t.http.token,
): Promise<{ status: number; type: string | null; body: Buffer }> {
  const res = await fetch(t.baseUrl + path, { headers: { authorization: `Bearer ${token}` } });
  return {
    status: res.status,
    type: res.headers.get('content-type'),
    body: Buffer.from(await res.arrayBuffer()),
  };
}
