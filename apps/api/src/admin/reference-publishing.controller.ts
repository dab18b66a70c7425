import { Body, Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ROLE_ACCESS, DomainError, validateCatalogue, type Actor, type FieldError, type Policy, type StandardsCatalogue } from '../../../../libs/domain';
import { policyForPublication } from '../../../../libs/calendar';
import { AdministrationLedger } from '../../../../libs/persistence';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { ApiProblems } from '../common/api-problems';
import { ReferenceDataService } from '../reference/reference-data.service';

/** The domain validators speak in sentences that start with the field's path. */
function asFieldErrors(problems: string[]): FieldError[] {
  return problems.map((message) => ({ field: /^[\w.[\]-]+/.exec(message)?.[0] ?? 'body', message }));
}

function refuseUnknownKeys(body: unknown, allowed: readonly string[]): void {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new DomainError('VALIDATION_FAILED', 'The body must be a JSON object.', { errors: [{ field: 'body', message: 'body must be a JSON object' }] });
  }
  const unknown = Object.keys(body).filter((key) => !allowed.includes(key));
  if (unknown.length) {
    throw new DomainError('VALIDATION_FAILED', 'The body has unknown fields.', { errors: unknown.map((field) => ({ field, message: `${field} is not a known field` })) });
  }
}

const POLICY_KEYS = ['version', 'currency', 'tiers', 'defaultHorizonYears', 'discountRate', 'benchmarkTolerance', 'reviewMode', 'committeeQuorum', 'approvalLevelsByTier', 'sla', 'calendar'] as const;

/**
 * Admins publish new catalogue and policy versions; a published version is never changed, and
 * evaluations in flight keep the versions pinned when they were submitted. Each publication is
 * recorded in the decision log (CATALOGUE_PUBLISHED, POLICY_PUBLISHED) with the sha256 of its content.
 */
@ApiTags('administration')
@ApiBearerAuth()
@Controller()
export class ReferencePublishingController {
  constructor(
    @Inject(AdministrationLedger) private readonly ledger: AdministrationLedger,
    @Inject(ReferenceDataService) private readonly reference: ReferenceDataService,
  ) {}

  @Post('standards/versions')
  @Roles(...ROLE_ACCESS.administer)
  @ApiOperation({ summary: 'Publish a standards catalogue version (becomes current)' })
  @ApiBody({ schema: { example: { version: '2027.1', standards: [{ code: 'SEC-01', area: 'security', title: '…', description: '…', mandatory: true, appliesTo: {} }] } } })
  @ApiCreatedResponse({ description: 'The published catalogue' })
  @ApiProblems(400, 401, 403, { 409: 'That version exists already' }, 413)
  async publishCatalogue(@CurrentActor() actor: Actor, @Body() body: unknown): Promise<StandardsCatalogue> {
    refuseUnknownKeys(body, ['version', 'standards']);
    const problems = validateCatalogue(body);
    if (problems.length) throw new DomainError('VALIDATION_FAILED', `The catalogue has ${problems.length} problem(s).`, { errors: asFieldErrors(problems) });
    const catalogue = body as StandardsCatalogue;
    if (!(await this.ledger.publishCatalogue(catalogue, actor.email))) {
      throw new DomainError('CONFLICT', `Catalogue version ${catalogue.version} exists already; publish a new version.`);
    }
    return this.reference.catalogue(catalogue.version);
  }

  @Get('policy')
  @ApiOperation({ summary: 'The current policy: tiers, service levels, discount rate, holidays' })
  @ApiOkResponse({ description: 'The policy' })
  @ApiProblems(401)
  currentPolicy(): Promise<Policy> {
    return this.reference.currentPolicy();
  }

  @Post('policy/versions')
  @Roles(...ROLE_ACCESS.administer)
  @HttpCode(201)
  @ApiOperation({
    summary: 'Publish a policy version (becomes current for new submissions)',
    description:
      'With `calendar.source` (e.g. `{ "country": "CL" }`) the holidays are made by the holiday library for the publication year and the ten after it, ' +
      'with its standing corrections and the policy’s own `calendar.added` and `calendar.removed` ({ date, reason }); `holidays`, `coveredFrom`, ' +
      '`coveredThrough` and the library version are then written by the server. Without a source, `holidays` is taken as written and must declare ' +
      '`coveredFrom` and `coveredThrough`. Either way the calendar must cover the publication date and reach ten years past it.',
  })
  @ApiBody({
    schema: {
      description: 'A whole policy, as GET /policy returns it, with a new version (the example shows only the version and the calendar)',
      example: { version: '2027.1', calendar: { timeZone: 'America/Santiago', source: { country: 'CL' }, added: [{ date: '2027-12-24', reason: 'the law that fixes the extra day' }] } },
    },
  })
  @ApiCreatedResponse({ description: 'The published policy' })
  @ApiProblems(400, 401, 403, { 409: 'That version exists already' }, 413)
  async publishPolicy(@CurrentActor() actor: Actor, @Body() body: unknown): Promise<Policy> {
    refuseUnknownKeys(body, POLICY_KEYS);
    const made = policyForPublication(body, new Date());
    if (!made.ok) throw new DomainError('VALIDATION_FAILED', `The policy has ${made.problems.length} problem(s).`, { errors: asFieldErrors(made.problems) });
    const { policy } = made;
    if (!(await this.ledger.publishPolicy(policy, actor.email))) {
      throw new DomainError('CONFLICT', `Policy version ${policy.version} exists already; publish a new version.`);
    }
    return this.reference.policy(policy.version);
  }
}
