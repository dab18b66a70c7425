import { Body, Controller, Get, Inject, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { hashPassword } from '../../../../libs/auth';
import { ROLE_ACCESS, DomainError, type Role } from '../../../../libs/domain';
import type { AdminUserView, AgencyView, Items, Page } from '../../../../libs/http-contract';
import { UsersRepository, type AgencyEntity, type UserEntity } from '../../../../libs/persistence';
import { Roles } from '../auth/auth.decorators';
import { ApiProblems, ApiUuidParam } from '../common/api-problems';
import { AdminUserDto, AdminUserPageDto, AgencyDto, AgencyListDto } from '../common/api-views';
import { uuidParam } from '../common/uuid-param';
import { CreateAgencyDto, CreateUserDto, PageQuery, UpdateUserDto } from './admin.dto';

function userView(u: UserEntity): AdminUserView {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    // Stored only by paths that check them against ROLES: the admin DTOs, the seed, the identity provider's mapping.
    roles: u.roles as Role[],
    agencyCode: u.agencyCode,
    approvalLevel: u.approvalLevel,
    deputy: u.deputy,
    disabled: u.disabled,
    createdAt: u.createdAt.toISOString(),
    updatedAt: u.updatedAt.toISOString(),
  };
}

function agencyView(a: AgencyEntity): AgencyView {
  return { code: a.code, name: a.name, createdAt: a.createdAt.toISOString() };
}

@ApiTags('administration')
@ApiBearerAuth()
@Roles(...ROLE_ACCESS.administer)
@Controller('admin')
export class UsersAdminController {
  constructor(@Inject(UsersRepository) private readonly users: UsersRepository) {}

  @Get('users')
  @ApiOperation({ summary: 'Users, by e-mail' })
  @ApiOkResponse({ type: AdminUserPageDto })
  @ApiProblems(400, 401, 403)
  async listUsers(@Query() query: PageQuery): Promise<Page<AdminUserView>> {
    const page = await this.users.list(query.page, query.pageSize);
    return { items: page.items.map(userView), total: page.total, page: query.page, pageSize: query.pageSize };
  }

  @Post('users')
  @ApiOperation({ summary: 'Create a local account' })
  @ApiCreatedResponse({ type: AdminUserDto })
  @ApiProblems(400, 401, 403, { 409: 'The e-mail is taken' }, 413)
  async createUser(@Body() body: CreateUserDto): Promise<AdminUserView> {
    await this.assertAgency(body.agencyCode);
    const email = body.email.trim().toLowerCase();
    if (await this.users.findByEmail(email)) throw new DomainError('CONFLICT', `A user with e-mail ${email} exists already.`);
    const created = await this.users.create({
      email,
      name: body.name,
      passwordHash: await hashPassword(body.password),
      roles: body.roles,
      agencyCode: body.agencyCode,
      approvalLevel: body.approvalLevel ?? null,
      deputy: body.deputy ?? false,
      disabled: false,
    });
    return userView(created);
  }

  @Patch('users/:id')
  @ApiOperation({ summary: 'Change roles, level, agency, or disable a user (their tokens stop working at once)' })
  @ApiBody({ type: UpdateUserDto, required: false, description: 'Only the fields that change; none changes nothing' })
  @ApiOkResponse({ type: AdminUserDto })
  @ApiUuidParam()
  @ApiProblems(400, 401, 403, 404, 413)
  async updateUser(@Param('id', uuidParam()) id: string, @Body() body: UpdateUserDto): Promise<AdminUserView> {
    if (!(await this.users.findById(id))) throw new DomainError('NOT_FOUND', `User ${id} was not found.`);
    if (body.agencyCode) await this.assertAgency(body.agencyCode);
    const { password, ...fields } = body;
    const change = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
    const updated = await this.users.update(id, { ...change, ...(password ? { passwordHash: await hashPassword(password) } : {}) });
    return userView(updated as UserEntity);
  }

  @Get('agencies')
  @ApiOperation({ summary: 'Agencies' })
  @ApiOkResponse({ type: AgencyListDto })
  @ApiProblems(401, 403)
  async listAgencies(): Promise<Items<AgencyView>> {
    return { items: (await this.users.listAgencies()).map(agencyView) };
  }

  @Post('agencies')
  @ApiOperation({ summary: 'Register an agency' })
  @ApiCreatedResponse({ type: AgencyDto })
  @ApiProblems(400, 401, 403, { 409: 'The code is taken' }, 413)
  async createAgency(@Body() body: CreateAgencyDto): Promise<AgencyView> {
    if (!(await this.users.insertAgencyIfAbsent(body))) throw new DomainError('CONFLICT', `Agency ${body.code} exists already.`);
    return agencyView((await this.users.findAgency(body.code)) as AgencyEntity);
  }

  private async assertAgency(code: string): Promise<void> {
    if (!(await this.users.findAgency(code))) {
      throw new DomainError('VALIDATION_FAILED', `Agency ${code} does not exist.`, { errors: [{ field: 'agencyCode', message: `agency ${code} does not exist` }] });
    }
  }
}
