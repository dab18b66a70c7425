import { hashPassword, passwordProblem, verifyPassword } from './password-hasher';

describe('password hashing', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const stored = await hashPassword('demo-password');
    expect(stored).toMatch(/^scrypt\$32768\$8\$1\$/);
    await expect(verifyPassword('demo-password', stored)).resolves.toBe(true);
    await expect(verifyPassword('demo-passwore', stored)).resolves.toBe(false);
  });

  it('salts every hash', async () => {
    expect(await hashPassword('same')).not.toBe(await hashPassword('same'));
  });

  it('refuses accounts without a local password', async () => {
    await expect(verifyPassword('anything', null)).resolves.toBe(false);
    await expect(verifyPassword('anything', 'md5$abc')).resolves.toBe(false);
  });

  it('asks 12 to 200 characters of a new password', () => {
    expect(passwordProblem('x'.repeat(11))).toBe('the password must be at least 12 characters, got 11');
    expect(passwordProblem('x'.repeat(12))).toBeNull();
    expect(passwordProblem('x'.repeat(200))).toBeNull();
    expect(passwordProblem('x'.repeat(201))).toBe('the password must be at most 200 characters, got 201');
    expect(passwordProblem('demo-password')).toMatch(/published in the repository/);
    expect(passwordProblem(' demo-password ')).toMatch(/published in the repository/);
    expect(passwordProblem('shown-on-the-page', ['shown-on-the-page'])).toMatch(/published in the repository/);
    expect(passwordProblem('not-shown-anywhere', ['shown-on-the-page'])).toBeNull();
  });
});
