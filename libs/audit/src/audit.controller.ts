import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '../../access/src';
import { API_PREFIX, ApiPage, Page } from '../../platform/src';
import { AuditEntryDto, AuditQueryDto } from './audit.dto';
import { AuditService } from './audit.service';

@ApiTags('audit')
@ApiBearerAuth()
@Controller(`${API_PREFIX}/audit`)
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @Roles('admin', 'steering')
  @ApiPage(AuditEntryDto)
  @ApiOperation({ summary: 'Nhật ký thao tác trong phạm vi của người gọi, lọc theo đối tượng và thời gian' })
  list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: AuditQueryDto,
  ): Promise<Page<AuditEntryDto>> {
    return this.audit.list(principal, query);
  }
}
