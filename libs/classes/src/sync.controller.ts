import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '../../access/src';
import { API_PREFIX } from '../../platform/src';
import { AttendanceService } from './attendance.service';
import { SYNC_BATCH_LIMIT, SyncBatchDto, SyncResponseDto } from './class.dto';
import { SyncBatch, SyncBatchPipe } from './sync-batch.pipe';

@ApiTags('attendance')
@ApiBearerAuth()
@Controller(`${API_PREFIX}/attendance`)
export class SyncController {
  constructor(private readonly attendance: AttendanceService) {}

  @Post('sync')
  @HttpCode(200)
  @Roles('admin', 'steering', 'trainer')
  @ApiBody({ type: SyncBatchDto })
  @ApiOkResponse({ type: SyncResponseDto })
  @ApiOperation({
    summary: `Đồng bộ điểm danh ngoại tuyến (tối đa ${SYNC_BATCH_LIMIT} dòng mỗi lô): gửi lại cùng lô không thay đổi gì`,
    description:
      'Mỗi dòng được trả lời riêng (xem `result`). Điểm danh ghi sau thắng điểm danh ghi trước (theo ' +
      '`recordedAt`), trừ khi học viên đã tự điểm danh bằng mã QR: khi đó điểm danh từ thiết bị chưa thấy bản ' +
      'ghi QR (`baseVersion` khác `version` đang lưu) không được hạ mức chuyên cần (có mặt → đi muộn, vắng có ' +
      'phép, vắng) và được trả lời `conflict`; điểm danh giống bản ghi QR giữ nguyên bản ghi QR; điểm danh nâng ' +
      'mức (đi muộn → có mặt) được ghi. Quy tắc đầy đủ: docs/attendance.md.',
  })
  // Checked by SyncBatchDto's rules in SyncBatchPipe (the body's type is not a class: the global pipe passes it).
  sync(
    @CurrentPrincipal() principal: Principal,
    @Body(SyncBatchPipe) dto: SyncBatch,
  ): Promise<SyncResponseDto> {
    return this.attendance.sync(principal, dto.marks);
  }
}
