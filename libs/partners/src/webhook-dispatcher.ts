import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { JobContext, JobHandler, JobOutcome, JobService } from '../../jobs/src';
import { APP_CONFIG, AppConfig } from '../../platform/src';
import { signatureHeader } from './webhook-signature';
import { DELIVER_JOB } from './webhook-outbox';
import { AttemptOutcome, ClaimedDelivery, WebhookRepository } from './webhook.repository';

/** Deliveries sent at once, and at most this many to one endpoint. */
const ROUND = 32;
const PER_ENDPOINT = 4;
/** A run hands the job slot back after this long (other kinds of jobs wait behind it otherwise). */
const RUN_BUDGET_MS = 30_000;
/** The start of an endpoint's answer kept in the log. */
const RESPONSE_BYTES = 1000;

async function startOf(response: Response): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader() as ReadableStreamDefaultReader<Uint8Array>;
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < RESPONSE_BYTES) {
      const chunk = await reader.read();
      if (chunk.done) break;
      chunks.push(chunk.value);
      size += chunk.value.length;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).subarray(0, RESPONSE_BYTES).toString('utf8');
}

function describe(error: unknown, timeoutMs: number): string {
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') {
    return `Quá thời gian chờ (${(timeoutMs / 1000).toLocaleString('vi-VN')} giây) mà không có phản hồi`;
  }
  const code = e?.cause?.code;
  if (code) return `Không kết nối được tới địa chỉ nhận (${code})`;
  return `Không gửi được: ${e?.cause?.message ?? e?.message ?? String(error)}`.slice(0, 500);
}

/**
 * Sends webhook deliveries, from the job queue (the worker process, or the API on the embedded database):
 * due deliveries are claimed in rounds and sent side by side, each with a timeout; each attempt is logged;
 * a failed one is retried on the schedule of WEBHOOK_RETRY_SECONDS (Standard Webhooks' by default), then
 * given up. The run then queues itself for when the next retry falls due. Nothing here runs in a request.
 */
@Injectable()
export class WebhookDispatcher implements JobHandler {
  readonly kind = DELIVER_JOB;
  /** One dispatcher at a time is plenty (it sends a round side by side); the other job slots stay free. */
  readonly maxRunning = 1;
  private readonly logger = new Logger('Webhooks');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly webhooks: WebhookRepository,
    private readonly jobs: JobService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async run(context: JobContext): Promise<JobOutcome> {
    // Runs queued for now are this one's work (several transactions may each have queued one).
    await this.jobs.mergeQueued(DELIVER_JOB, context.id);
    const started = Date.now();
    let delivered = 0;
    let failed = 0;
    try {
      while (Date.now() - started < RUN_BUDGET_MS) {
        const hold = Math.ceil(this.config.partners.webhookTimeoutMs / 1000) + 30;
        const round = await this.webhooks.claim(ROUND, PER_ENDPOINT, hold);
        if (!round.length) break;
        const outcomes = await Promise.all(round.map((d) => this.send(d)));
        for (const [i, d] of round.entries()) {
          const outcome = outcomes[i];
          await this.webhooks.recordAttempt(d, outcome, this.retryAfter(d));
          if (outcome.ok) delivered++;
          else failed++;
        }
        await context.progress(delivered + failed);
      }
    } finally {
      const next = await this.webhooks.nextDue();
      if (next) await this.jobs.schedule(this.dataSource.manager, DELIVER_JOB, next);
    }
    return { result: { delivered, failed } };
  }

  /** Seconds before the next try, or null when the schedule is used up (and for manual redeliveries). */
  private retryAfter(d: ClaimedDelivery): number | null {
    const schedule = this.config.partners.webhookRetrySeconds;
    return d.manual || d.attempts >= schedule.length ? null : schedule[d.attempts];
  }

  private async send(d: ClaimedDelivery): Promise<AttemptOutcome> {
    const at = new Date();
    const timestamp = Math.floor(at.getTime() / 1000);
    const secrets = [d.secret];
    if (d.previousSecret && d.previousSecretUntil && new Date(d.previousSecretUntil) > at) {
      secrets.push(d.previousSecret);
    }
    const timeoutMs = this.config.partners.webhookTimeoutMs;
    const begun = performance.now();
    try {
      const response = await fetch(d.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'LanToa-Webhooks/1.0',
          'webhook-id': d.messageId,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': signatureHeader(secrets, d.messageId, timestamp, d.body),
        },
        body: d.body,
        // A redirect is not followed: the endpoint registered is the one that must answer.
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await startOf(response);
      const ok = response.status >= 200 && response.status < 300;
      return {
        at,
        status: response.status,
        ok,
        durationMs: performance.now() - begun,
        error: ok ? null : `Địa chỉ nhận trả lời HTTP ${response.status}`,
        response: text,
      };
    } catch (error) {
      const message = describe(error, timeoutMs);
      this.logger.warn(`Webhook delivery ${d.id} failed: ${message}`);
      return {
        at,
        status: null,
        ok: false,
        durationMs: performance.now() - begun,
        error: message,
        response: null,
      };
    }
  }
}
