import { Module, OnModuleInit } from '@nestjs/common';
import { JobRegistry } from '../../jobs/src';
import { ClassesModule, CompletionService } from '../../classes/src';
import { PeopleModule, PersonMergeRegistry } from '../../people/src';
import { FlagController, FlagSettingsController } from './flag.controller';
import { FlagDetectionRepository } from './flag-detection.repository';
import { FlagDetector } from './flag-detector';
import { FlagExport } from './flag-export';
import { FlagFiguresRepository } from './flag-figures.repository';
import { FlagFiguresService } from './flag-figures.service';
import { FlagMergeStep } from './flag-merge.step';
import { FlagRepository } from './flag.repository';
import { FlagService } from './flag.service';

/**
 * Data-honesty flags (docs/flags.md). The detector listens to every change of marks, in the same transaction:
 * those of requests it queues in its outbox for its job, those of the worker's derive pass it evaluates at
 * once. Partners call it after their pushes.
 */
@Module({
  imports: [ClassesModule, PeopleModule],
  controllers: [FlagController, FlagSettingsController],
  providers: [
    FlagRepository,
    FlagDetectionRepository,
    FlagFiguresRepository,
    FlagDetector,
    FlagService,
    FlagFiguresService,
    FlagExport,
    FlagMergeStep,
  ],
  exports: [FlagDetector],
})
export class FlagsModule implements OnModuleInit {
  constructor(
    private readonly completion: CompletionService,
    private readonly detector: FlagDetector,
    private readonly merges: PersonMergeRegistry,
    private readonly merge: FlagMergeStep,
    private readonly jobs: JobRegistry,
  ) {}

  onModuleInit(): void {
    this.completion.listen({
      learnersChanged: (m, pairs, origin) => this.detector.afterMarks(m, pairs, origin),
    });
    this.merges.register(this.merge);
    this.jobs.register(this.detector);
  }
}
