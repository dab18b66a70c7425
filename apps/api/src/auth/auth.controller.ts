import { Body, Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { TokenService, verifyPassword, type Actor } from '../../../../libs/auth';
import { DomainError } from '../../../../libs/domain';
import { UsersRepository } from '../../../../libs/persistence';
import { CurrentActor, Public } from './auth.decorators';
import { LoginDto, TokenResponseDto, UserDto } from './auth.dto';
import { toActor } from './auth.guard';

function toUserDto(actor: Actor): UserDto {
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
  ) {}

  @Public()
  @Post('token')
  @HttpCode(200)
  @ApiOperation({ summary: 'Exchange e-mail and password for an access token' })
  @ApiOkResponse({ type: TokenResponseDto })
  @ApiUnauthorizedResponse({ description: 'Unknown e-mail, wrong password or disabled account' })
  async token(@Body() body: LoginDto): Promise<TokenResponseDto> {
    const user = await this.users.findByEmail(body.email);
    const valid = await verifyPassword(body.password, user?.passwordHash ?? null);
    if (!user || !valid || user.disabled) throw new DomainError('UNAUTHENTICATED', 'The e-mail or password is wrong.');
    return {
      accessToken: await this.tokens.sign(user.id),
      tokenType: 'Bearer',
      expiresIn: this.tokens.ttlSeconds,
      user: toUserDto(toActor(user)),
    };
  }

  @Get('me')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The signed-in user' })
  @ApiOkResponse({ type: UserDto })
  me(@CurrentActor() actor: Actor): UserDto {
    return toUserDto(actor);
  }
}
