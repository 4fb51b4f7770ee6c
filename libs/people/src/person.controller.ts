import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '../../access/src';
import { API_PREFIX, Page } from '../../platform/src';
import {
  CreatedPersonDto,
  CreatePersonDto,
  DuplicateDto,
  DuplicateIdParam,
  DuplicatesQueryDto,
  ListPeopleQueryDto,
  MergePeopleDto,
  PersonDto,
  PersonIdParam,
  UpdatePersonDto,
} from './person.dto';
import { PersonService } from './person.service';

@ApiTags('people')
@ApiBearerAuth()
@Controller(`${API_PREFIX}/people`)
export class PersonController {
  constructor(private readonly people: PersonService) {}

  @Post()
  @Roles('admin', 'steering', 'trainer', 'department_head')
  @ApiOperation({
    summary: 'Đăng ký người học (CCCD trùng bị từ chối; hồ sơ nghi trùng được đưa vào hàng đợi)',
  })
  create(@CurrentPrincipal() principal: Principal, @Body() dto: CreatePersonDto): Promise<CreatedPersonDto> {
    return this.people.create(principal, dto);
  }

  @Get()
  @ApiOperation({
    summary:
      'Người học trong phạm vi, xếp theo tên (thứ tự tiếng Việt); dữ liệu cá nhân được che theo vai trò',
  })
  list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListPeopleQueryDto,
  ): Promise<Page<PersonDto>> {
    return this.people.list(principal, query);
  }

  @Get('duplicates')
  @Roles('admin', 'steering')
  @ApiOperation({ summary: 'Hàng đợi rà soát hồ sơ nghi trùng' })
  duplicates(
    @CurrentPrincipal() principal: Principal,
    @Query() query: DuplicatesQueryDto,
  ): Promise<Page<DuplicateDto>> {
    return this.people.duplicates(principal, query);
  }

  @Post('duplicates/:duplicateId/dismiss')
  @HttpCode(204)
  @Roles('admin', 'steering')
  @ApiOperation({ summary: 'Xác nhận hai hồ sơ là hai người khác nhau' })
  dismiss(
    @CurrentPrincipal() principal: Principal,
    @Param() { duplicateId }: DuplicateIdParam,
  ): Promise<void> {
    return this.people.dismiss(principal, duplicateId);
  }

  @Get(':id')
  @ApiOkResponse({ type: PersonDto })
  get(@CurrentPrincipal() principal: Principal, @Param() { id }: PersonIdParam): Promise<PersonDto> {
    return this.people.get(principal, id);
  }

  @Patch(':id')
  @Roles('admin', 'steering', 'trainer')
  update(
    @CurrentPrincipal() principal: Principal,
    @Param() { id }: PersonIdParam,
    @Body() dto: UpdatePersonDto,
  ): Promise<PersonDto> {
    return this.people.update(principal, id, dto);
  }

  @Post(':id/merge')
  @HttpCode(200)
  @Roles('admin', 'steering')
  @ApiOperation({
    summary:
      'Gộp các hồ sơ trùng vào hồ sơ :id (mọi ghi danh, điểm danh, chứng nhận, vai trò giảng viên đi theo)',
  })
  merge(
    @CurrentPrincipal() principal: Principal,
    @Param() { id }: PersonIdParam,
    @Body() dto: MergePeopleDto,
  ): Promise<PersonDto> {
    return this.people.merge(principal, id, dto.sourceIds);
  }
}
