import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '../../access/src';
import { API_PREFIX } from '../../platform/src';
import { AttendanceService } from './attendance.service';
import { SYNC_BATCH_LIMIT, SyncBatchDto, SyncResponseDto } from './class.dto';

@ApiTags('attendance')
@ApiBearerAuth()
@Controller(`${API_PREFIX}/attendance`)
export class SyncController {
  constructor(private readonly attendance: AttendanceService) {}

  @Post('sync')
  @HttpCode(200)
  @Roles('admin', 'steering', 'trainer')
  @ApiOkResponse({ type: SyncResponseDto })
  @ApiOperation({
    summary: `Đồng bộ điểm danh ngoại tuyến (tối đa ${SYNC_BATCH_LIMIT} dòng mỗi lô): gửi lại cùng lô không thay đổi gì`,
  })
  sync(@CurrentPrincipal() principal: Principal, @Body() dto: SyncBatchDto): Promise<SyncResponseDto> {
    return this.attendance.sync(principal, dto.marks);
  }
}
