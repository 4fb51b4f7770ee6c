import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '../../access/src';
import { API_PREFIX, Page } from '../../platform/src';
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
  @ApiOperation({ summary: 'Các chương trình (chiến dịch)' })
  list(@Query() query: ListProgramsQueryDto): Promise<Page<ProgramDto>> {
    return this.programs.list(query);
  }

  @Post()
  @Roles('admin', 'steering')
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
  update(
    @CurrentPrincipal() principal: Principal,
    @Param() { id }: ProgramIdParam,
    @Body() dto: UpdateProgramDto,
  ): Promise<ProgramDto> {
    return this.programs.update(principal, id, dto);
  }

  @Get(':id/materials')
  @ApiOperation({ summary: 'Học liệu của chương trình' })
  materials(
    @Param() { id }: ProgramIdParam,
    @Query() query: ListMaterialsQueryDto,
  ): Promise<Page<MaterialDto>> {
    return this.programs.materials(id, query);
  }

  @Post(':id/materials')
  @Roles('admin', 'steering')
  addMaterial(
    @CurrentPrincipal() principal: Principal,
    @Param() { id }: ProgramIdParam,
    @Body() dto: CreateMaterialDto,
  ): Promise<MaterialDto> {
    return this.programs.addMaterial(principal, id, dto);
  }
}
