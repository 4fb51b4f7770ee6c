import { randomBytes } from 'node:crypto';
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Http } from './http';

/** Registers a partner (as the given user, by default the administrator); returns its id. */
export async function createPartner(
  http: Http,
  unitCode: string,
  overrides: Record<string, unknown> = {},
): Promise<string> {
  const res = await http.post('/api/v1/partners', {
    name: `Trường thử nghiệm ${randomBytes(3).toString('hex')}`,
    kind: 'school',
    unitCode,
    contactEmail: 'ketnoi@truong.edu.vn',
    ...overrides,
  });
  if (res.status !== 201) throw new Error(`partner: ${res.status} ${res.text}`);
  return res.body.id;
}

/** Issues a key; returns its id and a client that sends it as the bearer token. */
export async function issueKey(
  http: Http,
  partnerId: string,
  body: { programIds: string[]; unitCode: string; rateLimit?: number; expiresAt?: string; name?: string },
): Promise<{ id: string; secret: string; client: Http; body: any }> {
  const res = await http.post(`/api/v1/partners/${partnerId}/keys`, { name: 'Khóa thử nghiệm', ...body });
  if (res.status !== 201) throw new Error(`key: ${res.status} ${res.text}`);
  const client = new Http(http.baseUrl);
  client.token = res.body.secret;
  return { id: res.body.id, secret: res.body.secret, client, body: res.body };
}

/** A partner with one key: the usual start of a partner test. */
export async function partnerWithKey(
  http: Http,
  programId: string,
  unitCode: string,
  options: { partnerUnit?: string; rateLimit?: number } = {},
): Promise<{ partnerId: string; keyId: string; secret: string; client: Http }> {
  const partnerId = await createPartner(http, options.partnerUnit ?? unitCode);
  const key = await issueKey(http, partnerId, {
    programIds: [programId],
    unitCode,
    rateLimit: options.rateLimit,
  });
  return { partnerId, keyId: key.id, secret: key.secret, client: key.client };
}

/** A learner as a partner sends it (unique name per call). */
export function partnerPerson(
  externalId: string,
  communeCode: string,
  overrides: Record<string, unknown> = {},
) {
  return {
    externalId,
    fullName: `Trần Thị ${randomBytes(3).toString('hex')}`,
    birthYear: 1995,
    gender: 'female',
    communeCode,
    segment: 'student',
    ...overrides,
  };
}

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

/**
 * A webhook receiver on a loopback port: records every request; `mode` decides the answer — 204, a 500,
 * or no answer at all (the connection stays open until the receiver closes).
 */
export class WebhookReceiver {
  readonly received: Received[] = [];
  mode: 'ok' | 'fail' | 'hang' = 'ok';
  private server!: Server;
  private readonly hanging = new Set<() => void>();

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.received.push({
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          at: Date.now(),
        });
        if (this.mode === 'hang') {
          this.hanging.add(() => res.destroy());
          return;
        }
        res.statusCode = this.mode === 'ok' ? 204 : 500;
        res.end(this.mode === 'ok' ? undefined : 'receiver is down');
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks`;
  }

  /** Waits (at most `ms`) until `predicate` holds for what was received. */
  async until(predicate: (received: Received[]) => boolean, ms = 15_000): Promise<Received[]> {
    const deadline = Date.now() + ms;
    while (!predicate(this.received)) {
      if (Date.now() > deadline)
        throw new Error(`webhook receiver: condition not met in ${ms} ms (${this.received.length} received)`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return this.received;
  }

  async stop(): Promise<void> {
    for (const close of this.hanging) close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Waits (at most `ms`, polling) until `read` gives a value `done` accepts; returns it. */
export async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  ms = 15_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`condition not met in ${ms} ms: ${JSON.stringify(value).slice(0, 300)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
