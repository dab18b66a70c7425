import { Body, Controller, Get, HttpCode, Inject, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { LoginThrottle, TokenService, verifyPassword } from '../../../../libs/auth';
import { DomainError, type Actor } from '../../../../libs/domain';
import type { SignInOptions, TokenResponse, UserView } from '../../../../libs/http-contract';
import { DEMO_USERS, UsersRepository } from '../../../../libs/persistence';
import type { AppConfig } from '../../../../libs/config';
import { APP_CONFIG } from '../core.module';
import { ApiProblems } from '../common/api-problems';
import { CurrentActor, Public } from './auth.decorators';
import { LoginDto, SignInOptionsDto, TokenResponseDto, UserDto } from './auth.dto';
import { toActor } from './auth.guard';

/** A valid scrypt hash of a random secret nobody knows. */
const UNKNOWN_USER_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$Zm9yLXRpbWluZy1vbmx5LW5ldmVyLWEtcmVhbC1rZXk=';

function userView(actor: Actor): UserView {
  return {
    id: actor.id,
    email: actor.email,
    name: actor.name,
    roles: actor.roles,
    agencyCode: actor.agencyCode,
    approvalLevel: actor.approvalLevel,
  };
}

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    @Inject(UsersRepository) private readonly users: UsersRepository,
    @Inject(TokenService) private readonly tokens: TokenService,
    @Inject(LoginThrottle) private readonly throttle: LoginThrottle,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Public()
  @Get('options')
  @ApiOperation({ summary: 'What the sign-in page offers: local sign-in, and the demo accounts of a development stack' })
  @ApiOkResponse({ type: SignInOptionsDto })
  options(): SignInOptions {
    const demo = this.config.demoAccounts;
    return {
      localLogin: this.config.auth.localLogin,
      demoAccounts: demo ? { password: demo.password, emails: DEMO_USERS.map((u) => u.email) } : null,
    };
  }

  @Public()
  @Post('token')
  @HttpCode(200)
  @ApiOperation({ summary: 'Exchange e-mail and password for an access token' })
  @ApiOkResponse({ type: TokenResponseDto })
  @ApiProblems(400, { 401: 'Unknown e-mail, wrong password or disabled account' }, 413, { 429: 'Too many failed attempts for this e-mail from this address, for this e-mail, or from this address; see Retry-After' })
  async token(@Body() body: LoginDto, @Req() req: Request): Promise<TokenResponse> {
    if (!this.config.auth.localLogin) {
      throw new DomainError('UNAUTHENTICATED', 'Local sign-in is turned off: sign in with the identity provider and send its token.');
    }
    // The client's address: the connection's, or X-Forwarded-For's when it came through a TRUST_PROXY proxy.
    const address = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    // Counted as a failure before the password is checked, in the same step as the check of the limits.
    const attempt = await this.throttle.begin(body.email, address);
    const wait = attempt.retryAfterSeconds;
    if (wait > 0) throw new DomainError('RATE_LIMITED', 'Too many requests; slow down', { details: { retryAfterSeconds: wait } });
    const user = await this.users.findByEmail(body.email);
    // A hash is checked even for an unknown e-mail, so timing does not tell which accounts exist.
    const valid = await verifyPassword(body.password, user?.passwordHash ?? UNKNOWN_USER_HASH);
    if (!user || !valid || user.disabled) {
      throw new DomainError('UNAUTHENTICATED', 'The e-mail or password is wrong.');
    }
    await attempt.succeeded();
    return {
      accessToken: await this.tokens.sign(user.id),
      tokenType: 'Bearer',
      expiresIn: this.tokens.ttlSeconds,
      user: userView(toActor(user)),
    };
  }

  @Get('me')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The signed-in user' })
  @ApiOkResponse({ type: UserDto })
  @ApiProblems(401)
  me(@CurrentActor() actor: Actor): UserView {
    return userView(actor);
  }
}
