import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Principal } from '../../access/src';
import { AuditService } from '../../audit/src';
import { JobService } from '../../jobs/src';
import { APP_CONFIG, AppConfig, Clock, Page, page } from '../../platform/src';
import { PartnerErrors } from './partner.errors';
import { ClientRow } from './partner.repository';
import { PartnerService } from './partner.service';
import { DELIVER_JOB, WebhookOutbox } from './webhook-outbox';
import { newWebhookSecret } from './webhook-signature';
import {
  CreatedWebhookDto,
  CreateWebhookDto,
  DeliveryDetailDto,
  DeliveryDto,
  ListDeliveriesQueryDto,
  RotateSecretDto,
  UpdateWebhookDto,
  WebhookDto,
  WebhookListDto,
} from './webhook.dto';
import { WEBHOOK_TEST_EVENT, WebhookEvent } from './webhook.entities';
import { DeliveryRow, EndpointRow, EndpointWrite, WebhookRepository } from './webhook.repository';

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

function toWebhookDto(e: EndpointRow): WebhookDto {
  return {
    id: e.id,
    url: e.url,
    description: e.description,
    events: e.events as WebhookEvent[],
    programs: e.programs,
    unit: { code: e.unitCode, fullName: e.unitName },
    status: e.status,
    previousSecretUntil: iso(e.previousSecretUntil),
    createdAt: new Date(e.createdAt).toISOString(),
    updatedAt: new Date(e.updatedAt).toISOString(),
  };
}

function toDeliveryDto(d: DeliveryRow): DeliveryDto {
  return {
    id: d.id,
    messageId: d.messageId,
    type: d.type,
    status: d.status,
    attempts: d.attempts,
    nextAttemptAt: iso(d.nextAttemptAt),
    lastStatus: d.lastStatus,
    lastError: d.lastError,
    createdAt: new Date(d.createdAt).toISOString(),
    deliveredAt: iso(d.deliveredAt),
  };
}

/** What the audit trail keeps of an endpoint: never its secret. */
const endpointAudit = (e: WebhookDto) => ({
  url: e.url,
  events: e.events,
  programs: e.programs.map((p) => p.code),
  unit: e.unit.code,
  status: e.status,
});

/**
 * Webhook endpoints of a partner (or of the province's own systems, registered as a partner of kind
 * "government"), their delivery log and manual redelivery — managed like the partner's keys. The signing
 * secret is shown once, at creation or rotation.
 */
@Injectable()
export class WebhookService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly partners: PartnerService,
    private readonly webhooks: WebhookRepository,
    private readonly outbox: WebhookOutbox,
    private readonly jobs: JobService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async list(principal: Principal, clientId: string): Promise<WebhookListDto> {
    const client = await this.partners.managed(principal, clientId);
    return { items: (await this.webhooks.listEndpoints(client.id)).map(toWebhookDto) };
  }

  async get(principal: Principal, clientId: string, id: string): Promise<WebhookDto> {
    return toWebhookDto((await this.endpoint(principal, clientId, id)).endpoint);
  }

  async create(principal: Principal, clientId: string, dto: CreateWebhookDto): Promise<CreatedWebhookDto> {
    const client = await this.partners.managed(principal, clientId);
    const unit = await this.partners.scope(principal, client, dto.unitCode, dto.programIds);
    this.checkUrl(dto.url);
    const secret = newWebhookSecret();
    const endpoint = await this.dataSource.transaction(async (m) => {
      const id = await this.webhooks.insertEndpoint(
        m,
        client.id,
        {
          url: dto.url,
          description: dto.description ?? null,
          events: dto.events,
          programIds: dto.programIds,
          unitId: unit.id,
          status: 'active',
        },
        secret,
        principal.id,
      );
      const created = toWebhookDto((await this.webhooks.findEndpoint(client.id, id, m))!);
      await this.record(m, 'webhook.created', client, id, undefined, created);
      return created;
    });
    return { ...endpoint, secret };
  }

  async update(
    principal: Principal,
    clientId: string,
    id: string,
    dto: UpdateWebhookDto,
  ): Promise<WebhookDto> {
    const { client, endpoint } = await this.endpoint(principal, clientId, id);
    const programIds = dto.programIds ?? endpoint.programIds;
    const unit =
      dto.unitCode !== undefined || dto.programIds !== undefined
        ? await this.partners.scope(principal, client, dto.unitCode ?? endpoint.unitCode, programIds)
        : null;
    if (dto.url !== undefined) this.checkUrl(dto.url);
    const write: EndpointWrite = {
      url: dto.url ?? endpoint.url,
      description: dto.description ?? endpoint.description,
      events: dto.events ?? endpoint.events,
      programIds,
      unitId: unit?.id ?? endpoint.unitId,
      status: dto.status ?? endpoint.status,
    };
    return this.dataSource.transaction(async (m) => {
      await this.webhooks.updateEndpoint(m, id, write);
      const after = toWebhookDto((await this.webhooks.findEndpoint(client.id, id, m))!);
      await this.record(m, 'webhook.updated', client, id, toWebhookDto(endpoint), after);
      return after;
    });
  }

  /** A new signing secret; the old one also signs for the overlap, so the receiver can switch in its time. */
  async rotateSecret(
    principal: Principal,
    clientId: string,
    id: string,
    dto: RotateSecretDto,
  ): Promise<CreatedWebhookDto> {
    const { client, endpoint } = await this.endpoint(principal, clientId, id);
    const secret = newWebhookSecret();
    const until = new Date(this.clock.now().getTime() + (dto.overlapHours ?? 24) * 3_600_000);
    const after = await this.dataSource.transaction(async (m) => {
      await this.webhooks.rotateSecret(m, id, secret, until);
      const after = toWebhookDto((await this.webhooks.findEndpoint(client.id, id, m))!);
      await this.record(m, 'webhook.secret_rotated', client, id, toWebhookDto(endpoint), after);
      return after;
    });
    return { ...after, secret };
  }

  /** Queues a `webhook.test` event to this endpoint only (delivered like any other, by the job queue). */
  async test(principal: Principal, clientId: string, id: string): Promise<DeliveryDto> {
    const { client, endpoint } = await this.endpoint(principal, clientId, id);
    if (endpoint.status !== 'active') throw PartnerErrors.webhookDisabled();
    const now = this.clock.now();
    const dedupeKey = `${WEBHOOK_TEST_EVENT}:${id}:${randomUUID()}`;
    await this.dataSource.transaction(async (m) => {
      await this.outbox.emit(m, [
        {
          type: WEBHOOK_TEST_EVENT,
          dedupeKey,
          programId: null,
          unitPath: endpoint.unitPath,
          occurredAt: now,
          endpointId: id,
          data: { endpointId: id, partnerId: client.id, message: 'Thử gửi sự kiện từ Lan Tỏa' },
        },
      ]);
      await this.record(m, 'webhook.tested', client, id, undefined, undefined);
    });
    return toDeliveryDto(await this.webhooks.deliveryByDedupeKey(dedupeKey));
  }

  async deliveries(
    principal: Principal,
    clientId: string,
    id: string,
    query: ListDeliveriesQueryDto,
  ): Promise<Page<DeliveryDto>> {
    await this.endpoint(principal, clientId, id);
    const { rows, total } = await this.webhooks.listDeliveries(id, query.status, query.limit, query.offset);
    return page(rows.map(toDeliveryDto), total, query);
  }

  async delivery(
    principal: Principal,
    clientId: string,
    id: string,
    deliveryId: string,
  ): Promise<DeliveryDetailDto> {
    await this.endpoint(principal, clientId, id);
    const row = await this.webhooks.findDelivery(id, deliveryId);
    if (!row) throw PartnerErrors.deliveryNotFound();
    const attempts = await this.webhooks.attempts(deliveryId);
    return {
      ...toDeliveryDto(row),
      payload: JSON.parse(row.body) as Record<string, unknown>,
      attemptLog: attempts.map((a) => ({ ...a, at: new Date(a.at).toISOString() })),
    };
  }

  /** Sends the message to the endpoint once more, from the job queue, whatever became of it before. */
  async redeliver(
    principal: Principal,
    clientId: string,
    id: string,
    deliveryId: string,
  ): Promise<DeliveryDto> {
    const { client, endpoint } = await this.endpoint(principal, clientId, id);
    if (endpoint.status !== 'active') throw PartnerErrors.webhookDisabled();
    return this.dataSource.transaction(async (m) => {
      const before = await this.webhooks.findDelivery(id, deliveryId, m);
      if (!before) throw PartnerErrors.deliveryNotFound();
      await this.webhooks.redeliver(m, deliveryId);
      await this.jobs.schedule(m, DELIVER_JOB, this.clock.now());
      await this.record(m, 'webhook.redelivered', client, id, undefined, {
        deliveryId,
        messageId: before.messageId,
        previousStatus: before.status,
      });
      return toDeliveryDto((await this.webhooks.findDelivery(id, deliveryId, m))!);
    });
  }

  private async endpoint(
    principal: Principal,
    clientId: string,
    id: string,
  ): Promise<{ client: ClientRow; endpoint: EndpointRow }> {
    const client = await this.partners.managed(principal, clientId);
    const endpoint = await this.webhooks.findEndpoint(client.id, id);
    if (!endpoint) throw PartnerErrors.webhookNotFound();
    return { client, endpoint };
  }

  private checkUrl(raw: string): void {
    const url = new URL(raw);
    const problems: string[] = [];
    if (url.protocol === 'http:' && !this.config.partners.webhookAllowHttp) problems.push('phải dùng https');
    if (url.username || url.password) problems.push('không được chứa tên đăng nhập hay mật khẩu');
    if (url.hash) problems.push('không được có phần #');
    if (problems.length) throw PartnerErrors.invalid([{ field: 'url', reason: problems.join('; ') }]);
  }

  private async record(
    m: EntityManager,
    action: string,
    client: ClientRow,
    endpointId: string,
    before: WebhookDto | undefined,
    after: WebhookDto | Record<string, unknown> | undefined,
  ): Promise<void> {
    const shape = (e: WebhookDto | Record<string, unknown> | undefined) =>
      e && 'events' in e && 'programs' in e ? endpointAudit(e as WebhookDto) : e;
    await this.audit.record(
      {
        action,
        entityType: 'webhook_endpoint',
        entityId: endpointId,
        before: shape(before),
        after: shape(after),
        scopePaths: [client.unitPath],
      },
      m,
    );
  }
}
