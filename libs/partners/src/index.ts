// What other libraries, the apps and the tests use of libs/partners; everything else stays inside it.
export { PartnersModule } from './partners.module';
export { verify } from './webhook-signature';

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
