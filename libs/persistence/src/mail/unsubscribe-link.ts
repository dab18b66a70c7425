import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The signed link in optional mail that unsubscribes its recipient without a sign-in: the
 * person's id and an HMAC-SHA256 of it under a key derived from the token-signing secret for
 * this purpose alone (so neither signature can stand for the other). It never expires: a link in
 * an old message still works, and it can only ever do one thing, for one person.
 */
export class UnsubscribeLinks {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = createHmac('sha256', secret).update('appraise/mail-unsubscribe/v1').digest();
  }

  token(userId: string): string {
    return `${userId}.${this.signature(userId)}`;
  }

  url(baseUrl: string, userId: string): string {
    return `${baseUrl}/api/v1/mail/unsubscribe?token=${encodeURIComponent(this.token(userId))}`;
  }

  /** The person a token names, or null when it was not signed with this key. */
  verify(token: string): string | null {
    const dot = token.lastIndexOf('.');
    if (dot <= 0) return null;
    const userId = token.slice(0, dot);
    const given = Buffer.from(token.slice(dot + 1), 'base64url');
    const expected = Buffer.from(this.signature(userId), 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(userId) ? userId : null;
  }

  private signature(userId: string): string {
    return createHmac('sha256', this.key).update(userId).digest('base64url');
  }
}
