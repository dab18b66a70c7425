import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { isPublishedSecret } from '../../config';

function scrypt(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCallback(password, salt, keyLength, options, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

/** scrypt (RFC 7914), self-describing so the cost can be raised later without breaking old hashes. */
const COST = { N: 2 ** 15, r: 8, p: 1 };
const KEY_LENGTH = 32;
const MAX_MEM = 64 * 1024 * 1024;

/** How long a local account's password must be: the admin API's and `npm run admin:create`'s rule. */
export const PASSWORD_LENGTH = { min: 12, max: 200 } as const;

/**
 * What is wrong with a new password, or null: its length, or that anyone can read it (a value
 * published in this repository, or one the caller knows is shown, e.g. the demo accounts' password
 * the sign-in page gives outside production).
 */
export function passwordProblem(password: string, alsoKnown: readonly string[] = []): string | null {
  const { length } = password;
  if (length < PASSWORD_LENGTH.min) return `the password must be at least ${PASSWORD_LENGTH.min} characters, got ${length}`;
  if (length > PASSWORD_LENGTH.max) return `the password must be at most ${PASSWORD_LENGTH.max} characters, got ${length}`;
  if (isPublishedSecret(password) || alsoKnown.includes(password)) return 'the password is a value published in the repository or shown on the sign-in page: choose another';
  return null;
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, KEY_LENGTH, { ...COST, maxmem: MAX_MEM });
  return ['scrypt', COST.N, COST.r, COST.p, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  const parts = stored?.split('$') ?? [];
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, n, r, p, salt, expected] = parts;
  const expectedKey = Buffer.from(expected, 'base64');
  const key = await scrypt(password, Buffer.from(salt, 'base64'), expectedKey.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: MAX_MEM,
  });
  return key.length === expectedKey.length && timingSafeEqual(key, expectedKey);
}
