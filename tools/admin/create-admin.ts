/**
 * `npm run admin:create -- --email <e-mail> --name "<name>" [--agency <code>]`: the first
 * administrator of a database, the one account nobody can create through the API. The password
 * comes from APPRAISE_ADMIN_PASSWORD, or from standard input (asked twice, without echo, on a
 * terminal; the first line otherwise). The account and its ADMIN_USER_CREATED record in the
 * decision log are written in one transaction. Exit codes: 0 created, 2 refused (arguments,
 * password, e-mail taken, unknown agency), 1 failed.
 */
import { isEmail } from 'class-validator';
import { hashPassword, passwordProblem } from '../../libs/auth';
import { loadConfig } from '../../libs/config';
import { AdministrationLedger, BOOTSTRAP_ACTOR, createDataSource, UsersRepository } from '../../libs/persistence';

const USAGE = `Usage: npm run admin:create -- --email <e-mail> --name "<name>" [--agency <code>]

Creates an account with the admin role (default agency DIGITAL) and records it in the decision log.
Password: APPRAISE_ADMIN_PASSWORD, or standard input (asked twice without echo on a terminal).
Database: DATABASE_URL (and the rest of the configuration the API reads).`;

/** What the operator asked for. */
interface AdminArgs {
  email: string;
  name: string;
  agencyCode: string;
}

/** The operator made a mistake: exit 2 with the reason, nothing written. */
class Refusal extends Error {}

function parseAdminArgs(argv: string[]): AdminArgs | 'help' {
  const given: Partial<Record<'email' | 'name' | 'agency', string>> = {};
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i];
    if (flag === '--help' || flag === '-h') return 'help';
    const key = flag.startsWith('--') ? flag.slice(2) : '';
    if (key !== 'email' && key !== 'name' && key !== 'agency') throw new Refusal(`unknown argument ${flag}`);
    const value = argv[i + 1];
    if (value === undefined || value.startsWith('--')) throw new Refusal(`${flag} needs a value`);
    given[key] = value;
    i += 1;
  }
  const email = given.email?.trim().toLowerCase() ?? '';
  const name = given.name?.trim() ?? '';
  // Checked against the agencies the database has (their codes' format is the schema's).
  const agencyCode = given.agency?.trim().toUpperCase() || 'DIGITAL';
  if (!email) throw new Refusal('--email is required');
  if (email.length > 254 || !isEmail(email)) throw new Refusal(`--email must be an e-mail address, got "${given.email}"`);
  if (!name || name.length > 200) throw new Refusal('--name is required, at most 200 characters');
  return { email, name, agencyCode };
}

/** Reads one line from a terminal without echoing it (raw mode first, so nothing typed ahead is echoed). */
function readHidden(prompt: string): Promise<string> {
  const input = process.stdin;
  input.setRawMode(true);
  process.stderr.write(prompt);
  input.setEncoding('utf8');
  input.resume();
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (error: Error | null) => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n' || char === '\u0004') return finish(null);
        if (char === '\u0003') return finish(new Refusal('cancelled'));
        if (char === '\u007f' || char === '\b') value = [...value].slice(0, -1).join('');
        else if (char >= ' ') value += char;
      }
    };
    input.on('data', onData);
  });
}

/** The first line of standard input (a password piped or redirected in). */
async function readFirstLine(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) {
    text += String(chunk);
    if (text.includes('\n')) break;
  }
  return text.split(/\r?\n/)[0];
}

async function readPassword(): Promise<string> {
  const fromEnv = process.env.APPRAISE_ADMIN_PASSWORD;
  if (fromEnv) return fromEnv;
  if (!process.stdin.isTTY) return readFirstLine();
  const first = await readHidden('Contraseña (password): ');
  const second = await readHidden('Repita la contraseña (again): ');
  if (first !== second) throw new Refusal('the two passwords differ');
  return first;
}

async function createAdmin(args: AdminArgs, password: string): Promise<{ id: string; email: string; recordSeq: number }> {
  if (!password) throw new Refusal('no password: set APPRAISE_ADMIN_PASSWORD or give it on standard input');
  const problem = passwordProblem(password);
  if (problem) throw new Refusal(problem);
  const config = loadConfig();
  const dataSource = createDataSource(config.databaseUrl, 'appraise-admin-create');
  await dataSource.initialize();
  try {
    const users = new UsersRepository(dataSource);
    if (await users.findByEmail(args.email)) throw new Refusal(`a user with e-mail ${args.email} exists already`);
    if (!(await users.findAgency(args.agencyCode))) {
      const known = (await users.listAgencies()).map((a) => a.code).join(', ') || 'none: run the database setup first';
      throw new Refusal(`agency ${args.agencyCode} does not exist (known: ${known})`);
    }
    const user = {
      email: args.email,
      name: args.name,
      passwordHash: await hashPassword(password),
      roles: ['admin'],
      agencyCode: args.agencyCode,
      approvalLevel: null,
      deputy: false,
      disabled: false,
    };
    const created = await new AdministrationLedger(dataSource).createUser(user, BOOTSTRAP_ACTOR);
    // Another run took the e-mail between the check and the insert.
    if (!created) throw new Refusal(`a user with e-mail ${args.email} exists already`);
    return { id: created.user.id, email: created.user.email, recordSeq: created.record.seq };
  } finally {
    await dataSource.destroy();
  }
}

async function main(argv: string[]): Promise<void> {
  const args = parseAdminArgs(argv);
  if (args === 'help') {
    console.error(USAGE);
    return;
  }
  const created = await createAdmin(args, await readPassword());
  console.error(`  created admin ${created.email} (id ${created.id}), recorded as ADMIN_USER_CREATED #${created.recordSeq} in the decision log`);
}

/** The command: runs it and sets the exit code (0 created, 1 failed, 2 refused). Called by main.ts. */
export async function runCreateAdmin(argv: string[]): Promise<void> {
  try {
    await main(argv);
  } catch (error: unknown) {
    console.error(`admin:create ${error instanceof Refusal ? 'refused' : 'failed'}: ${error instanceof Error ? error.message : String(error)}`);
    if (error instanceof Refusal && error.message.startsWith('unknown argument')) console.error(USAGE);
    process.exitCode = error instanceof Refusal ? 2 : 1;
  }
}
