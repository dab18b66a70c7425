import { type CanActivate, type ExecutionContext, Inject, Injectable, Optional } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { OidcVerifier, TokenService } from '../../../../libs/auth';
import { isRole, DomainError, unstorableFields, type Actor, type Role } from '../../../../libs/domain';
import { AdministrationLedger, UsersRepository, type UserEntity } from '../../../../libs/persistence';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
import { IS_PUBLIC, REQUIRED_ROLES, type AuthenticatedRequest } from './auth.decorators';

export function toActor(user: UserEntity): Actor {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    roles: user.roles.filter(isRole),
    agencyCode: user.agencyCode,
    approvalLevel: user.approvalLevel,
    deputy: user.deputy,
  };
}

/**
 * A provider's claims become a person's row (e-mail, name, agency, level), so they are text a
 * client sends: one PostgreSQL cannot store is refused, naming the header, before any query.
 */
function refuseUnstorableClaims(identity: object): void {
  const problems = unstorableFields(identity, 'claims');
  if (problems.length) {
    throw new DomainError('VALIDATION_FAILED', 'The identity provider’s token holds text that cannot be stored.', {
      errors: problems.map(({ message }) => ({ field: 'Authorization', message: `the token’s ${message}` })),
    });
  }
}

/**
 * Every route needs a valid bearer token unless marked @Public. The user is loaded on each
 * request, so a disabled account's tokens stop working at once and role changes apply at once.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(TokenService) private readonly tokens: TokenService,
    @Inject(UsersRepository) private readonly users: UsersRepository,
    @Inject(AdministrationLedger) private readonly administration: AdministrationLedger,
    @Optional() @Inject(OidcVerifier) private readonly oidc: OidcVerifier | null,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.header('authorization') ?? '';
    const match = /^Bearer ([A-Za-z0-9._-]+)$/.exec(header.trim());
    if (!match) throw new DomainError('UNAUTHENTICATED', 'A bearer token is required (Authorization: Bearer <accessToken>).');
    const user = await this.userFor(match[1]);
    if (!user || user.disabled) throw new DomainError('UNAUTHENTICATED', 'The token is invalid, expired, or its account is disabled.');
    const actor = toActor(user);
    request.actor = actor;

    const required = this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, targets);
    if (required?.length && !required.some((role) => actor.roles.includes(role))) {
      throw new DomainError('FORBIDDEN', `This action needs one of the roles: ${required.join(', ')}.`);
    }
    return true;
  }

  /**
   * Our own tokens name a user id; an identity provider's name a person (issuer and subject) whose
   * account the administration ledger finds, provisions, or refuses: a provider never takes over
   * a local account by its e-mail, and an e-mail it has not verified is no one's.
   */
  private async userFor(token: string): Promise<UserEntity | null> {
    if (this.oidc?.issuedBy(token)) {
      const identity = await this.oidc.verify(token);
      if (!identity) return null;
      refuseUnstorableClaims(identity);
      if (!identity.emailVerified) {
        throw new DomainError('UNAUTHENTICATED', `The identity provider has not verified the e-mail ${identity.email} (its claim ${this.oidc.emailVerifiedClaim} is not true): sign in is refused.`);
      }
      const admission = await this.administration.admitExternal(identity);
      if ('user' in admission) return admission.user;
      switch (admission.refused) {
        case 'UNKNOWN_AGENCY':
          return null;
        case 'EMAIL_TAKEN':
          throw new DomainError(
            'FORBIDDEN',
            `The e-mail ${identity.email} belongs to an account this identity provider’s person is not linked to: an administrator must link them (POST /api/v1/admin/users/{id}/identity) before it can be used through the provider.`,
          );
      }
    }
    const claims = await this.tokens.verify(token);
    return claims && UUID.test(claims.sub) ? this.users.findById(claims.sub) : null;
  }
}
