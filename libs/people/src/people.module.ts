import { Module } from '@nestjs/common';
import { HierarchyModule } from '../../hierarchy/src';
import { PersonController } from './person.controller';
import { PersonImportService } from './person-import.service';
import { PersonMergeRegistry } from './person-merge.registry';
import { PersonImportRepository } from './person-import.repository';
import { PersonRepository } from './person.repository';
import { PersonService } from './person.service';
import { StaffImportController } from './staff-import.controller';
import { StaffImportRepository } from './staff-import.repository';
import { StaffImportService } from './staff-import.service';

@Module({
  imports: [HierarchyModule],
  controllers: [PersonController, StaffImportController],
  providers: [
    PersonRepository,
    PersonImportRepository,
    PersonService,
    PersonImportService,
    PersonMergeRegistry,
    StaffImportRepository,
    StaffImportService,
  ],
  exports: [PersonRepository, PersonService, PersonMergeRegistry],
})
export class PeopleModule {}
