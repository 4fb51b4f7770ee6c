export * from './partners.module';
export * from './partner.entities';
export * from './webhook.entities';
export * from './webhook-signature';
export * from './partner-api.examples';
import {
  PartnerClientEntity,
  PartnerIdempotencyEntity,
  PartnerKeyEntity,
  PartnerLearningRecordEntity,
  PartnerPersonEntity,
  PartnerRateWindowEntity,
  PartnerXapiActivityEntity,
} from './partner.entities';
import {
  WebhookAttemptEntity,
  WebhookDeliveryEntity,
  WebhookEndpointEntity,
  WebhookMessageEntity,
} from './webhook.entities';

export const PARTNER_ENTITIES = [
  PartnerClientEntity,
  PartnerKeyEntity,
  PartnerRateWindowEntity,
  PartnerPersonEntity,
  PartnerLearningRecordEntity,
  PartnerIdempotencyEntity,
  PartnerXapiActivityEntity,
  WebhookEndpointEntity,
  WebhookMessageEntity,
  WebhookDeliveryEntity,
  WebhookAttemptEntity,
];
