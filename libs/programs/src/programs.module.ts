import { Module } from '@nestjs/common';
import { HierarchyModule } from '../../hierarchy/src';
import { ProgramController } from './program.controller';
import { ProgramRepository } from './program.repository';
import { ProgramService } from './program.service';

@Module({
  imports: [HierarchyModule],
  controllers: [ProgramController],
  providers: [ProgramRepository, ProgramService],
  exports: [ProgramRepository, ProgramService],
})
export class ProgramsModule {}
