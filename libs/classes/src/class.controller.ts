import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Put,
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
  PDF_TYPE,
  sendFile,
  XLSX_TYPE,
} from '../../platform/src';
import { AttendanceService } from './attendance.service';
import { CheckinService } from './checkin.service';
import {
  AttendanceConflictDto,
  AttendanceSheetDto,
  CheckinTokenDto,
  ClassDto,
  ClassIdParam,
  ClassImportSummaryDto,
  ClassStatusDto,
  CreateClassDto,
  CreateEnrolmentDto,
  DryRunQueryDto,
  EnrolmentDto,
  EnrolmentParam,
  GraduateDto,
  GraduationResultDto,
  ListClassesQueryDto,
  OutcomeDto,
  RosterDto,
  SessionParam,
  UpdateClassDto,
} from './class.dto';
import { AttendanceSheetService } from './attendance-sheet.service';
import { ClassImportService } from './class-import.service';
import { ClassService } from './class.service';
import { EnrolmentService } from './enrolment.service';

@ApiTags('classes')
@ApiBearerAuth()
@Roles('admin', 'steering', 'viewer', 'trainer')
@Controller(`${API_PREFIX}/classes`)
export class ClassController {
  constructor(
    private readonly classes: ClassService,
    private readonly enrolments: EnrolmentService,
    private readonly attendance: AttendanceService,
    private readonly checkin: CheckinService,
    private readonly imports: ClassImportService,
    private readonly sheets: AttendanceSheetService,
  ) {}

  @Get()
  @Roles('admin', 'steering', 'viewer', 'trainer', 'department_head')
  @ApiPage(ClassDto)
  @ApiOperation({ summary: 'Lớp học trong phạm vi (giảng viên: lớp mình phụ trách hoặc hỗ trợ)' })
  list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListClassesQueryDto,
  ): Promise<Page<ClassDto>> {
    return this.classes.list(principal, query);
  }

  @Post()
  @Roles('admin', 'steering', 'trainer')
  @ApiCreatedResponse({ type: ClassDto })
  @ApiOperation({ summary: 'Mở lớp với 2–4 buổi học' })
  create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateClassDto): Promise<ClassDto> {
    return this.classes.create(principal, dto);
  }

  @Get(':id')
  @Roles('admin', 'steering', 'viewer', 'trainer', 'department_head')
  @ApiOkResponse({ type: ClassDto })
  get(@CurrentPrincipal() principal: Principal, @Param() { id }: ClassIdParam): Promise<ClassDto> {
    return this.classes.get(principal, id);
  }

  @Patch(':id')
  @Roles('admin', 'steering', 'trainer')
  @ApiOkResponse({ type: ClassDto })
  update(
    @CurrentPrincipal() principal: Principal,
    @Param() { id }: ClassIdParam,
    @Body() dto: UpdateClassDto,
  ): Promise<ClassDto> {
    return this.classes.update(principal, id, dto);
  }

  @Post(':id/status')
  @HttpCode(200)
  @Roles('admin', 'steering', 'trainer')
  @ApiOkResponse({ type: ClassDto })
  @ApiOperation({ summary: 'Chuyển trạng thái: nháp → đã lên lịch → đang học → hoàn thành, hoặc hủy' })
  status(
    @CurrentPrincipal() principal: Principal,
    @Param() { id }: ClassIdParam,
    @Body() dto: ClassStatusDto,
  ): Promise<ClassDto> {
    return this.classes.setStatus(principal, id, dto.status);
  }

  @Get(':id/enrolments')
  @ApiOkResponse({ type: [EnrolmentDto] })
  @ApiOperation({ summary: 'Học viên của lớp' })
  enrolmentList(
    @CurrentPrincipal() principal: Principal,
    @Param() { id }: ClassIdParam,
  ): Promise<EnrolmentDto[]> {
    return this.enrolments.list(principal, id);
  }

  @Post(':id/enrolments')
  @Roles('admin', 'steering', 'trainer')
  @ApiCreatedResponse({ type: EnrolmentDto })
  @ApiOperation({
    summary: 'Ghi danh người đã có, đăng ký mới ngay tại lớp, hoặc người đến trực tiếp (walkIn)',
  })
  enrol(
    @CurrentPrincipal() principal: Principal,
    @Param() { id }: ClassIdParam,
    @Body() dto: CreateEnrolmentDto,
  ): Promise<EnrolmentDto> {
    return this.enrolments.enrol(principal, id, dto);
  }

  @Patch(':id/enrolments/:enrolmentId')
  @Roles('admin', 'steering', 'trainer')
  @ApiOkResponse({ type: EnrolmentDto })
  @ApiOperation({ summary: 'Ghi kết quả sau khóa (ứng dụng được công cụ AI, điểm) hoặc rút khỏi lớp' })
  updateEnrolment(
    @CurrentPrincipal() principal: Principal,
    @Param() { id, enrolmentId }: EnrolmentParam,
    @Body() dto: OutcomeDto,
  ): Promise<EnrolmentDto> {
    return this.enrolments.update(principal, id, enrolmentId, dto);
  }

  @Post(':id/graduations')
  @Roles('admin', 'steering', 'trainer')
  @ApiCreatedResponse({ type: GraduationResultDto })
  @ApiOperation({ summary: 'Lớp đào tạo giảng viên: công nhận học viên đã hoàn thành là giảng viên' })
  graduate(
    @CurrentPrincipal() principal: Principal,
    @Param() { id }: ClassIdParam,
    @Body() dto: GraduateDto,
  ): Promise<GraduationResultDto> {
    return this.enrolments.graduate(principal, id, dto);
  }

  @Get(':id/attendance')
  @ApiOkResponse({ type: AttendanceSheetDto })
  @ApiOperation({ summary: 'Bảng điểm danh: mọi học viên × mọi buổi' })
  attendanceSheet(
    @CurrentPrincipal() principal: Principal,
    @Param() { id }: ClassIdParam,
  ): Promise<AttendanceSheetDto> {
    return this.attendance.sheet(principal, id);
  }

  @Get(':id/attendance/conflicts')
  @ApiOkResponse({ type: [AttendanceConflictDto] })
  @ApiOperation({
    summary:
      'Xung đột điểm danh: điểm danh ngoại tuyến không được ghi vì học viên đã tự điểm danh bằng mã QR mà ' +
      'thiết bị chưa thấy (mới nhất trước; resolved khi điểm danh đã được sửa sau đó)',
  })
  attendanceConflicts(
    @CurrentPrincipal() principal: Principal,
    @Param() { id }: ClassIdParam,
  ): Promise<AttendanceConflictDto[]> {
    return this.attendance.conflicts(principal, id);
  }

  @Put(':id/sessions/:sessionId/attendance')
  @Roles('admin', 'steering', 'trainer')
  @ApiOkResponse({ type: AttendanceSheetDto, description: 'Bảng điểm danh sau khi ghi' })
  @ApiOperation({
    summary:
      'Điểm danh theo danh sách (giảng viên, trực tuyến): ghi đè mọi điểm danh khác, kể cả điểm danh QR; ' +
      'điểm danh giống điểm danh QR giữ nguyên bản ghi QR',
  })
  roster(
    @CurrentPrincipal() principal: Principal,
    @Param() { id, sessionId }: SessionParam,
    @Body() dto: RosterDto,
  ): Promise<AttendanceSheetDto> {
    return this.attendance.roster(principal, id, sessionId, dto);
  }

  @Get(':id/sessions/:sessionId/checkin')
  @Roles('admin', 'steering', 'trainer')
  @ApiOkResponse({ type: CheckinTokenDto })
  @ApiOperation({ summary: 'Mã QR điểm danh của buổi (đổi mỗi 30 giây)' })
  checkinToken(
    @CurrentPrincipal() principal: Principal,
    @Param() { id, sessionId }: SessionParam,
  ): Promise<CheckinTokenDto> {
    return this.checkin.issue(principal, id, sessionId);
  }

  @Get(':id/attendance/template')
  @Roles('admin', 'steering', 'trainer')
  @ApiFileResponse('Biểu mẫu Excel danh sách và điểm danh của lớp', XLSX_TYPE)
  async template(
    @CurrentPrincipal() principal: Principal,
    @Param() { id }: ClassIdParam,
    @Res() res: Response,
  ): Promise<void> {
    sendFile(
      res,
      await this.imports.template(principal, id),
      `mau-diem-danh-${id.slice(0, 8)}.xlsx`,
      XLSX_TYPE,
    );
  }

  @Post(':id/attendance/import')
  @Roles('admin', 'steering', 'trainer')
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } } })
  @ApiCreatedResponse({ type: ClassImportSummaryDto })
  @ApiOperation({
    summary: 'Nhập danh sách và điểm danh từ Excel: dryRun=true để xem trước; ghi tất cả hoặc không ghi gì',
  })
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: MAX_UPLOAD_BYTES } }))
  import(
    @CurrentPrincipal() principal: Principal,
    @Param() { id }: ClassIdParam,
    @Query() { dryRun }: DryRunQueryDto,
    @UploadedFile() file: { buffer: Buffer } | undefined,
  ): Promise<ClassImportSummaryDto> {
    return this.imports.import(principal, id, file, dryRun);
  }

  @Get(':id/attendance-sheet.xlsx')
  @ApiFileResponse('Danh sách điểm danh để in (Excel)', XLSX_TYPE)
  async sheetXlsx(
    @CurrentPrincipal() principal: Principal,
    @Param() { id }: ClassIdParam,
    @Res() res: Response,
  ): Promise<void> {
    sendFile(
      res,
      await this.sheets.sheetWorkbook(principal, id),
      `danh-sach-diem-danh-${id.slice(0, 8)}.xlsx`,
      XLSX_TYPE,
    );
  }

  @Get(':id/attendance-sheet.pdf')
  @ApiFileResponse('Danh sách điểm danh để in (PDF)', PDF_TYPE)
  async sheetPdf(
    @CurrentPrincipal() principal: Principal,
    @Param() { id }: ClassIdParam,
    @Res() res: Response,
  ): Promise<void> {
    sendFile(
      res,
      await this.sheets.sheetPdf(principal, id),
      `danh-sach-diem-danh-${id.slice(0, 8)}.pdf`,
      PDF_TYPE,
    );
  }
}
