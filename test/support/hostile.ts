import { request as httpRequest } from 'node:http';

/** A request body as an attacker (or a broken client) sends it: raw bytes and the headers that go with them. */
export interface HostileBody {
  name: string;
  headers: Record<string, string>;
  body: Buffer;
  /** What the API must answer, whatever the route. */
  status: number;
  code: string;
}

const JSON_TYPE = 'application/json';

function nested(bytes: number): Buffer {
  const half = Math.floor(bytes / 2);
  return Buffer.from('['.repeat(half) + ']'.repeat(half));
}

/** The hostile bodies of the issue, each with the answer it must get on every route that reads a body. */
export function hostileBodies(): HostileBody[] {
  return [
    {
      name: 'deep nesting',
      headers: { 'content-type': JSON_TYPE },
      body: nested(200_000),
      status: 400,
      code: 'JSON_TOO_DEEP',
    },
    {
      name: 'deep nesting inside an object',
      headers: { 'content-type': JSON_TYPE },
      body: Buffer.from(`{"login":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)},"password":"x"}`),
      status: 400,
      code: 'JSON_TOO_DEEP',
    },
    {
      name: 'over-size JSON',
      headers: { 'content-type': JSON_TYPE },
      body: Buffer.from(JSON.stringify({ login: 'a', password: 'x'.repeat(3 * 1024 * 1024) })),
      status: 413,
      code: 'PAYLOAD_TOO_LARGE',
    },
    {
      name: 'unknown charset',
      headers: { 'content-type': 'application/json; charset=x-unknown-8' },
      body: Buffer.from('{"login":"a","password":"x"}'),
      status: 415,
      code: 'UNSUPPORTED_CHARSET',
    },
    {
      name: 'false gzip',
      headers: { 'content-type': JSON_TYPE, 'content-encoding': 'gzip' },
      body: Buffer.from('{"login":"a","password":"x"}'),
      status: 415,
      code: 'UNSUPPORTED_CONTENT_ENCODING',
    },
    {
      name: 'NUL in a string',
      headers: { 'content-type': JSON_TYPE },
      body: Buffer.from(
        '{"login":"a\\u0000b","password":"x\\u0000","name":"\\u0000","marks":[{"x":"\\u0000"}]}',
      ),
      status: 400,
      code: 'VALIDATION_FAILED',
    },
    {
      name: 'lone surrogate',
      headers: { 'content-type': JSON_TYPE },
      body: Buffer.from('{"login":"a\\ud800","password":"x"}'),
      status: 400,
      code: 'VALIDATION_FAILED',
    },
    {
      name: 'malformed JSON',
      headers: { 'content-type': JSON_TYPE },
      body: Buffer.from('{"login": "a", "password": '),
      status: 400,
      code: 'MALFORMED_JSON',
    },
    {
      name: 'invalid UTF-8',
      headers: { 'content-type': JSON_TYPE },
      body: Buffer.concat([Buffer.from('{"login":"'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}')]),
      status: 400,
      code: 'MALFORMED_JSON',
    },
    {
      name: 'wrong content type',
      headers: { 'content-type': 'text/xml' },
      body: Buffer.from('<login>a</login>'),
      status: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
    },
  ];
}

export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  body: any;
}

/** Sends exact bytes with exact headers (fetch computes Content-Length; nothing else is added). */
export async function sendRaw(
  baseUrl: string,
  method: string,
  path: string,
  hostile: Pick<HostileBody, 'headers' | 'body'>,
  token?: string,
): Promise<RawResponse> {
  const headers: Record<string, string> = { ...hostile.headers };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(baseUrl + path, {
    method,
    headers,
    body: hostile.body.length ? hostile.body : undefined,
  });
  const text = await response.text();
  let body: unknown = text;
  if (/json/.test(response.headers.get('content-type') ?? '')) {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  return { status: response.status, headers: response.headers, text, body };
}

/**
 * Streams `body` in chunks with chunked transfer encoding (no Content-Length the server could refuse up
 * front), as a slow client would; resolves with the status once the server answers.
 */
export function streamBody(
  baseUrl: string,
  path: string,
  body: Buffer,
  chunkBytes = 64 * 1024,
): Promise<{ status: number; text: string }> {
  const url = new URL(path, baseUrl);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: 'POST', headers: { 'content-type': JSON_TYPE, 'transfer-encoding': 'chunked' } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    let offset = 0;
    const write = (): void => {
      while (offset < body.length) {
        const chunk = body.subarray(offset, offset + chunkBytes);
        offset += chunk.length;
        if (!req.write(chunk)) {
          req.once('drain', write);
          return;
        }
      }
      req.end();
    };
    write();
  });
}
