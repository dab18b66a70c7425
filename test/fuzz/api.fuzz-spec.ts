import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeProblems, fuzzRole, summaryTable, type RoleResult } from '../../tools/devstack/lib/fuzz';
import { ensureSchemathesis } from '../../tools/devstack/lib/schemathesis';
import { DEMO_EMAILS, loginAll, type DemoName } from '../support/demo-users';
import { type ApiClient } from '../support/http-client';
import { availableTask } from '../support/evaluation-driver';
import { hospitalProposal } from '../../libs/domain/src/testing/proposal.factory';
import { testEnvironment } from '../support/test-env';
import { startTestStack, type TestStack } from '../support/test-stack';

/**
 * Schemathesis against the whole stack (API + worker + Temporal + PostgreSQL), every operation of
 * the OpenAPI document, once per role, with every check. The short profile runs inside `npm test`;
 * `npm run fuzz` runs the full one (every role, a few hundred examples per operation) and keeps
 * the reports under results/fuzz/.
 *
 * The admin runs last: fuzzing /admin/* may disable users or take roles away, which would only
 * make the other roles' runs shallower. Every token is issued before the first run, and the login
 * limits are raised for this stack, so fuzzing POST /auth/token locks nobody out.
 */
const ROLES: { role: string; as: DemoName }[] = [
  { role: 'agency_submitter', as: 'ana' },
  { role: 'technical_reviewer', as: 'carla' },
  { role: 'finance_reviewer', as: 'elena' },
  { role: 'approver', as: 'nicolas' },
  { role: 'supervisor', as: 'gabriela' },
  { role: 'auditor', as: 'lucia' },
  { role: 'admin', as: 'admin' },
];
const PROFILES = {
  // Inside `npm test`: two roles, the explicit examples and the fuzzing phase (about a minute each).
  short: { roles: ['agency_submitter', 'admin'], examples: 10, phases: ['examples', 'fuzzing'] },
  // `npm run fuzz`: every role, every phase (examples, coverage, fuzzing, stateful).
  full: { roles: ROLES.map((r) => r.role), examples: 300, phases: ['examples', 'coverage', 'fuzzing', 'stateful'] },
};
const profileName = process.env.APPRAISE_FUZZ_PROFILE === 'full' ? 'full' : 'short';
const profile = PROFILES[profileName];
const examples = Number(process.env.APPRAISE_FUZZ_EXAMPLES || profile.examples);
const seed = Number(process.env.APPRAISE_FUZZ_SEED || 20261128);
const roles = ROLES.filter((r) => profile.roles.includes(r.role));

jest.setTimeout(profileName === 'full' ? 4 * 60 * 60_000 : 10 * 60_000);

/** Proposals in several states, tasks open and claimed, and users other than the fuzzing ones. */
async function seedTargets(clients: Record<DemoName, ApiClient>): Promise<{ proposals: string[]; tasks: string[]; users: string[] }> {
  const { ana, bruno, carla, admin } = clients;
  const draft = await ana.post('/proposals', { title: 'Fuzz target draft', citizenFacing: true });
  const submitted: string[] = [];
  for (const who of [ana, bruno]) {
    const created = await who.post('/proposals', hospitalProposal());
    expect(created.status).toBe(201);
    expect((await who.post(`/proposals/${created.body.id}/submit`)).status).toBe(202);
    submitted.push(created.body.id);
  }
  const technical = await availableTask(carla, submitted[0], 'TECHNICAL_REVIEW');
  expect((await carla.post(`/tasks/${technical.id}/claim`)).status).toBe(200);
  const finance = await availableTask(clients.elena, submitted[1], 'COST_EFFICIENCY_REVIEW');
  const users = await admin.get('/admin/users?pageSize=100');
  const fuzzing = new Set<string>(ROLES.map((r) => DEMO_EMAILS[r.as]));
  return {
    proposals: [draft.body.id, ...submitted],
    tasks: [technical.id, finance.id],
    users: (users.body.items as { id: string; email: string }[]).filter((u) => !fuzzing.has(u.email)).map((u) => u.id),
  };
}

describe(`the API under Schemathesis (${profileName}: ${examples} examples per operation, phases ${profile.phases.join(', ')}, roles ${roles.map((r) => r.role).join(', ')})`, () => {
  let stack: TestStack;
  let reportDir: string;
  const results: RoleResult[] = [];

  beforeAll(async () => {
    stack = await startTestStack({ env: { LOGIN_MAX_FAILURES_PER_EMAIL: '1000', LOGIN_MAX_FAILURES_PER_ADDRESS: '100000', LOGIN_FREE_FAILURES_PER_PAIR: '1000', RATE_LIMIT_HEAVY_READS: '1000000/60s' } });
    reportDir = process.env.APPRAISE_FUZZ_REPORT_DIR || join(testEnvironment().dataDir, 'fuzz');
    mkdirSync(reportDir, { recursive: true });
  });

  afterAll(async () => {
    if (results.length > 0) {
      const table = summaryTable(results);
      writeFileSync(join(reportDir, 'summary.md'), `# API fuzz run (${profileName})\n\nSchemathesis, seed ${seed}, ${examples} examples per operation.\n\n${table}\n`);
      writeFileSync(join(reportDir, 'summary.json'), JSON.stringify({ profile: profileName, seed, examples, results: results.map(({ textReport: _, ...r }) => r) }, null, 2));
      process.stderr.write(`\nAPI fuzz run (${profileName}, seed ${seed}, ${examples} examples per operation); reports in ${reportDir}\n${table}\n\n`);
    }
    await stack?.stop();
  });

  it('finds no server error, schema mismatch, undocumented status or other failure for any role', async () => {
    const schemathesis = process.env.APPRAISE_SCHEMATHESIS ? JSON.parse(process.env.APPRAISE_SCHEMATHESIS) : await ensureSchemathesis();
    const names = [...new Set<DemoName>(['ana', 'bruno', 'carla', 'elena', 'admin', ...roles.map((r) => r.as)])];
    const clients = await loginAll(stack.baseUrl, names);
    const idsFile = join(reportDir, 'ids.json');
    writeFileSync(idsFile, JSON.stringify(await seedTargets(clients)));
    const tokens = Object.fromEntries(
      await Promise.all(
        roles.map(async (r) => {
          const res = await clients[r.as].post('/auth/token', { email: DEMO_EMAILS[r.as], password: 'demo-password' });
          return [r.role, res.body.accessToken as string] as const;
        }),
      ),
    );
    const origin = new URL(stack.baseUrl).origin;
    for (const r of roles) {
      results.push(await fuzzRole({ schemathesis, origin, role: r.role, email: DEMO_EMAILS[r.as], token: tokens[r.role], examples, phases: profile.phases, seed, reportDir, idsFile }));
    }
    for (const result of results) expect(result.generated).toBeGreaterThan(0);
    expect(describeProblems(results)).toBe('');
  });
});
