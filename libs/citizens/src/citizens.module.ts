import { Module } from '@nestjs/common';
import { AuthModule } from '../../auth/src';
import { CertificatesModule } from '../../certificates/src';
import { ClassesModule } from '../../classes/src';
import { PeopleModule } from '../../people/src';
import { CitizenController } from './citizen.controller';
import { CitizenRepository } from './citizen.repository';
import { CitizenService } from './citizen.service';

@Module({
  imports: [AuthModule, CertificatesModule, ClassesModule, PeopleModule],
  controllers: [CitizenController],
  providers: [CitizenRepository, CitizenService],
})
export class CitizensModule {}
