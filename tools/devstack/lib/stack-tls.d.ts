/** Types of tools/devstack/lib/stack-tls.js for the TypeScript tests that use it. */
export interface StackTlsFiles {
  dir: string;
  ca: string;
  caKey: string;
  server: string;
  serverKey: string;
  client: string;
  clientKey: string;
}
export function ensureStackTls(dataDir: string): { files: StackTlsFiles; created: string[] };
export function tlsFiles(dataDir: string): StackTlsFiles;
/** The names the server certificate is valid for (the first is what clients verify). */
export const SERVER_DNS_NAMES: string[];
