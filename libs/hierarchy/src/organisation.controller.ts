import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '../../access/src';
import { API_PREFIX, ApiPage, Page } from '../../platform/src';
import {
  CreateOrganisationDto,
  ListOrganisationsQueryDto,
  OrganisationDto,
  OrganisationIdParam,
  UpdateOrganisationDto,
} from './organisation.dto';
import { OrganisationService } from './organisation.service';

@ApiTags('organisations')
@ApiBearerAuth()
@Controller(`${API_PREFIX}/organisations`)
export class OrganisationController {
  constructor(private readonly organisations: OrganisationService) {}

  @Get()
  @ApiPage(OrganisationDto)
  list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListOrganisationsQueryDto,
  ): Promise<Page<OrganisationDto>> {
    return this.organisations.list(principal, query);
  }

  @Post()
  @Roles('admin', 'steering')
  @ApiCreatedResponse({ type: OrganisationDto })
  create(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: CreateOrganisationDto,
  ): Promise<OrganisationDto> {
    return this.organisations.create(principal, dto);
  }

  @Get(':id')
  @ApiOkResponse({ type: OrganisationDto })
  get(
    @CurrentPrincipal() principal: Principal,
    @Param() { id }: OrganisationIdParam,
  ): Promise<OrganisationDto> {
    return this.organisations.get(principal, id);
  }

  @Patch(':id')
  @Roles('admin', 'steering')
  @ApiOkResponse({ type: OrganisationDto })
  update(
    @CurrentPrincipal() principal: Principal,
    @Param() { id }: OrganisationIdParam,
    @Body() dto: UpdateOrganisationDto,
  ): Promise<OrganisationDto> {
    return this.organisations.update(principal, id, dto);
  }
}
