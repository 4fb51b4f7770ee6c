import { verify } from '../../libs/partners/src';
import { createClass, createPerson, createProgram, createTrainer, sessionsFrom } from '../support/campaign';
import { communesOf } from '../support/fixtures';
import { Http } from '../support/http';
import { eventually, partnerPerson, partnerWithKey, Received, WebhookReceiver } from '../support/partners';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Outbound webhooks, delivered by the job queue (this API process runs jobs, polling every 100 ms) to receivers
 * on loopback ports: signed as Standard Webhooks asks, retried after failures (1 s, then 1 s, then given up),
 * logged, redelivered on request — and never in the path of the request that caused them.
 */
describe('outbound webhooks', () => {
  let t: TestApp;
  let program: { id: string; code: string };
  let commune: string;
  let sibling: string;
  let partnerId: string;
  let lms: Http;
  let learner = 0;
  const receivers: WebhookReceiver[] = [];

  beforeAll(async () => {
    t = await startTestApp({
      env: {
        RUN_JOBS: 'true',
        JOBS_POLL_MS: '100',
        WEBHOOK_RETRY_SECONDS: '1,1',
        WEBHOOK_TIMEOUT_MS: '1000',
      },
    });
    [commune, sibling] = await communesOf(t, '19');
    program = await createProgram(t.http, { certificate: { issueMode: 'auto' } });
    ({ partnerId, client: lms } = await partnerWithKey(t.http, program.id, '19'));
  });
  afterAll(async () => {
    for (const r of receivers) await r.stop();
    await t.close();
  });

  /** A receiver and an endpoint subscribed to `events` in `unitCode`; returns both and the signing secret. */
  async function subscribe(events: string[], unitCode = '19', owner = partnerId) {
    const receiver = new WebhookReceiver();
    receivers.push(receiver);
    const url = await receiver.start();
    const res = await t.http.post(`/api/v1/partners/${owner}/webhooks`, {
      url,
      events,
      programIds: [program.id],
      unitCode,
      description: 'Máy chủ thử nghiệm',
    });
    expect(res.status).toBe(201);
    expect(res.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    return { receiver, id: res.body.id as string, secret: res.body.secret as string };
  }

  /** Registers a new learner with the partner and records their level-1 completion; returns the answer and its timing. */
  async function onlineCompletion() {
    const externalId = `W-${++learner}`;
    await lms.post('/api/v1/partner/people', { people: [partnerPerson(externalId, commune)] });
    const started = performance.now();
    const res = await lms.post('/api/v1/partner/completions', {
      completions: [
        {
          id: `done-${externalId}`,
          externalId,
          programCode: program.code,
          level: 1,
          completedAt: new Date().toISOString(),
        },
      ],
    });
    expect(res.body.summary.recorded).toBe(1);
    return { res, ms: performance.now() - started, recordId: res.body.results[0].recordId as string };
  }

  const deliveries = async (endpointId: string) =>
    (await t.http.get(`/api/v1/partners/${partnerId}/webhooks/${endpointId}/deliveries?limit=500`)).body
      .items;
  const detail = async (endpointId: string, deliveryId: string) =>
    (await t.http.get(`/api/v1/partners/${partnerId}/webhooks/${endpointId}/deliveries/${deliveryId}`)).body;
  const signed = (r: Received, secret: string) =>
    verify(
      secret,
      {
        id: String(r.headers['webhook-id']),
        timestamp: String(r.headers['webhook-timestamp']),
        signature: String(r.headers['webhook-signature']),
      },
      r.body,
    );

  it('delivers a completion recorded by a partner, signed by the Standard Webhooks rules', async () => {
    const { receiver, id, secret } = await subscribe(['completion.recorded']);
    const { recordId } = await onlineCompletion();
    const [got] = await receiver.until((r) => r.length === 1);
    expect(got.headers['content-type']).toBe('application/json');
    expect(String(got.headers['webhook-id'])).toMatch(/^msg_[A-Za-z0-9_-]{22}$/);
    expect(Math.abs(Number(got.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(30);
    expect(String(got.headers['webhook-signature'])).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(signed(got, secret)).toBe(true);
    // A tampered body, or another secret, does not verify.
    expect(signed({ ...got, body: got.body.replace('online', 'class') }, secret)).toBe(false);
    expect(signed(got, 'whsec_' + Buffer.alloc(32, 1).toString('base64'))).toBe(false);
    const body = JSON.parse(got.body);
    expect(body).toMatchObject({
      type: 'completion.recorded',
      timestamp: expect.any(String),
      data: {
        completionId: recordId,
        method: 'online',
        programCode: program.code,
        level: 1,
        personId: expect.any(String),
        unit: { code: commune, fullName: expect.any(String) },
        partner: { id: partnerId },
      },
    });
    // Ids only: a receiver reads no personal data in an event.
    expect(got.body).not.toMatch(/Trần Thị|birth|cccd|phone/);
    const [delivery] = await eventually(
      () => deliveries(id),
      (d) => d[0]?.status === 'succeeded',
    );
    expect(delivery).toMatchObject({ type: 'completion.recorded', attempts: 1, lastStatus: 204 });
  });

  it('retries a failing endpoint on the schedule until it recovers', async () => {
    const { receiver, id, secret } = await subscribe(['completion.recorded']);
    receiver.mode = 'fail';
    await onlineCompletion();
    await receiver.until((r) => r.length === 1);
    receiver.mode = 'ok';
    const [first, second] = await receiver.until((r) => r.length === 2);
    expect(second.headers['webhook-id']).toBe(first.headers['webhook-id']);
    expect(second.body).toBe(first.body);
    expect(signed(second, secret)).toBe(true);
    expect(second.at - first.at).toBeGreaterThanOrEqual(900);
    const [delivery] = await eventually(
      () => deliveries(id),
      (d) => d[0]?.status === 'succeeded',
    );
    const log = await detail(id, delivery.id);
    expect(log.attemptLog.map((a: any) => [a.attempt, a.trigger, a.status])).toEqual([
      [1, 'auto', 500],
      [2, 'auto', 204],
    ]);
    expect(log.attemptLog[0]).toMatchObject({
      error: 'Địa chỉ nhận trả lời HTTP 500',
      response: 'receiver is down',
    });
    expect(log.payload.type).toBe('completion.recorded');
  });

  it('never holds up the request that caused an event, however dead the endpoint', async () => {
    const quiet = await onlineCompletion();
    const { receiver, id } = await subscribe(['completion.recorded']);
    receiver.mode = 'hang';
    const first = await onlineCompletion();
    await receiver.until((r) => r.length === 1);
    // While a delivery hangs (up to the 1 s timeout), another request that queues an event answers at once.
    const second = await onlineCompletion();
    expect(second.ms).toBeLessThan(1000);
    expect(first.ms).toBeLessThan(1000);
    expect(Math.max(first.ms, second.ms)).toBeLessThan(quiet.ms + 700);
    const failed = await eventually(
      () => deliveries(id),
      (d) => d.length === 2 && d.every((x: any) => x.status === 'failed'),
      20_000,
    );
    const log = await detail(id, failed[0].id);
    expect(log.attemptLog).toHaveLength(3);
    expect(log.attemptLog[0].error).toMatch(/Quá thời gian chờ/);
    expect(log.attemptLog[0].status).toBeNull();
  });

  it('gives up after the last retry, and delivers again on request with the same id', async () => {
    const { receiver, id, secret } = await subscribe(['completion.recorded']);
    receiver.mode = 'fail';
    await onlineCompletion();
    const [failed] = await eventually(
      () => deliveries(id),
      (d) => d[0]?.status === 'failed',
    );
    expect(failed.attempts).toBe(3);
    expect(receiver.received).toHaveLength(3);
    receiver.mode = 'ok';
    const again = await t.http.post(
      `/api/v1/partners/${partnerId}/webhooks/${id}/deliveries/${failed.id}/redeliver`,
    );
    expect([again.status, again.body.status]).toEqual([202, 'pending']);
    const all = await receiver.until((r) => r.length === 4);
    expect(all[3].headers['webhook-id']).toBe(all[0].headers['webhook-id']);
    expect(signed(all[3], secret)).toBe(true);
    const done = await eventually(
      () => detail(id, failed.id),
      (d) => d.status === 'succeeded',
    );
    expect(done.attemptLog.map((a: any) => a.trigger)).toEqual(['auto', 'auto', 'auto', 'manual']);
    const audit = await t.http.get(`/api/v1/audit?action=webhook.redelivered&entityId=${id}`);
    expect(audit.body.items[0].after).toMatchObject({ deliveryId: failed.id, previousStatus: 'failed' });
  });

  it('tells class completions, certificates and approved reports, only to endpoints whose subtree they are in', async () => {
    const { receiver } = await subscribe([
      'completion.recorded',
      'certificate.issued',
      'certificate.revoked',
      'report.approved',
    ]);
    const far = await subscribe(['completion.recorded', 'certificate.issued', 'report.approved'], sibling);

    const person = await createPerson(t.http, commune);
    const lead = await createTrainer(t.http, program.id, commune);
    const c = await createClass(t.http, program.id, lead.id, commune, {
      sessions: sessionsFrom('2026-11-20', 3),
    });
    await t.http.post(`/api/v1/classes/${c.id}/enrolments`, { personId: person.id });
    for (const s of c.sessions.slice(0, 2)) {
      await t.http.put(`/api/v1/classes/${c.id}/sessions/${s.id}/attendance`, {
        marks: [{ personId: person.id, status: 'present' }],
      });
    }
    const events = async () => (await receiver.until((r) => r.length >= 2)).map((r) => JSON.parse(r.body));
    const [completion, issued] = (await events()).sort((a, b) => a.type.localeCompare(b.type)).reverse();
    expect(completion).toMatchObject({
      type: 'completion.recorded',
      data: { method: 'class', classId: c.id, personId: person.id },
    });
    expect(issued).toMatchObject({
      type: 'certificate.issued',
      data: { personId: person.id, level: 1, serial: expect.stringMatching(new RegExp(`^${program.code}-`)) },
    });
    expect(JSON.stringify(issued)).not.toMatch(/verify/);

    const revoked = await t.http.post(`/api/v1/certificates/${issued.data.certificateId}/revoke`, {
      reason: 'Cấp nhầm người',
    });
    expect(revoked.status).toBe(200);
    const report = await t.http.post('/api/v1/reports', {
      programId: program.id,
      period: '2026-10',
      unit: commune,
      headcount: 40,
      trained: 12,
      proficient: 9,
    });
    expect(report.status).toBe(201);
    expect((await t.http.post(`/api/v1/reports/${report.body.id}/submit`, {})).status).toBe(200);
    expect((await t.http.post(`/api/v1/reports/${report.body.id}/approve`, {})).status).toBe(200);
    const all = (await receiver.until((r) => r.length >= 4)).map((r) => JSON.parse(r.body));
    expect(all.map((e) => e.type).sort()).toEqual([
      'certificate.issued',
      'certificate.revoked',
      'completion.recorded',
      'report.approved',
    ]);
    expect(all.find((e) => e.type === 'certificate.revoked').data).toMatchObject({
      reason: 'Cấp nhầm người',
    });
    expect(all.find((e) => e.type === 'report.approved').data).toMatchObject({
      period: '2026-10',
      unit: { code: commune },
      figures: { headcount: 40, trained: 12, proficient: 9 },
    });
    // Nothing of this commune reached the endpoint registered for the commune next to it.
    await new Promise((r) => setTimeout(r, 500));
    expect(far.receiver.received).toEqual([]);
  });

  it('signs with both secrets while a rotated one is still valid, and sends test events', async () => {
    const { receiver, id, secret } = await subscribe(['report.approved']);
    const rotated = await t.http.post(`/api/v1/partners/${partnerId}/webhooks/${id}/rotate-secret`, {
      overlapHours: 2,
    });
    expect(rotated.status).toBe(201);
    expect(rotated.body.secret).not.toBe(secret);
    const test = await t.http.post(`/api/v1/partners/${partnerId}/webhooks/${id}/test`);
    expect([test.status, test.body.type]).toEqual([202, 'webhook.test']);
    const [got] = await receiver.until((r) => r.length === 1);
    expect(String(got.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(signed(got, secret)).toBe(true);
    expect(signed(got, rotated.body.secret)).toBe(true);
    expect(JSON.parse(got.body)).toMatchObject({ type: 'webhook.test', data: { endpointId: id } });
    expect(JSON.stringify((await t.http.get(`/api/v1/audit?entityId=${id}&limit=50`)).body)).not.toContain(
      'whsec_',
    );
  });

  it('refuses URLs with credentials, and plain http when the configuration asks for https', async () => {
    const res = await t.http.post(`/api/v1/partners/${partnerId}/webhooks`, {
      url: 'https://user:secret@hooks.example.vn/x',
      events: ['report.approved'],
      programIds: [program.id],
      unitCode: '19',
    });
    expect(res.body.errors).toEqual([{ field: 'url', reason: 'không được chứa tên đăng nhập hay mật khẩu' }]);
  });
});
