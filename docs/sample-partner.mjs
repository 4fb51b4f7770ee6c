#!/usr/bin/env node
// A sample partner of Lan Tỏa: registers two learners, pushes their online lessons and a level completion with
// an API key, sends the same batch again (nothing changes), and verifies the signatures of the webhooks it
// receives. Node.js 20 or later, no dependencies. See docs/partners.md.
//
//   LANTOA_URL=http://localhost:3000 LANTOA_KEY=ltk_… WEBHOOK_SECRET=whsec_… node docs/sample-partner.mjs
//
// Optional: COMMUNE (a commune code inside the key's scope, default 05443), WEBHOOK_PORT (default 4000: the
// endpoint registered for this partner must be http://127.0.0.1:<port>/webhooks).
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';

const base = (process.env.LANTOA_URL ?? 'http://localhost:3000').replace(/\/$/, '');
const key = process.env.LANTOA_KEY;
const secret = process.env.WEBHOOK_SECRET;
const commune = process.env.COMMUNE ?? '05443';
const port = Number(process.env.WEBHOOK_PORT ?? 4000);
if (!key) throw new Error('Set LANTOA_KEY to the partner API key (ltk_…).');

async function call(method, path, body, headers = {}) {
  const res = await fetch(`${base}/api/v1/partner${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${json.code}: ${json.detail}`);
  return { json, replayed: res.headers.get('idempotent-replayed') === 'true' };
}

/** Standard Webhooks: v1,<base64 HMAC-SHA256 of "id.timestamp.body"> keyed with the secret's bytes. */
function verified(headers, body) {
  const id = headers['webhook-id'];
  const timestamp = Number(headers['webhook-timestamp']);
  if (!id || !Number.isInteger(timestamp) || Math.abs(Date.now() / 1000 - timestamp) > 300) return false;
  const keyBytes = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = Buffer.from(
    `v1,${createHmac('sha256', keyBytes).update(`${id}.${timestamp}.${body}`).digest('base64')}`,
  );
  return String(headers['webhook-signature'] ?? '')
    .split(' ')
    .some((s) => s.length === expected.length && timingSafeEqual(Buffer.from(s), expected));
}

// 1. Listen for webhooks (before anything can cause one).
const events = [];
const server = secret
  ? createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        const ok = verified(req.headers, body);
        const event = ok ? JSON.parse(body) : null;
        events.push(event);
        console.log(
          ok
            ? `webhook ${req.headers['webhook-id']} ${event.type} (${event.data.method ?? ''}) — signature verified`
            : 'webhook with a bad signature refused',
        );
        res.writeHead(ok ? 204 : 401).end();
      });
    })
  : null;
if (server) await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));

// 2. Who am I, and what may I write?
const { json: me } = await call('GET', '/me');
console.log(
  `partner: ${me.partnerName} — key ${me.keyPrefix}…, scope ${me.unit.fullName}, ${me.rateLimit} calls a minute`,
);
const program = me.programs[0];
console.log(
  `program: ${program.code} ${program.name} (levels ${program.levels.map((l) => l.level).join(', ')})`,
);

// 3. Register two learners under our own ids (a run id keeps repeated runs apart).
const run = randomUUID().slice(0, 8);
const people = [
  {
    externalId: `SAMPLE-${run}-1`,
    fullName: 'Đặng Thu Hà',
    birthYear: 2003,
    gender: 'female',
    communeCode: commune,
    segment: 'student',
  },
  {
    externalId: `SAMPLE-${run}-2`,
    fullName: 'Triệu Văn Nam',
    birthYear: 1979,
    gender: 'male',
    communeCode: commune,
    segment: 'worker',
  },
];
const { json: registered } = await call('POST', '/people', { people });
for (const r of registered.results) console.log(`person ${r.externalId}: ${r.status} → ${r.personId}`);

// 4. Their online lessons and a level completion, as one batch with an Idempotency-Key.
const minutesAgo = (m) => new Date(Date.now() - m * 60_000).toISOString();
const batch = {
  completions: people.map((p, i) => ({
    id: `level-1-${p.externalId}`,
    externalId: p.externalId,
    programCode: program.code,
    level: 1,
    completedAt: minutesAgo(10 + i),
    score: 80 + i * 5,
  })),
};
await call('POST', '/lessons', {
  lessons: people.map((p) => ({
    id: `lesson-1-${p.externalId}`,
    externalId: p.externalId,
    programCode: program.code,
    level: 1,
    lesson: 'Bài 1: Trí tuệ nhân tạo là gì',
    completedAt: minutesAgo(30),
  })),
});
const idempotencyKey = randomUUID();
const first = await call('POST', '/completions', batch, { 'idempotency-key': idempotencyKey });
console.log(`completions: ${JSON.stringify(first.json.summary)}`);

// 5. Sent again (a retry after a timeout): the same answer, nothing written twice.
const again = await call('POST', '/completions', batch, { 'idempotency-key': idempotencyKey });
console.log(
  `same batch, same Idempotency-Key: replayed=${again.replayed}, ${JSON.stringify(again.json.summary)}`,
);
const withoutKey = await call('POST', '/completions', batch);
console.log(`same batch, no key: ${withoutKey.json.results.map((r) => r.status).join(', ')}`);

// 6. Wait (at most 30 s) for the two completion.recorded webhooks.
if (server) {
  const deadline = Date.now() + 30_000;
  while (events.filter((e) => e?.type === 'completion.recorded').length < 2 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const received = events.filter((e) => e?.type === 'completion.recorded').length;
  console.log(`${received} completion webhooks received and verified`);
  server.close();
  if (received < 2) process.exitCode = 1;
}
