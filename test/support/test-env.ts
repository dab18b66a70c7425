import { loadConfig } from '../../libs/config';
import type { TemporalSecurity } from '../../libs/temporal';

/** What `npm test` (tools/devstack/test.js) hands the test tiers that need real services. */
export interface TestEnvironment {
  databaseUrl: string;
  temporalAddress: string;
  dataDir: string;
  /**
   * The engine's TEMPORAL_* settings besides the address (mutual TLS files, codec keys), handed
   * over as APPRAISE_TEST_TEMPORAL_*: what every client and worker of a test must be given.
   */
  temporalEnv: Record<string, string>;
}

const PREFIX = 'APPRAISE_TEST_';

export function testEnvironment(): TestEnvironment {
  const databaseUrl = process.env.APPRAISE_TEST_DATABASE_URL;
  const temporalAddress = process.env.APPRAISE_TEST_TEMPORAL_ADDRESS;
  const dataDir = process.env.APPRAISE_TEST_DATA_DIR;
  if (!databaseUrl || !temporalAddress || !dataDir) {
    throw new Error('Integration, workflow and e2e tests need the services that `npm test` starts: run them with `npm test -- <jest args>`.');
  }
  const temporalEnv: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith(`${PREFIX}TEMPORAL_`) && key !== `${PREFIX}TEMPORAL_ADDRESS` && value) temporalEnv[key.slice(PREFIX.length)] = value;
  }
  return { databaseUrl, temporalAddress, dataDir, temporalEnv };
}

/** How a test reaches the shared engine, parsed as the processes parse it. */
export function testTemporalSecurity(): TemporalSecurity {
  const env = testEnvironment();
  const { tls, codecKeys } = loadConfig({ DATABASE_URL: env.databaseUrl, TEMPORAL_ADDRESS: env.temporalAddress, ...env.temporalEnv }).temporal;
  return { address: env.temporalAddress, tls, codecKeys };
}

/** The run's Mailpit (tools/devstack/test.js): its SMTP URL, its HTTP API, and its binary for a test that runs its own. */
export function testMail(): { smtpUrl: string; apiUrl: string; mailpitBin: string } {
  const { APPRAISE_TEST_SMTP_URL: smtpUrl, APPRAISE_TEST_MAIL_API_URL: apiUrl, APPRAISE_TEST_MAILPIT_BIN: mailpitBin } = process.env;
  if (!smtpUrl || !apiUrl || !mailpitBin) throw new Error('The mail tests need the Mailpit that `npm test` starts: run them with `npm test -- <jest args>`.');
  return { smtpUrl, apiUrl, mailpitBin };
}
