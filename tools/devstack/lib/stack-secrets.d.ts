/** Types of tools/devstack/lib/stack-secrets.js for the TypeScript tests that use it. */
export function stackSecrets(dataDir: string, env: NodeJS.ProcessEnv): Record<string, string>;
export function ensureSecretFile(dataDir: string, name: string, generate: () => string): string;
export function secretsDir(dataDir: string): string;
export function codecKeysOf(dataDir: string, given?: string): string;
export function auditSigningKeyFile(dataDir: string): string;
/** The id of a signing key's public half (the rule of libs/persistence `keyIdOf`). */
export function auditKeyId(keyFile: string): string;
