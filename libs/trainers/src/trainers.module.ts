import { Module, OnModuleInit } from '@nestjs/common';
import { HierarchyModule } from '../../hierarchy/src';
import { PeopleModule, PersonMergeRegistry } from '../../people/src';
import { ProgramsModule } from '../../programs/src';
import { ReachRepository } from './reach.repository';
import { TrainerController } from './trainer.controller';
import { PeersRepository } from './peers.repository';
import { PeersService } from './peers.service';
import { TrainerMergeStep } from './trainer-merge.step';
import { TrainerRepository } from './trainer.repository';
import { TrainerService } from './trainer.service';

@Module({
  imports: [HierarchyModule, PeopleModule, ProgramsModule],
  controllers: [TrainerController],
  providers: [
    TrainerRepository,
    ReachRepository,
    TrainerService,
    TrainerMergeStep,
    PeersRepository,
    PeersService,
  ],
  exports: [TrainerRepository, ReachRepository, TrainerService],
})
export class TrainersModule implements OnModuleInit {
  constructor(
    private readonly merges: PersonMergeRegistry,
    private readonly step: TrainerMergeStep,
  ) {}

  onModuleInit(): void {
    this.merges.register(this.step);
  }
}
