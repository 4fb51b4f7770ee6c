import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '../../access/src';
import { API_PREFIX } from '../../platform/src';
import { OrganisationIdParam } from '../../hierarchy/src';
import { OrganisationFiguresDto, OrganisationFiguresQueryDto } from './organisation-figures.dto';
import { OrganisationFiguresService } from './organisation-figures.service';

@ApiTags('kpi')
@ApiBearerAuth()
@Controller(`${API_PREFIX}/organisations/:id/figures`)
export class OrganisationFiguresController {
  constructor(private readonly figures: OrganisationFiguresService) {}

  @Get()
  @Roles('admin', 'steering', 'viewer', 'department_head')
  @ApiOkResponse({ type: OrganisationFiguresDto })
  @ApiOperation({
    summary:
      'Số liệu của một cơ quan, đơn vị: người của đơn vị đã tập huấn, hoàn thành, thành thạo (thủ trưởng chỉ xem đơn vị mình)',
  })
  get(
    @CurrentPrincipal() principal: Principal,
    @Param() { id }: OrganisationIdParam,
    @Query() query: OrganisationFiguresQueryDto,
  ): Promise<OrganisationFiguresDto> {
    return this.figures.figures(principal, id, query);
  }
}
