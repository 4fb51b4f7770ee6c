import {
  Body,
  Controller,
  Get,
  Param,
  Post,
  Put,
  Query,
  Res,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal, Principal, Roles } from '../../access/src';
import {
  API_PREFIX,
  ApiFileResponse,
  Clock,
  MAX_UPLOAD_BYTES,
  sendFile,
  XLSX_TYPE,
} from '../../platform/src';
import {
  PopulationDto,
  PopulationImportQueryDto,
  PopulationImportResultDto,
  PopulationQueryDto,
  PutPopulationDto,
} from './population.dto';
import { PopulationService } from './population.service';
import { UnitCodeParam } from './unit.dto';

@ApiTags('population')
@ApiBearerAuth()
@Controller(`${API_PREFIX}/units/:code/population`)
export class PopulationController {
  constructor(
    private readonly population: PopulationService,
    private readonly clock: Clock,
  ) {}

  @Get()
  @ApiOkResponse({ type: PopulationDto })
  @ApiOperation({ summary: 'Số liệu dân số của đơn vị trong một năm (mẫu số của chỉ tiêu theo tỷ lệ)' })
  get(@Param() { code }: UnitCodeParam, @Query() { year }: PopulationQueryDto): Promise<PopulationDto> {
    return this.population.get(code, year);
  }

  @Put()
  @Roles('admin', 'steering')
  @ApiOkResponse({ type: PopulationDto })
  put(
    @CurrentPrincipal() principal: Principal,
    @Param() { code }: UnitCodeParam,
    @Body() dto: PutPopulationDto,
  ): Promise<PopulationDto> {
    return this.population.put(principal, code, dto);
  }

  @Get('template')
  @Roles('admin', 'steering')
  @ApiFileResponse('Biểu mẫu Excel cho đơn vị và các đơn vị trực thuộc', XLSX_TYPE)
  async template(
    @Param() { code }: UnitCodeParam,
    @Query() { year }: PopulationQueryDto,
    @Res() res: Response,
  ): Promise<void> {
    const chosen = year ?? Number(this.clock.today().slice(0, 4));
    sendFile(
      res,
      await this.population.template(code, chosen),
      `so-lieu-dan-so-${code}-${chosen}.xlsx`,
      XLSX_TYPE,
    );
  }

  @Post('import')
  @Roles('admin', 'steering')
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } } })
  @ApiOkResponse({ type: PopulationImportResultDto })
  @ApiOperation({ summary: 'Nhập số liệu từ Excel: dryRun=true để xem trước; ghi tất cả hoặc không ghi gì' })
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: MAX_UPLOAD_BYTES } }))
  import(
    @CurrentPrincipal() principal: Principal,
    @Param() { code }: UnitCodeParam,
    @Query() { dryRun }: PopulationImportQueryDto,
    @UploadedFile() file: { buffer: Buffer } | undefined,
  ): Promise<PopulationImportResultDto> {
    return this.population.import(principal, code, file, dryRun);
  }
}
