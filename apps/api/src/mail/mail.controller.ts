import { Body, Controller, Get, HttpCode, Inject, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiExtraModels, ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { DomainError, ROLE_ACCESS, type Actor } from '../../../../libs/domain';
import type { MailPreferencesView, OutboxMailView, Page } from '../../../../libs/http-contract';
import { MailOutboxRepository, UnsubscribeLinks, UsersRepository, type OutboxMail, type UserEntity } from '../../../../libs/persistence';
import type { AppConfig } from '../../../../libs/config';
import { CurrentActor, Public, Roles } from '../auth/auth.decorators';
import { ApiProblems, ProblemDetailsDto } from '../common/api-problems';
import { APP_CONFIG } from '../core.module';
import { MailPreferencesDto, OutboxMailPageDto, OutboxQuery, UpdateMailPreferencesDto } from './mail.dto';

function preferencesView(user: Pick<UserEntity, 'language' | 'mailUnsubscribed'>): MailPreferencesView {
  return { language: user.language, unsubscribed: user.mailUnsubscribed };
}

function outboxView(m: OutboxMail): OutboxMailView {
  return {
    id: m.id,
    eventType: m.eventType,
    proposalId: m.proposalId,
    recipientEmail: m.recipientEmail,
    language: m.language,
    messageId: m.messageId,
    subject: m.subject,
    status: m.status,
    attempts: m.attempts,
    nextAttemptAt: m.status === 'pending' ? m.nextAttemptAt.toISOString() : null,
    lastError: m.lastError,
    createdAt: m.createdAt.toISOString(),
    sentAt: m.sentAt?.toISOString() ?? null,
  };
}

@ApiTags('mail')
@ApiBearerAuth()
@Controller('me/preferences')
export class MailPreferencesController {
  constructor(@Inject(UsersRepository) private readonly users: UsersRepository) {}

  @Get()
  @ApiOperation({ summary: 'My mail preferences' })
  @ApiOkResponse({ type: MailPreferencesDto })
  @ApiProblems(401)
  async get(@CurrentActor() actor: Actor): Promise<MailPreferencesView> {
    return preferencesView((await this.users.findById(actor.id)) as UserEntity);
  }

  @Put()
  @ApiOperation({ summary: 'Replace my mail preferences' })
  @ApiOkResponse({ type: MailPreferencesDto })
  @ApiProblems(400, 401, 413)
  async put(@CurrentActor() actor: Actor, @Body() body: UpdateMailPreferencesDto): Promise<MailPreferencesView> {
    return preferencesView((await this.users.setMailPreferences(actor.id, { language: body.language, mailUnsubscribed: body.unsubscribed })) as UserEntity);
  }
}

@ApiTags('administration')
@ApiBearerAuth()
@Roles(...ROLE_ACCESS.administer)
@Controller('admin/mail')
export class MailAdminController {
  constructor(@Inject(MailOutboxRepository) private readonly outbox: MailOutboxRepository) {}

  @Get()
  @ApiOperation({ summary: 'The mail outbox, newest first: pending (with their next attempt), sent and failed messages' })
  @ApiOkResponse({ type: OutboxMailPageDto })
  @ApiProblems(400, 401, 403)
  async list(@Query() query: OutboxQuery): Promise<Page<OutboxMailView>> {
    const page = await this.outbox.list({ status: query.status, page: query.page, pageSize: query.pageSize });
    return { items: page.items.map(outboxView), total: page.total, page: query.page, pageSize: query.pageSize };
  }
}

const PAGE = (title: string, body: string) => `<!doctype html>
<html lang="es"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title></head>
<body><main><h1>${title}</h1>${body}</main></body></html>
`;

const INVALID = PAGE('Enlace no válido', '<p>Este enlace para anular la suscripción no es válido. <span lang="en">This unsubscribe link is not valid.</span></p>');

/**
 * A link whose token does not verify names nobody: 404, as a page for a browser (the person who
 * clicked it) and as problem+json for any other client, like every other error of the API.
 */
function invalidLink(req: Request, res: Response): void {
  if (req.accepts(['json', 'html']) !== 'html') throw new DomainError('NOT_FOUND', 'This unsubscribe link is not valid.');
  res.status(404).type('html').send(INVALID);
}

const ApiInvalidLink = () =>
  ApiResponse({
    status: 404,
    description: 'The link is not valid (a page for a browser, problem+json otherwise)',
    content: { 'text/html': { schema: { type: 'string' } }, 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemDetailsDto) } } },
  });

/**
 * The signed link in optional mail (README "Mail"): no sign-in. A GET only shows what the link
 * does, so a mail scanner that follows links unsubscribes nobody; the page's button POSTs.
 */
@ApiTags('mail')
@Public()
@Controller('mail/unsubscribe')
export class UnsubscribeController {
  private readonly links: UnsubscribeLinks;

  constructor(
    @Inject(UsersRepository) private readonly users: UsersRepository,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.links = new UnsubscribeLinks(config.auth.jwtSecret);
  }

  @Get()
  @ApiOperation({ summary: 'The confirmation page of an unsubscribe link (changes nothing)' })
  @ApiQuery({ name: 'token', required: true, description: 'The signed token of the link in the message' })
  @ApiProduces('text/html')
  @ApiResponse({ status: 200, description: 'A page with the button that unsubscribes', content: { 'text/html': { schema: { type: 'string' } } } })
  @ApiExtraModels(ProblemDetailsDto)
  @ApiInvalidLink()
  async confirm(@Query('token') token: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    const userId = typeof token === 'string' ? this.links.verify(token) : null;
    if (!userId || !(await this.users.findById(userId))) return invalidLink(req, res);
    const action = `?token=${encodeURIComponent(token as string)}`;
    res
      .status(200)
      .type('html')
      .send(
        PAGE(
          'Anular suscripción',
          `<p>Dejará de recibir los avisos que no requieren su acción (tareas disponibles para su rol, resultados). Los que piden su acción se siguen enviando.</p>
<p lang="en">You will stop receiving notices that ask nothing of you; those that ask for your action are still sent.</p>
<form method="post" action="${action.replaceAll('&', '&amp;').replaceAll('"', '&quot;')}"><button type="submit">Anular suscripción / Unsubscribe</button></form>`,
        ),
      );
  }

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Unsubscribe the person the link names from optional mail' })
  @ApiQuery({ name: 'token', required: true, description: 'The signed token of the link in the message' })
  @ApiProduces('text/html')
  @ApiResponse({ status: 200, description: 'Unsubscribed', content: { 'text/html': { schema: { type: 'string' } } } })
  @ApiExtraModels(ProblemDetailsDto)
  @ApiInvalidLink()
  async unsubscribe(@Query('token') token: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    const userId = typeof token === 'string' ? this.links.verify(token) : null;
    if (!userId || !(await this.users.setMailPreferences(userId, { mailUnsubscribed: true }))) return invalidLink(req, res);
    res.status(200).type('html').send(PAGE('Suscripción anulada', '<p>Listo: ya no recibirá avisos que no requieren su acción. <span lang="en">Done: you will no longer receive notices that need no action from you.</span></p>'));
  }
}
