import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { verifyPassword } from '../../libs/auth';
import { createDataSource, DEMO_AGENCIES, RecordsRepository, UsersRepository } from '../../libs/persistence';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const ROOT = join(__dirname, '..', '..');

/** Runs a compiled tool as the operator would, with only the environment given (and PATH). */
function runTool(script: string, args: string[], env: Record<string, string>, stdin = ''): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, script), ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, output }));
    child.stdin.end(stdin);
  });
}

/**
 * A production database from nothing, as docker/compose.yaml makes one: the database setup with
 * NODE_ENV=production seeds no demo account, and `npm run admin:create` makes the first
 * administrator, recorded in the hash chain.
 */
describe('production bootstrap: no demo accounts, the first administrator from the command line', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let production: Record<string, string>;
  const admin = { email: 'Jefa.Plataforma@Digital.gob.cl', name: 'Jefa de Plataforma' };
  const password = randomBytes(18).toString('base64url');

  beforeAll(async () => {
    database = await createTestDatabase(null);
    production = {
      NODE_ENV: 'production',
      DATABASE_URL: database.url,
      JWT_SECRET: randomBytes(48).toString('base64url'),
      TEMPORAL_CODEC_KEYS: `k1:${randomBytes(32).toString('base64')}`,
      // Required in production; the bootstrap command never reads it (only the worker does).
      AUDIT_SIGNING_KEY_FILE: '/nonexistent/audit-signing-key.pem',
      // The database tools send no mail.
      MAIL_DISABLED: 'true',
    };
    dataSource = createDataSource(database.url);
  });

  afterAll(async () => {
    if (dataSource?.isInitialized) await dataSource.destroy();
    await database?.drop();
  });

  const count = async (sql: string): Promise<number> => Number((await dataSource.query(sql))[0].n);

  it('migrates and seeds the reference data, and no demo account', async () => {
    const setup = await runTool('dist/tools/devstack/setup-database.js', [], production);
    expect(setup).toMatchObject({ code: 0 });
    expect(setup.output).toContain('no demo accounts in production');
    await dataSource.initialize();
    expect(await count('SELECT count(*) AS n FROM users')).toBe(0);
    expect(await count('SELECT count(*) AS n FROM agencies')).toBe(DEMO_AGENCIES.length);
    expect(await count('SELECT count(*) AS n FROM policies')).toBeGreaterThan(0);
  });

  it('refuses a published JWT_SECRET before touching the database', async () => {
    const setup = await runTool('dist/tools/devstack/setup-database.js', [], { ...production, JWT_SECRET: 'change-me-to-a-long-random-secret' });
    expect(setup.code).toBe(1);
    expect(setup.output).toContain('JWT_SECRET is a value published in the repository');
  });

  it('creates the first administrator from APPRAISE_ADMIN_PASSWORD, recorded in the chain', async () => {
    // Through the npm script's launcher (admin-create.js: the runtime check, a build that is fresh here, then main.js).
    const run = await runTool('tools/admin/admin-create.js', ['--email', admin.email, '--name', admin.name], { ...production, APPRAISE_ADMIN_PASSWORD: password });
    expect(run.output).toMatch(/created admin jefa\.plataforma@digital\.gob\.cl \(id [0-9a-f-]{36}\), recorded as ADMIN_USER_CREATED #1/);
    expect(run.code).toBe(0);

    const user = await new UsersRepository(dataSource).findByEmail(admin.email);
    expect(user).toMatchObject({ email: 'jefa.plataforma@digital.gob.cl', name: admin.name, roles: ['admin'], agencyCode: 'DIGITAL', approvalLevel: null, disabled: false });
    expect(await verifyPassword(password, user!.passwordHash)).toBe(true);
    expect(await verifyPassword(`${password}x`, user!.passwordHash)).toBe(false);

    const [record] = await dataSource.query(`SELECT seq, proposal_id, actor, type, data FROM records`);
    expect(record).toEqual({
      seq: '1',
      proposal_id: null,
      actor: 'bootstrap',
      type: 'ADMIN_USER_CREATED',
      data: { userId: user!.id, email: user!.email, name: admin.name, roles: ['admin'], agencyCode: 'DIGITAL', approvalLevel: null, deputy: false },
    });
    expect(await new RecordsRepository(dataSource).verifyAll()).toEqual({ ok: true, records: 1, firstBadSeq: null });
  });

  it('refuses an e-mail that exists, whatever its case, and writes nothing', async () => {
    const run = await runTool('dist/tools/admin/main.js', ['--email', admin.email.toUpperCase(), '--name', 'Otra'], { ...production, APPRAISE_ADMIN_PASSWORD: password });
    expect(run.code).toBe(2);
    expect(run.output).toContain('a user with e-mail jefa.plataforma@digital.gob.cl exists already');
    expect(await count('SELECT count(*) AS n FROM users')).toBe(1);
    expect(await count('SELECT count(*) AS n FROM records')).toBe(1);
  });

  it('refuses a short or published password, an unknown agency and a bad e-mail', async () => {
    const create = (args: string[], stdin: string) => runTool('dist/tools/admin/main.js', args, production, stdin);
    const other = ['--email', 'otra@digital.gob.cl', '--name', 'Otra'];
    expect(await create(other, 'corta\n')).toEqual({ code: 2, output: expect.stringContaining('the password must be at least 12 characters, got 5') });
    expect(await create(other, 'demo-password\n')).toEqual({ code: 2, output: expect.stringContaining('the password is a value published in the repository') });
    expect(await create(other, '')).toEqual({ code: 2, output: expect.stringContaining('no password') });
    expect(await create([...other, '--agency', 'MINVU'], `${password}\n`)).toEqual({ code: 2, output: expect.stringContaining('agency MINVU does not exist (known: CONTRALORIA, DIGITAL,') });
    expect(await create(['--email', 'not-an-address', '--name', 'Otra'], `${password}\n`)).toEqual({ code: 2, output: expect.stringContaining('--email must be an e-mail address') });
    expect(await create(['--name', 'Otra'], `${password}\n`)).toEqual({ code: 2, output: expect.stringContaining('--email is required') });
    expect(await count('SELECT count(*) AS n FROM users')).toBe(1);
  }, 90_000);

  it('reads the password from standard input, its first line only, and chains the next record', async () => {
    const run = await runTool('dist/tools/admin/main.js', ['--email', 'segunda@hacienda.gob.cl', '--name', 'Segunda', '--agency', 'HACIENDA'], production, `${password}-2\nignored\n`);
    expect(run.code).toBe(0);
    const user = await new UsersRepository(dataSource).findByEmail('segunda@hacienda.gob.cl');
    expect(user).toMatchObject({ roles: ['admin'], agencyCode: 'HACIENDA' });
    expect(await verifyPassword(`${password}-2`, user!.passwordHash)).toBe(true);
    expect(await new RecordsRepository(dataSource).verifyAll()).toEqual({ ok: true, records: 2, firstBadSeq: null });
  });
});
