import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '../../access/src';
import { API_PREFIX, ApiPage, Page } from '../../platform/src';
import {
  CreateMaterialDto,
  CreateProgramDto,
  ListMaterialsQueryDto,
  ListProgramsQueryDto,
  MaterialDto,
  ProgramDto,
  ProgramIdParam,
  UpdateProgramDto,
} from './program.dto';
import { ProgramService } from './program.service';

@ApiTags('programs')
@ApiBearerAuth()
@Controller(`${API_PREFIX}/programs`)
export class ProgramController {
  constructor(private readonly programs: ProgramService) {}

  @Get()
  @ApiPage(ProgramDto)
  @ApiOperation({ summary: 'Các chương trình (chiến dịch)' })
  list(@Query() query: ListProgramsQueryDto): Promise<Page<ProgramDto>> {
    return this.programs.list(query);
  }

  @Post()
  @Roles('admin', 'steering')
  @ApiCreatedResponse({ type: ProgramDto })
  create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateProgramDto): Promise<ProgramDto> {
    return this.programs.create(principal, dto);
  }

  @Get(':id')
  @ApiOkResponse({ type: ProgramDto })
  get(@Param() { id }: ProgramIdParam): Promise<ProgramDto> {
    return this.programs.get(id);
  }

  @Patch(':id')
  @Roles('admin', 'steering')
  @ApiOkResponse({ type: ProgramDto })
  update(
    @CurrentPrincipal() principal: Principal,
    @Param() { id }: ProgramIdParam,
    @Body() dto: UpdateProgramDto,
  ): Promise<ProgramDto> {
    return this.programs.update(principal, id, dto);
  }

  @Get(':id/materials')
  @ApiPage(MaterialDto)
  @ApiOperation({ summary: 'Học liệu của chương trình' })
  materials(
    @Param() { id }: ProgramIdParam,
    @Query() query: ListMaterialsQueryDto,
  ): Promise<Page<MaterialDto>> {
    return this.programs.materials(id, query);
  }

  @Post(':id/materials')
  @Roles('admin', 'steering')
  @ApiCreatedResponse({ type: MaterialDto })
  addMaterial(
    @CurrentPrincipal() principal: Principal,
    @Param() { id }: ProgramIdParam,
    @Body() dto: CreateMaterialDto,
  ): Promise<MaterialDto> {
    return this.programs.addMaterial(principal, id, dto);
  }
}
