import { Module } from '@nestjs/common';
import { HierarchyModule } from '../../hierarchy/src';
import { PersonController } from './person.controller';
import { PersonMergeRegistry } from './person-merge.registry';
import { PersonRepository } from './person.repository';
import { PersonService } from './person.service';

@Module({
  imports: [HierarchyModule],
  controllers: [PersonController],
  providers: [PersonRepository, PersonService, PersonMergeRegistry],
  exports: [PersonRepository, PersonService, PersonMergeRegistry],
})
export class PeopleModule {}
