import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';

export const IDP_ISSUER = 'https://idp.gob.example';
export const IDP_AUDIENCE = 'appraise';

export interface TokenOptions {
  /** Signed with a key the provider's JWKS does not hold. */
  foreignKey?: boolean;
  issuer?: string;
  audience?: string;
  expiresIn?: string;
  /** The person's id at the provider (`sub`); `idp-user-42` unless given. */
  subject?: string;
}

export interface IdentityProvider {
  /** The configuration that makes the API accept this provider's tokens. */
  env: { OIDC_JWKS_URL: string; OIDC_ISSUER: string; OIDC_AUDIENCE: string };
  token(claims: Record<string, unknown>, options?: TokenOptions): Promise<string>;
  stop(): Promise<void>;
}

/** An OpenID Connect provider as the API sees one: a JWKS served over HTTP, and the tokens it signs. */
export async function startIdentityProvider(): Promise<IdentityProvider> {
  const own = await generateKeyPair('RS256');
  const foreign = (await generateKeyPair('RS256')).privateKey;
  const jwk = { ...(await exportJWK(own.publicKey)), kid: 'idp-key-1', alg: 'RS256', use: 'sig' };
  const server = createServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    env: { OIDC_JWKS_URL: `http://127.0.0.1:${port}/.well-known/jwks.json`, OIDC_ISSUER: IDP_ISSUER, OIDC_AUDIENCE: IDP_AUDIENCE },
    token: (claims, options = {}) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid: options.foreignKey ? 'other' : 'idp-key-1' })
        .setIssuer(options.issuer ?? IDP_ISSUER)
        .setAudience(options.audience ?? IDP_AUDIENCE)
        .setSubject(options.subject ?? 'idp-user-42')
        .setIssuedAt()
        .setExpirationTime(options.expiresIn ?? '5m')
        .sign(options.foreignKey ? foreign : own.privateKey),
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
