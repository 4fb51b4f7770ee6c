import { Module } from '@nestjs/common';
import { HierarchyModule } from '../../hierarchy/src';
import { PersonController } from './person.controller';
import { PersonImportService } from './person-import.service';
import { PersonMergeRegistry } from './person-merge.registry';
import { PersonRepository } from './person.repository';
import { PersonService } from './person.service';

@Module({
  imports: [HierarchyModule],
  controllers: [PersonController],
  providers: [PersonRepository, PersonService, PersonImportService, PersonMergeRegistry],
  exports: [PersonRepository, PersonService, PersonMergeRegistry],
})
export class PeopleModule {}
