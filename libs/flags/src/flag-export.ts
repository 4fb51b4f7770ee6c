import { Injectable } from '@nestjs/common';
import ExcelJS from 'exceljs';
import { Principal } from '../../access/src';
import { TrainerSplitDto, SplitDto, SplitQueryDto } from './flag.dto';
import { FlagFiguresService } from './flag-figures.service';

const SPLIT_HEADERS = ['Mọi bản ghi', 'Đã xác minh', 'Đang bị cảnh báo', 'Đã loại', 'Tỷ lệ bị cảnh báo'];

/**
 * The split as a workbook: for the unit and each unit under it, every figure as all / verified / flagged /
 * excluded; and the trainers ranked on verified reach with their share of flagged records.
 */
@Injectable()
export class FlagExport {
  constructor(private readonly figures: FlagFiguresService) {}

  async workbook(principal: Principal, query: SplitQueryDto): Promise<{ body: Buffer; fileName: string }> {
    const split: SplitDto = await this.figures.units(principal, query);
    const trainers: TrainerSplitDto[] = await this.figures.trainers(principal, {
      ...query,
      rank: 'verified',
      limit: 500,
      offset: 0,
    });
    const book = new ExcelJS.Workbook();
    const units = book.addWorksheet('Số liệu xác minh');
    units.addRow([`Số liệu đã xác minh và bị cảnh báo — ${split.unitName}, ${split.period}`]).font = {
      bold: true,
    };
    units.addRow([]);
    const header = units.addRow(['Đơn vị', 'Chỉ tiêu', ...SPLIT_HEADERS]);
    header.font = { bold: true };
    for (const u of [split, ...split.children])
      for (const f of u.figures)
        units.addRow([u.unitName, f.label, f.all, f.verified, f.flagged, f.excluded, f.flaggedShare]);
    units.getColumn(1).width = 34;
    units.getColumn(2).width = 52;
    units.getColumn(7).numFmt = '0.0%';

    const sheet = book.addWorksheet('Giảng viên');
    const head = sheet.addRow([
      'Hạng (theo số người đã xác minh)',
      'Giảng viên',
      'Đơn vị',
      'Số người (mọi bản ghi)',
      'Đã xác minh',
      'Đang bị cảnh báo',
      'Đã loại',
      'Tỷ lệ bị cảnh báo',
      'Cảnh báo đang mở',
    ]);
    head.font = { bold: true };
    for (const r of trainers)
      sheet.addRow([
        r.rank,
        r.fullName,
        r.unitName,
        r.reachAll,
        r.reachVerified,
        r.reachFlagged,
        r.reachExcluded,
        r.flaggedShare,
        r.openFlags,
      ]);
    sheet.getColumn(2).width = 30;
    sheet.getColumn(3).width = 30;
    sheet.getColumn(8).numFmt = '0.0%';
    return {
      body: Buffer.from(await book.xlsx.writeBuffer()),
      fileName: `Số liệu xác minh ${split.unitCode}.xlsx`,
    };
  }
}
