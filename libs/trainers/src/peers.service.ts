import { Injectable } from '@nestjs/common';
import { Principal } from '../../access/src';
import { Page, page } from '../../platform/src';
import { PeersRepository } from './peers.repository';
import { PeerDto, PeersQueryDto } from './trainer.dto';
import { TrainerErrors } from './trainer.errors';
import { TrainerService } from './trainer.service';

/**
 * The whole leaderboard of a trainer's commune or province, as the trainer's "Tiếp cận" page shows it: the
 * active trainers whose home unit lies in that unit, by people reached (ties share a rank, as in their
 * standing), each with their name, home unit and reach only. A trainer sees the boards of the units of
 * their own standing; who may see the trainer is decided as for their standing (TrainerService.visible).
 */
@Injectable()
export class PeersService {
  constructor(
    private readonly peerRows: PeersRepository,
    private readonly trainers: TrainerService,
  ) {}

  async peers(
    principal: Principal,
    programId: string,
    trainerId: string,
    query: PeersQueryDto,
  ): Promise<Page<PeerDto>> {
    const trainer = await this.trainers.visible(principal, programId, trainerId);
    const path = await this.peerRows.unitAbove(query.unit, trainer.homeUnitPath);
    if (path === undefined)
      throw TrainerErrors.invalid([
        { field: 'unit', reason: 'phải là xã hoặc tỉnh, thành phố của giảng viên này' },
      ]);
    const rows = await this.peerRows.board(programId, path, query, trainerId);
    const offset = rows[0]?.offset ?? query.offset;
    return page(
      rows.map((r) => ({
        rank: r.rank,
        trainerId: r.id,
        fullName: r.fullName,
        homeUnit: { code: r.code, fullName: r.unitName },
        directReach: r.directReach,
        me: r.id === trainerId,
      })),
      rows[0]?.total ?? (await this.peerRows.count(programId, path)),
      { limit: query.limit, offset },
    );
  }
}
