/**
 * Every secret-looking value this repository has ever published: in `.env.example`,
 * `docker/compose.yaml`, the READMEs, the test harness and the chaos run, and the development
 * default that `loadConfig` used before secrets were generated per data folder. Anyone can read
 * them, so a production process refuses to sign tokens with one (`loadConfig`).
 *
 * `published-secrets.spec.ts` scans those files for secret-looking values and fails when one is
 * missing here, so the list cannot fall behind them. Add a value here before publishing it; never
 * remove one (it stays published in the history).
 */
export const PUBLISHED_SECRETS: readonly string[] = [
  // The constant development JWT secret of `loadConfig` before issue 13.
  'dev-only-insecure-secret-change-me',
  // JWT_SECRET of .env.example before issue 13.
  'change-me-to-a-long-random-secret',
  // JWT_SECRET of the test harness (test/support) and of the chaos run (tools/chaos).
  'test-secret-of-enough-length',
  'chaos-secret-of-enough-length',
  // DEMO_PASSWORD of .env.example and the tests: the demo accounts, never seeded in production.
  'demo-password',
  // The database passwords docker/compose.yaml defaulted to before issue 13.
  'postgres',
  'appraise',
  'temporal',
];

/** Whether a value is one of the published ones (compared as given, after trimming). */
export function isPublishedSecret(value: string): boolean {
  return PUBLISHED_SECRETS.includes(value.trim());
}
