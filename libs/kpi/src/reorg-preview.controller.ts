import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../access/src';
import { MergeUnitsDto, ReparentUnitDto, SplitUnitDto, UnitCodeParam } from '../../hierarchy/src';
import { API_PREFIX } from '../../platform/src';
import { ReorgPreviewDto } from './reorg-preview.dto';
import { ReorgPreviewService } from './reorg-preview.service';

/** Previews of the reorganisations of units/… : the same body, nothing written. */
@ApiTags('units')
@ApiBearerAuth()
@Controller(`${API_PREFIX}/units`)
export class ReorgPreviewController {
  constructor(private readonly previews: ReorgPreviewService) {}

  @Post('merge/preview')
  @Roles('admin')
  @HttpCode(200)
  @ApiOkResponse({ type: ReorgPreviewDto })
  @ApiOperation({ summary: 'Xem trước việc sáp nhập: số liệu của từng đơn vị trước và sau, chưa ghi gì' })
  merge(@Body() dto: MergeUnitsDto): Promise<ReorgPreviewDto> {
    return this.previews.merge(dto);
  }

  @Post(':code/split/preview')
  @Roles('admin')
  @HttpCode(200)
  @ApiOkResponse({ type: ReorgPreviewDto })
  @ApiOperation({ summary: 'Xem trước việc chia tách: số liệu của từng đơn vị trước và sau, chưa ghi gì' })
  split(@Param() { code }: UnitCodeParam, @Body() dto: SplitUnitDto): Promise<ReorgPreviewDto> {
    return this.previews.split(code, dto);
  }

  @Post(':code/reparent/preview')
  @Roles('admin')
  @HttpCode(200)
  @ApiOkResponse({ type: ReorgPreviewDto })
  @ApiOperation({ summary: 'Xem trước việc chuyển đơn vị cấp trên: số liệu trước và sau, chưa ghi gì' })
  reparent(@Param() { code }: UnitCodeParam, @Body() dto: ReparentUnitDto): Promise<ReorgPreviewDto> {
    return this.previews.reparent(code, dto);
  }
}
