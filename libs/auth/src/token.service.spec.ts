import { SignJWT } from 'jose';
import { TokenService } from './token.service';

describe('TokenService', () => {
  const service = new TokenService('a-test-secret-of-some-length', 'appraise', 60);

  it('round-trips the subject', async () => {
    const token = await service.sign('user-1');
    await expect(service.verify(token)).resolves.toEqual({ sub: 'user-1' });
  });

  it('refuses tokens signed with another key, altered or expired', async () => {
    const other = new TokenService('another-secret-of-some-length', 'appraise', 60);
    await expect(service.verify(await other.sign('user-1'))).resolves.toBeNull();
    const token = await service.sign('user-1');
    await expect(service.verify(token.slice(0, -2) + 'xx')).resolves.toBeNull();
    const expired = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('user-1')
      .setIssuer('appraise')
      .setAudience('appraise')
      .setIssuedAt(Math.floor(Date.now() / 1000) - 120)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(new TextEncoder().encode('a-test-secret-of-some-length'));
    await expect(service.verify(expired)).resolves.toBeNull();
    await expect(service.verify('not-a-jwt')).resolves.toBeNull();
  });
});
