import { applyDecorators, UseGuards, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AuthenticatedBy } from '../../platform/src';
import { PartnerCallAudit } from './partner-call.audit';
import { PartnerKeyGuard } from './partner-key.guard';

export const PARTNER_KEY_SCHEME = 'partner-key';

/**
 * A controller of the partner API: authenticated by API key instead of a user session (the global guard hands
 * these routes to PartnerKeyGuard, which this decorator applies — one cannot go without the other), every
 * call audited under the partner's name.
 */
export const PartnerApi = (): ClassDecorator =>
  applyDecorators(
    AuthenticatedBy(PARTNER_KEY_SCHEME),
    UseGuards(PartnerKeyGuard),
    UseInterceptors(PartnerCallAudit),
    ApiTags('partner'),
    ApiBearerAuth(PARTNER_KEY_SCHEME),
    ApiResponse({ status: 401, description: 'Thiếu khóa API, khóa không hợp lệ, đã thu hồi hoặc hết hạn' }),
    ApiResponse({ status: 403, description: 'Đối tác đã bị tạm dừng' }),
    ApiResponse({
      status: 429,
      description: 'Đã dùng hết lượt gọi của phút này',
      headers: { 'Retry-After': { description: 'Số giây cần chờ', schema: { type: 'integer' } } },
    }),
  );
