import { Controller, Get, HttpCode, Post, Query, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Roles } from '../../access/src';
import { API_PREFIX, ApiFileResponse, MAX_UPLOAD_BYTES, sendFile, XLSX_TYPE } from '../../platform/src';
import { PopulationImportQueryDto } from './population.dto';
import { UnitImportResultDto, UnitImportTemplateQueryDto } from './unit.dto';
import { UnitExcelImportService } from './unit-excel-import.service';

@ApiTags('units')
@ApiBearerAuth()
@Roles('admin')
@Controller(`${API_PREFIX}/units/import`)
export class UnitImportController {
  constructor(private readonly imports: UnitExcelImportService) {}

  @Get('template')
  @ApiFileResponse(
    'Biểu mẫu Excel danh mục đơn vị hành chính (province: điền sẵn tỉnh và các xã, phường để sửa)',
    XLSX_TYPE,
  )
  async template(@Query() { province }: UnitImportTemplateQueryDto, @Res() res: Response): Promise<void> {
    sendFile(
      res,
      await this.imports.template(province),
      `don-vi-hanh-chinh${province ? `-${province}` : ''}.xlsx`,
      XLSX_TYPE,
    );
  }

  @Post()
  @HttpCode(200)
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } } })
  @ApiOkResponse({ type: UnitImportResultDto })
  @ApiOperation({
    summary:
      'Nhập đơn vị hành chính hiện hành từ Excel (thêm đơn vị, sửa tên): dryRun=true để xem trước; lỗi theo số dòng; ghi tất cả hoặc không ghi gì',
  })
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: MAX_UPLOAD_BYTES } }))
  import(
    @Query() { dryRun }: PopulationImportQueryDto,
    @UploadedFile() file: { buffer: Buffer } | undefined,
  ): Promise<UnitImportResultDto> {
    return this.imports.import(file, dryRun);
  }
}
