import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  Res,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal, Principal, Roles } from '../../access/src';
import {
  API_PREFIX,
  ApiFileResponse,
  ApiPage,
  MAX_UPLOAD_BYTES,
  Page,
  ReadReplicas,
  sendFile,
  XLSX_TYPE,
} from '../../platform/src';
import { PersonImportService } from './person-import.service';
import {
  CreatedPersonDto,
  CreatePersonDto,
  DuplicateDto,
  DuplicateIdParam,
  DuplicatesQueryDto,
  ImportQueryDto,
  ListPeopleQueryDto,
  MergePeopleDto,
  PeopleImportResultDto,
  PersonDto,
  PersonIdParam,
  UpdatePersonDto,
} from './person.dto';
import { PersonService } from './person.service';

@ApiTags('people')
@ApiBearerAuth()
@Controller(`${API_PREFIX}/people`)
export class PersonController {
  constructor(
    private readonly people: PersonService,
    private readonly imports: PersonImportService,
    private readonly reads: ReadReplicas,
  ) {}

  @Post()
  @Roles('admin', 'steering', 'trainer', 'department_head')
  @ApiCreatedResponse({ type: CreatedPersonDto })
  @ApiOperation({
    summary: 'Đăng ký người học (CCCD trùng bị từ chối; hồ sơ nghi trùng được đưa vào hàng đợi)',
  })
  create(@CurrentPrincipal() principal: Principal, @Body() dto: CreatePersonDto): Promise<CreatedPersonDto> {
    return this.people.create(principal, dto);
  }

  @Get()
  @ApiPage(PersonDto, { capped: true })
  @ApiOperation({
    summary:
      'Người học trong phạm vi, xếp theo tên (thứ tự tiếng Việt); dữ liệu cá nhân được che theo vai trò',
  })
  list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListPeopleQueryDto,
  ): Promise<Page<PersonDto>> {
    return this.reads.run(() => this.people.list(principal, query));
  }

  @Get('import/template')
  @Roles('admin', 'steering')
  @ApiFileResponse('Biểu mẫu Excel danh sách người học', XLSX_TYPE)
  async importTemplate(@Res() res: Response): Promise<void> {
    sendFile(res, await this.imports.template(), 'danh-sach-nguoi-hoc.xlsx', XLSX_TYPE);
  }

  @Post('import')
  @HttpCode(200)
  @Roles('admin', 'steering')
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } } })
  @ApiOkResponse({ type: PeopleImportResultDto })
  @ApiOperation({
    summary:
      'Nhập danh sách người học từ Excel: dryRun=true để xem trước; ghi tất cả hoặc không ghi gì; người đã có bị bỏ qua',
  })
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: MAX_UPLOAD_BYTES } }))
  import(
    @CurrentPrincipal() principal: Principal,
    @Query() { dryRun }: ImportQueryDto,
    @UploadedFile() file: { buffer: Buffer } | undefined,
  ): Promise<PeopleImportResultDto> {
    return this.imports.import(principal, file, dryRun);
  }

  @Get('duplicates')
  @Roles('admin', 'steering')
  @ApiPage(DuplicateDto)
  @ApiOperation({ summary: 'Hàng đợi rà soát hồ sơ nghi trùng' })
  duplicates(
    @CurrentPrincipal() principal: Principal,
    @Query() query: DuplicatesQueryDto,
  ): Promise<Page<DuplicateDto>> {
    return this.people.duplicates(principal, query);
  }

  @Post('duplicates/:duplicateId/dismiss')
  @HttpCode(204)
  @Roles('admin', 'steering')
  @ApiOperation({ summary: 'Xác nhận hai hồ sơ là hai người khác nhau' })
  dismiss(
    @CurrentPrincipal() principal: Principal,
    @Param() { duplicateId }: DuplicateIdParam,
  ): Promise<void> {
    return this.people.dismiss(principal, duplicateId);
  }

  @Get(':id')
  @ApiOkResponse({ type: PersonDto })
  get(@CurrentPrincipal() principal: Principal, @Param() { id }: PersonIdParam): Promise<PersonDto> {
    return this.people.get(principal, id);
  }

  @Patch(':id')
  @Roles('admin', 'steering', 'trainer')
  @ApiOkResponse({ type: PersonDto })
  update(
    @CurrentPrincipal() principal: Principal,
    @Param() { id }: PersonIdParam,
    @Body() dto: UpdatePersonDto,
  ): Promise<PersonDto> {
    return this.people.update(principal, id, dto);
  }

  @Post(':id/merge')
  @HttpCode(200)
  @Roles('admin', 'steering')
  @ApiOkResponse({ type: PersonDto })
  @ApiOperation({
    summary:
      'Gộp các hồ sơ trùng vào hồ sơ :id (mọi ghi danh, điểm danh, chứng nhận, vai trò giảng viên đi theo)',
  })
  merge(
    @CurrentPrincipal() principal: Principal,
    @Param() { id }: PersonIdParam,
    @Body() dto: MergePeopleDto,
  ): Promise<PersonDto> {
    return this.people.merge(principal, id, dto.sourceIds);
  }
}
