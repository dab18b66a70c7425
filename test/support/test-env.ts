/** What `npm test` (tools/devstack/test.js) hands the test tiers that need real services. */
export interface TestEnvironment {
  databaseUrl: string;
  temporalAddress: string;
  dataDir: string;
}

export function testEnvironment(): TestEnvironment {
  const databaseUrl = process.env.APPRAISE_TEST_DATABASE_URL;
  const temporalAddress = process.env.APPRAISE_TEST_TEMPORAL_ADDRESS;
  const dataDir = process.env.APPRAISE_TEST_DATA_DIR;
  if (!databaseUrl || !temporalAddress || !dataDir) {
    throw new Error('Integration, workflow and e2e tests need the services that `npm test` starts: run them with `npm test -- <jest args>`.');
  }
  return { databaseUrl, temporalAddress, dataDir };
}
