import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import { isRole, type Role } from '../../domain';

export interface OidcOptions {
  jwksUrl: string;
  issuer: string;
  audience: string;
  /** Claim names, so any identity provider's tokens can be mapped without code. */
  claims: { email: string; emailVerified: string; name: string; roles: string; agency: string; approvalLevel: string };
}

/** Who an identity provider says the caller is, mapped to our terms. */
export interface ExternalIdentity {
  /** The provider (the token's `iss`) and the person's id there (`sub`): what names them, never the e-mail. */
  issuer: string;
  subject: string;
  email: string;
  /** Whether the provider vouches that the person owns the e-mail (the verified claim is true). */
  emailVerified: boolean;
  name: string;
  roles: Role[];
  agencyCode: string;
  approvalLevel: string | null;
}

function claimAt(payload: JWTPayload, path: string): unknown {
  return path.split('.').reduce<unknown>((value, key) => (value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined), payload);
}

/**
 * Verifies access tokens of an OpenID Connect provider (a government identity provider): the
 * signature against its JWKS (fetched and cached by jose, refreshed when a new key id appears),
 * the issuer, the audience and the expiry; then maps the configured claims to the person (issuer
 * and subject), their e-mail and whether the provider verified it, roles and agency.
 */
export class OidcVerifier {
  private readonly jwks: ReturnType<typeof createRemoteJWKSet>;

  constructor(private readonly options: OidcOptions) {
    this.jwks = createRemoteJWKSet(new URL(options.jwksUrl), { timeoutDuration: 5_000, cooldownDuration: 30_000 });
  }

  /** The claim that says the provider verified the e-mail (OIDC_EMAIL_VERIFIED_CLAIM), for the refusal's words. */
  get emailVerifiedClaim(): string {
    return this.options.claims.emailVerified;
  }

  /** True when the token claims to come from this provider (so it is worth verifying). */
  issuedBy(token: string): boolean {
    try {
      const [, body] = token.split('.');
      const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as JWTPayload;
      return payload.iss === this.options.issuer;
    } catch {
      return false;
    }
  }

  /** The identity, or null for a token that is not valid for us. */
  async verify(token: string): Promise<ExternalIdentity | null> {
    try {
      const { payload } = await jwtVerify(token, this.jwks, {
        issuer: this.options.issuer,
        audience: this.options.audience,
        algorithms: ['RS256', 'RS384', 'RS512', 'PS256', 'ES256', 'ES384', 'EdDSA'],
      });
      const { claims } = this.options;
      const email = claimAt(payload, claims.email);
      const agencyCode = claimAt(payload, claims.agency);
      const { sub } = payload;
      if (typeof email !== 'string' || !email.includes('@') || typeof agencyCode !== 'string' || typeof sub !== 'string' || !sub) return null;
      // Some providers send the boolean as a string.
      const verified = claimAt(payload, claims.emailVerified);
      const rawRoles = claimAt(payload, claims.roles);
      const roles = (Array.isArray(rawRoles) ? rawRoles : typeof rawRoles === 'string' ? rawRoles.split(/[\s,]+/) : []).filter(
        (r): r is Role => typeof r === 'string' && isRole(r),
      );
      const level = claimAt(payload, claims.approvalLevel);
      const name = claimAt(payload, claims.name);
      return {
        issuer: this.options.issuer,
        subject: sub,
        email: email.trim().toLowerCase(),
        emailVerified: verified === true || verified === 'true',
        name: typeof name === 'string' && name.trim() ? name.trim() : email,
        roles,
        agencyCode,
        approvalLevel: typeof level === 'string' && level ? level : null,
      };
    } catch {
      return null;
    }
  }
}
