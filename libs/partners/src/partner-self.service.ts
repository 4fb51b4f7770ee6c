import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PartnerSelfDto } from './inbound.dto';
import { LearningRepository } from './learning.repository';
import { PartnerCaller } from './partner-caller';
import { XapiService } from './xapi.service';

/** What a key lets its partner do, for the integrator to check its setup (GET /partner/me). */
@Injectable()
export class PartnerSelfService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly learning: LearningRepository,
    private readonly xapi: XapiService,
  ) {}

  async describe(partner: PartnerCaller): Promise<PartnerSelfDto> {
    const programs = await this.learning.programs(this.dataSource.manager, partner.programIds);
    return {
      partnerId: partner.clientId,
      partnerName: partner.clientName,
      keyPrefix: partner.keyPrefix,
      keyExpiresAt: partner.expiresAt.toISOString(),
      rateLimit: partner.rateLimit,
      unit: { code: partner.unitCode, fullName: partner.unitName },
      programs: programs.map((p) => ({ ...p, xapiActivityPrefix: this.xapi.activityPrefix(p.code) })),
    };
  }
}
