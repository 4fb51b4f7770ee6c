import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '../../access/src';
import { API_PREFIX, ApiPage, Page } from '../../platform/src';
import {
  AssignmentInputDto,
  AssignmentParam,
  CreateUserDto,
  ListUsersQueryDto,
  ResetPasswordDto,
  UpdateUserDto,
  UserDto,
  UserIdParam,
} from './user.dto';
import { UserService } from './user.service';
import { IdentityDto, IdentityParam, LinkIdentityDto } from './identity.dto';
import { IdentityService } from './identity.service';

@ApiTags('users')
@ApiBearerAuth()
@Roles('admin', 'steering')
@Controller(`${API_PREFIX}/users`)
export class UserController {
  constructor(
    private readonly users: UserService,
    private readonly identities: IdentityService,
  ) {}

  @Get()
  @ApiPage(UserDto)
  @ApiOperation({ summary: 'Người dùng có vai trò trong phạm vi của người gọi' })
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListUsersQueryDto): Promise<Page<UserDto>> {
    return this.users.list(principal, query);
  }

  @Post()
  @ApiCreatedResponse({ type: UserDto })
  @ApiOperation({ summary: 'Tạo người dùng (phạm vi được cấp không rộng hơn phạm vi của người tạo)' })
  create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateUserDto): Promise<UserDto> {
    return this.users.create(principal, dto);
  }

  @Get(':id')
  @ApiOkResponse({ type: UserDto })
  get(@CurrentPrincipal() principal: Principal, @Param() { id }: UserIdParam): Promise<UserDto> {
    return this.users.get(principal, id);
  }

  @Patch(':id')
  @ApiOkResponse({ type: UserDto })
  @ApiOperation({ summary: 'Đổi tên hiển thị, khóa hoặc mở khóa người dùng' })
  update(
    @CurrentPrincipal() principal: Principal,
    @Param() { id }: UserIdParam,
    @Body() dto: UpdateUserDto,
  ): Promise<UserDto> {
    return this.users.update(principal, id, dto);
  }

  @Post(':id/assignments')
  @ApiCreatedResponse({ type: UserDto })
  @ApiOperation({ summary: 'Cấp thêm vai trò' })
  grant(
    @CurrentPrincipal() principal: Principal,
    @Param() { id }: UserIdParam,
    @Body() dto: AssignmentInputDto,
  ): Promise<UserDto> {
    return this.users.grant(principal, id, dto);
  }

  @Delete(':id/assignments/:assignmentId')
  @ApiOkResponse({ type: UserDto })
  @ApiOperation({ summary: 'Thu hồi một vai trò' })
  revoke(
    @CurrentPrincipal() principal: Principal,
    @Param() { id, assignmentId }: AssignmentParam,
  ): Promise<UserDto> {
    return this.users.revoke(principal, id, assignmentId);
  }

  @Post(':id/password')
  @ApiCreatedResponse({ type: UserDto })
  @ApiOperation({ summary: 'Đặt lại mật khẩu (người dùng phải đổi ở lần đăng nhập sau)' })
  resetPassword(
    @CurrentPrincipal() principal: Principal,
    @Param() { id }: UserIdParam,
    @Body() dto: ResetPasswordDto,
  ): Promise<UserDto> {
    return this.users.resetPassword(principal, id, dto);
  }

  @Get(':id/identities')
  @Roles('admin')
  @ApiOkResponse({ type: [IdentityDto] })
  @ApiOperation({ summary: 'Danh tính đăng nhập (VNeID…) đã gắn với người dùng (chỉ quản trị viên)' })
  listIdentities(
    @CurrentPrincipal() principal: Principal,
    @Param() { id }: UserIdParam,
  ): Promise<IdentityDto[]> {
    return this.identities.list(principal, id);
  }

  @Post(':id/identities')
  @Roles('admin')
  @ApiCreatedResponse({ type: IdentityDto })
  @ApiOperation({
    summary: 'Gắn một danh tính tại nhà cung cấp đăng nhập với người dùng (chỉ quản trị viên)',
  })
  linkIdentity(
    @CurrentPrincipal() principal: Principal,
    @Param() { id }: UserIdParam,
    @Body() dto: LinkIdentityDto,
  ): Promise<IdentityDto> {
    return this.identities.link(principal, id, dto.provider, dto.subject);
  }

  @Delete(':id/identities/:identityId')
  @Roles('admin')
  @HttpCode(204)
  @ApiOperation({ summary: 'Gỡ danh tính đăng nhập khỏi người dùng (chỉ quản trị viên)' })
  unlinkIdentity(
    @CurrentPrincipal() principal: Principal,
    @Param() { id, identityId }: IdentityParam,
  ): Promise<void> {
    return this.identities.unlink(principal, id, identityId);
  }
}
