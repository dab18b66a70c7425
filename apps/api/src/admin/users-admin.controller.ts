import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { hashPassword, passwordProblem } from '../../../../libs/auth';
import type { AppConfig } from '../../../../libs/config';
import { ROLE_ACCESS, DomainError, type Actor, type Role } from '../../../../libs/domain';
import type { AdminUserView, AgencyView, IdentityLinkView, Items, Page } from '../../../../libs/http-contract';
import { AdministrationLedger, UsersRepository, type AgencyEntity, type UserEntity } from '../../../../libs/persistence';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { ApiProblems, ApiUuidParam } from '../common/api-problems';
import { AdminUserDto, AdminUserPageDto, AgencyDto, AgencyListDto, IdentityLinkDto } from '../common/api-views';
import { uuidParam } from '../common/uuid-param';
import { APP_CONFIG } from '../core.module';
import { CreateAgencyDto, CreateUserDto, LinkIdentityDto, PageQuery, UpdateUserDto } from './admin.dto';

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
  constructor(
    @Inject(UsersRepository) private readonly users: UsersRepository,
    @Inject(AdministrationLedger) private readonly ledger: AdministrationLedger,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('users')
  @ApiOperation({ summary: 'Users, by e-mail' })
  @ApiOkResponse({ type: AdminUserPageDto })
  @ApiProblems(400, 401, 403)
  async listUsers(@Query() query: PageQuery): Promise<Page<AdminUserView>> {
    const page = await this.users.list(query.page, query.pageSize);
    return { items: page.items.map(userView), total: page.total, page: query.page, pageSize: query.pageSize };
  }

  @Post('users')
  @ApiOperation({ summary: 'Create a local account (recorded in the decision log: ADMIN_USER_CREATED)' })
  @ApiCreatedResponse({ type: AdminUserDto })
  @ApiProblems(400, 401, 403, { 409: 'The e-mail is taken' }, 413)
  async createUser(@CurrentActor() actor: Actor, @Body() body: CreateUserDto): Promise<AdminUserView> {
    this.assertUnpublishedPassword(body.password);
    await this.assertAgency(body.agencyCode);
    const email = body.email.trim().toLowerCase();
    const user = {
      email,
      name: body.name,
      passwordHash: await hashPassword(body.password),
      roles: body.roles,
      agencyCode: body.agencyCode,
      approvalLevel: body.approvalLevel ?? null,
      deputy: body.deputy ?? false,
      disabled: false,
    };
    const created = await this.ledger.createUser(user, actor.email);
    if (!created) throw new DomainError('CONFLICT', `A user with e-mail ${email} exists already.`);
    return userView(created.user);
  }

  @Patch('users/:id')
  @ApiOperation({
    summary: 'Change roles, level, agency, or disable a user (their tokens stop working at once)',
    description:
      'Each part of a change is recorded in the decision log with the admin as actor: ADMIN_USER_UPDATED (the changed fields’ `before` and `after`), ' +
      'ADMIN_USER_DISABLED or ADMIN_USER_ENABLED, ADMIN_PASSWORD_RESET (never the password). A body that changes nothing records nothing.',
  })
  @ApiBody({ type: UpdateUserDto, required: false, description: 'Only the fields that change; none changes nothing' })
  @ApiOkResponse({ type: AdminUserDto })
  @ApiUuidParam()
  @ApiProblems(400, 401, 403, 404, 413)
  async updateUser(@CurrentActor() actor: Actor, @Param('id', uuidParam()) id: string, @Body() body: UpdateUserDto): Promise<AdminUserView> {
    const { password, ...fields } = body;
    if (password) this.assertUnpublishedPassword(password);
    if (body.agencyCode) await this.assertAgency(body.agencyCode);
    const change = { ...fields, ...(password ? { passwordHash: await hashPassword(password) } : {}) };
    const updated = await this.ledger.updateUser(id, change, actor.email);
    if (!updated) throw new DomainError('NOT_FOUND', `User ${id} was not found.`);
    return userView(updated.user);
  }

  @Post('users/:id/identity')
  @ApiOperation({
    summary: 'Link an identity provider’s person (issuer and subject) to a local account',
    description:
      'Until an admin links them, a provider’s token whose e-mail belongs to a local account is refused (403): the provider never takes a local account over by e-mail. ' +
      'Once linked, the person signs in to this account through the provider; its roles, level and agency stay the admins’. Recorded as IDENTITY_LINKED.',
  })
  @ApiCreatedResponse({ type: IdentityLinkDto })
  @ApiUuidParam()
  @ApiProblems(400, 401, 403, 404, { 409: 'The identity is linked to an account already, or the account has an identity' }, 413)
  async linkIdentity(@CurrentActor() actor: Actor, @Param('id', uuidParam()) id: string, @Body() body: LinkIdentityDto): Promise<IdentityLinkView> {
    const issuer = this.config.auth.oidc?.issuer;
    if (issuer !== undefined && body.issuer !== issuer) {
      throw new DomainError('VALIDATION_FAILED', `The issuer must be the configured identity provider’s, ${issuer}.`, { errors: [{ field: 'issuer', message: `issuer must be ${issuer}` }] });
    }
    const result = await this.ledger.linkIdentity(id, { issuer: body.issuer, subject: body.subject }, actor.email);
    if ('refused' in result) {
      switch (result.refused) {
        case 'USER_NOT_FOUND':
          throw new DomainError('NOT_FOUND', `User ${id} was not found.`);
        case 'USER_HAS_IDENTITY':
          throw new DomainError('CONFLICT', `User ${id} has a provider identity already.`);
        case 'IDENTITY_TAKEN':
          throw new DomainError('CONFLICT', `The identity ${body.subject} of ${body.issuer} is linked to an account already.`);
      }
    }
    const { linked } = result;
    return { userId: linked.userId, issuer: linked.issuer, subject: linked.subject, provisioned: linked.provisioned, createdAt: linked.createdAt.toISOString() };
  }

  @Delete('users/:id/identity')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Unlink the provider identity an admin linked to a local account',
    description: 'The provider’s person is refused again until linked. An identity the provider provisioned is its account’s only way in and stays (409). Recorded as IDENTITY_UNLINKED.',
  })
  @ApiNoContentResponse({ description: 'Unlinked' })
  @ApiUuidParam()
  @ApiProblems(400, 401, 403, 404, { 409: 'The account has no identity an admin linked' })
  async unlinkIdentity(@CurrentActor() actor: Actor, @Param('id', uuidParam()) id: string): Promise<void> {
    const result = await this.ledger.unlinkIdentity(id, actor.email);
    if ('refused' in result) {
      switch (result.refused) {
        case 'USER_NOT_FOUND':
          throw new DomainError('NOT_FOUND', `User ${id} was not found.`);
        case 'NO_LINKED_IDENTITY':
          throw new DomainError('CONFLICT', `User ${id} has no provider identity an admin linked.`);
      }
    }
  }

  @Get('agencies')
  @ApiOperation({ summary: 'Agencies' })
  @ApiOkResponse({ type: AgencyListDto })
  @ApiProblems(401, 403)
  async listAgencies(): Promise<Items<AgencyView>> {
    return { items: (await this.users.listAgencies()).map(agencyView) };
  }

  @Post('agencies')
  @ApiOperation({ summary: 'Register an agency (recorded in the decision log: ADMIN_AGENCY_CREATED)' })
  @ApiCreatedResponse({ type: AgencyDto })
  @ApiProblems(400, 401, 403, { 409: 'The code is taken' }, 413)
  async createAgency(@CurrentActor() actor: Actor, @Body() body: CreateAgencyDto): Promise<AgencyView> {
    const created = await this.ledger.createAgency({ code: body.code, name: body.name }, actor.email);
    if (!created) throw new DomainError('CONFLICT', `Agency ${body.code} exists already.`);
    return agencyView(created);
  }

  /** A password anyone can read (published in the repository, or the demo accounts' shown on the sign-in page) is refused. */
  private assertUnpublishedPassword(password: string): void {
    const problem = passwordProblem(password, this.config.demoAccounts ? [this.config.demoAccounts.password] : []);
    if (problem) throw new DomainError('VALIDATION_FAILED', 'The password cannot be used.', { errors: [{ field: 'password', message: problem }] });
  }

  private async assertAgency(code: string): Promise<void> {
    if (!(await this.users.findAgency(code))) {
      throw new DomainError('VALIDATION_FAILED', `Agency ${code} does not exist.`, { errors: [{ field: 'agencyCode', message: `agency ${code} does not exist` }] });
    }
  }
}
