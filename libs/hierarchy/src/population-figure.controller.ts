import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '../../access/src';
import { API_PREFIX } from '../../platform/src';
import {
  PopulationFigureCodeParam,
  PopulationFigureKindDto,
  PutPopulationFigureKindDto,
} from './population.dto';
import { PopulationService } from './population.service';

@ApiTags('population')
@ApiBearerAuth()
@Controller(`${API_PREFIX}/population-figures`)
export class PopulationFigureController {
  constructor(private readonly population: PopulationService) {}

  @Get()
  @ApiOkResponse({ type: [PopulationFigureKindDto] })
  @ApiOperation({ summary: 'Các số liệu dân số có tên, dùng làm mẫu số của chỉ tiêu theo tỷ lệ' })
  list(): Promise<PopulationFigureKindDto[]> {
    return this.population.figureKinds();
  }

  @Put(':code')
  @Roles('admin', 'steering')
  @ApiOkResponse({ type: PopulationFigureKindDto })
  @ApiOperation({
    summary:
      'Đặt tên một số liệu dân số mới mà kế hoạch cần (ví dụ: người trưởng thành có điện thoại thông minh)',
  })
  put(
    @CurrentPrincipal() principal: Principal,
    @Param() { code }: PopulationFigureCodeParam,
    @Body() { name }: PutPopulationFigureKindDto,
  ): Promise<PopulationFigureKindDto> {
    return this.population.putFigureKind(principal, code, name);
  }
}
