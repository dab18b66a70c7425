/** Types of tools/devstack/lib/fuzz.js for the TypeScript tests that use it. */
export interface FailureGroup {
  type: string;
  code: string;
  title: string;
  count: number;
  operations: string[];
}

export interface RoleResult {
  role: string;
  email: string;
  generated: number;
  operations: number;
  seconds: number;
  exitCode: number;
  failures: FailureGroup[];
  errors: { title?: string; count?: number }[];
  serverErrors: number;
  schemaMismatches: number;
  undocumentedStatuses: number;
  otherFailures: number;
  textReport: string;
}

export function fuzzRole(o: {
  schemathesis: { command: string; args: string[] };
  origin: string;
  role: string;
  email: string;
  token: string;
  examples: number;
  phases: string[];
  seed: number;
  reportDir: string;
  idsFile: string;
  timeoutMs?: number;
}): Promise<RoleResult>;

export function summaryTable(results: RoleResult[]): string;
export function describeProblems(results: RoleResult[]): string;
export const FUZZ_DIR: string;
