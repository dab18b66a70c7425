/** Types of tools/devstack/lib/schemathesis.js for the TypeScript tests that use it. */
export const SCHEMATHESIS_VERSION: string;
export function ensureSchemathesis(options?: { env?: NodeJS.ProcessEnv }): Promise<{ command: string; args: string[]; version: string }>;
export function cacheDir(env?: NodeJS.ProcessEnv): string;
