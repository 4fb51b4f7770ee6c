import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../access/src';
import { API_PREFIX, ApiPage, Page, ReadReplicas } from '../../platform/src';
import {
  AsOfQueryDto,
  ListUnitsQueryDto,
  MergeUnitsDto,
  RenameUnitDto,
  ReparentUnitDto,
  SearchUnitsQueryDto,
  SplitUnitDto,
  UnitCodeParam,
  UnitDetailDto,
  UnitDto,
  UnitListItemDto,
} from './unit.dto';
import { UnitReorgService } from './unit-reorg.service';
import { UnitService } from './unit.service';

@ApiTags('units')
@ApiBearerAuth()
@Controller(`${API_PREFIX}/units`)
export class UnitController {
  constructor(
    private readonly units: UnitService,
    private readonly reorg: UnitReorgService,
    private readonly reads: ReadReplicas,
  ) {}

  @Get()
  @ApiPage(UnitListItemDto)
  @ApiOperation({ summary: 'Đơn vị trực thuộc một đơn vị (các tỉnh, thành phố khi không có parent)' })
  list(@Query() query: ListUnitsQueryDto): Promise<Page<UnitListItemDto>> {
    return this.units.list(query);
  }

  @Get('search')
  @ApiPage(UnitDto)
  @ApiOperation({ summary: 'Tìm đơn vị theo tên, không phân biệt dấu và hoa thường' })
  search(@Query() query: SearchUnitsQueryDto): Promise<Page<UnitDto>> {
    return this.reads.run(() => this.units.search(query));
  }

  @Get(':code')
  @ApiOkResponse({ type: UnitDetailDto })
  get(@Param() { code }: UnitCodeParam, @Query() { asOf }: AsOfQueryDto): Promise<UnitDetailDto> {
    return this.units.get(code, asOf);
  }

  @Post('merge')
  @Roles('admin')
  @HttpCode(200)
  @ApiOkResponse({ type: UnitDetailDto })
  @ApiOperation({ summary: 'Sáp nhập nhiều đơn vị thành một (đơn vị mới hoặc đơn vị đang có)' })
  merge(@Body() dto: MergeUnitsDto): Promise<UnitDetailDto> {
    return this.reorg.merge(dto);
  }

  @Post(':code/split')
  @Roles('admin')
  @HttpCode(200)
  @ApiOkResponse({ type: [UnitDetailDto] })
  @ApiOperation({ summary: 'Chia tách một đơn vị thành nhiều đơn vị mới' })
  split(@Param() { code }: UnitCodeParam, @Body() dto: SplitUnitDto): Promise<UnitDetailDto[]> {
    return this.reorg.split(code, dto);
  }

  @Post(':code/rename')
  @Roles('admin')
  @HttpCode(200)
  @ApiOkResponse({ type: UnitDetailDto })
  @ApiOperation({ summary: 'Đổi tên (hoặc loại) đơn vị từ một ngày' })
  rename(@Param() { code }: UnitCodeParam, @Body() dto: RenameUnitDto): Promise<UnitDetailDto> {
    return this.reorg.rename(code, dto);
  }

  @Post(':code/reparent')
  @Roles('admin')
  @HttpCode(200)
  @ApiOkResponse({ type: UnitDetailDto })
  @ApiOperation({ summary: 'Chuyển đơn vị sang trực thuộc đơn vị khác từ một ngày' })
  reparent(@Param() { code }: UnitCodeParam, @Body() dto: ReparentUnitDto): Promise<UnitDetailDto> {
    return this.reorg.reparent(code, dto);
  }
}
