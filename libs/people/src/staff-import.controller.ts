import {
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  Query,
  Res,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal, Principal, Roles } from '../../access/src';
import { OrganisationIdParam } from '../../hierarchy/src';
import { API_PREFIX, ApiFileResponse, MAX_UPLOAD_BYTES, sendFile, XLSX_TYPE } from '../../platform/src';
import { ImportQueryDto, StaffImportResultDto } from './person.dto';
import { StaffImportService } from './staff-import.service';

@ApiTags('people')
@ApiBearerAuth()
@Roles('admin', 'steering', 'department_head')
@Controller(`${API_PREFIX}/organisations/:id/staff/import`)
export class StaffImportController {
  constructor(private readonly staff: StaffImportService) {}

  @Get('template')
  @ApiFileResponse('Biểu mẫu Excel danh sách nhân sự của một cơ quan, đơn vị', XLSX_TYPE)
  async template(
    @CurrentPrincipal() principal: Principal,
    @Param() { id }: OrganisationIdParam,
    @Res() res: Response,
  ): Promise<void> {
    const { body, name } = await this.staff.template(principal, id);
    sendFile(res, body, name, XLSX_TYPE);
  }

  @Post()
  @HttpCode(200)
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } } })
  @ApiOkResponse({ type: StaffImportResultDto })
  @ApiOperation({
    summary:
      'Nhập danh sách nhân sự của cơ quan từ Excel (thủ trưởng: chỉ cơ quan mình): dryRun=true để xem trước; lỗi theo số dòng; ghi tất cả hoặc không ghi gì; người đã có và chưa thuộc cơ quan nào được gắn vào cơ quan',
  })
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: MAX_UPLOAD_BYTES } }))
  import(
    @CurrentPrincipal() principal: Principal,
    @Param() { id }: OrganisationIdParam,
    @Query() { dryRun }: ImportQueryDto,
    @UploadedFile() file: { buffer: Buffer } | undefined,
  ): Promise<StaffImportResultDto> {
    return this.staff.import(principal, id, file, dryRun);
  }
}
