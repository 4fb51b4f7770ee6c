import { Module, OnModuleInit } from '@nestjs/common';
import { HierarchyModule } from '../../hierarchy/src';
import { JobRegistry } from '../../jobs/src';
import { PeopleModule, PersonMergeRegistry } from '../../people/src';
import { ProgramsModule } from '../../programs/src';
import { TrainersModule } from '../../trainers/src';
import { AttendanceDerivedWork } from './attendance-outbox';
import { AttendanceRepository } from './attendance.repository';
import { AttendanceService } from './attendance.service';
import { AttendanceSheetService } from './attendance-sheet.service';
import { CheckinController } from './checkin.controller';
import { CheckinRepository } from './checkin.repository';
import { CheckinService } from './checkin.service';
import { ClassController } from './class.controller';
import { ClassImportService } from './class-import.service';
import { ClassMergeStep } from './class-merge.step';
import { ClassRepository } from './class.repository';
import { ClassService } from './class.service';
import { CompletionService } from './completion.service';
import { EnrolmentRepository } from './enrolment.repository';
import { EnrolmentService } from './enrolment.service';
import { SyncController } from './sync.controller';

@Module({
  imports: [HierarchyModule, PeopleModule, ProgramsModule, TrainersModule],
  controllers: [ClassController, SyncController, CheckinController],
  providers: [
    ClassRepository,
    EnrolmentRepository,
    AttendanceRepository,
    ClassService,
    EnrolmentService,
    AttendanceService,
    AttendanceDerivedWork,
    CompletionService,
    CheckinRepository,
    CheckinService,
    ClassImportService,
    AttendanceSheetService,
    ClassMergeStep,
  ],
  exports: [
    ClassService,
    EnrolmentService,
    AttendanceService,
    AttendanceDerivedWork,
    CompletionService,
    ClassRepository,
    AttendanceRepository,
    EnrolmentRepository,
  ],
})
export class ClassesModule implements OnModuleInit {
  constructor(
    private readonly merges: PersonMergeRegistry,
    private readonly step: ClassMergeStep,
    private readonly jobs: JobRegistry,
    private readonly derived: AttendanceDerivedWork,
  ) {}

  onModuleInit(): void {
    this.merges.register(this.step);
    this.jobs.register(this.derived);
  }
}
