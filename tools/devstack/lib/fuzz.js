// @ts-check
'use strict';
/**
 * Fuzzing the API from its OpenAPI document with Schemathesis, once per role, and reading the
 * outcome from Schemathesis's JSON report. Used by the `fuzz` Jest project (short version inside
 * `npm test`) and by `npm run fuzz` (the full version). Node built-ins only.
 *
 * Every run uses every check (test/fuzz/schemathesis.toml) and the hooks in
 * test/fuzz/hooks.py, which put ids of seeded proposals, tasks and users into about half of the
 * generated paths (a random UUID alone only ever finds 404s).
 */
const fs = require('node:fs');
const path = require('node:path');
const { run } = require('./exec');

const ROOT = path.resolve(__dirname, '..', '..', '..');
const FUZZ_DIR = path.join(ROOT, 'test', 'fuzz');

/** Failure codes (Schemathesis 4) by what the issue counts. */
const SERVER_ERRORS = new Set(['ServerError', 'ContentTypeServerError']);
const SCHEMA_MISMATCHES = new Set(['JsonSchemaError', 'MalformedJson', 'MissingContentType', 'UndefinedContentType', 'MalformedMediaType', 'MissingHeaders', 'ContentDeserializationError', 'DiscriminatorMismatch']);
const UNDOCUMENTED_STATUS = new Set(['UndefinedStatusCode']);

/**
 * @typedef {{ type: string, code: string, title: string, count: number, operations: string[] }} FailureGroup
 * @typedef {object} RoleResult
 * @property {string} role
 * @property {string} email
 * @property {number} generated       test cases sent
 * @property {number} operations      operations tested
 * @property {number} seconds
 * @property {number} exitCode
 * @property {FailureGroup[]} failures
 * @property {{ title?: string, count?: number }[]} errors
 * @property {number} serverErrors    unique 5xx failures
 * @property {number} schemaMismatches
 * @property {number} undocumentedStatuses
 * @property {number} otherFailures
 * @property {string} textReport      Schemathesis's own output
 */

/**
 * Run Schemathesis against a running API as one role.
 * @param {object} o
 * @param {{ command: string, args: string[] }} o.schemathesis  from ensureSchemathesis()
 * @param {string} o.origin      e.g. http://127.0.0.1:3000 (the document is at /docs-json)
 * @param {string} o.role
 * @param {string} o.email
 * @param {string} o.token
 * @param {number} o.examples    per operation
 * @param {string[]} o.phases     Schemathesis phases (examples, coverage, fuzzing, stateful)
 * @param {number} o.seed
 * @param {string} o.reportDir   this role's reports go to reportDir/<role>/
 * @param {string} o.idsFile     JSON { proposals, tasks, users } read by the hooks
 * @param {number} [o.timeoutMs]
 * @returns {Promise<RoleResult>}
 */
async function fuzzRole(o) {
  const dir = path.join(o.reportDir, o.role);
  fs.mkdirSync(dir, { recursive: true });
  const jsonReport = path.join(dir, 'report.json');
  const args = [
    ...o.schemathesis.args,
    '--config-file',
    path.join(FUZZ_DIR, 'schemathesis.toml'),
    'run',
    `${o.origin}/docs-json`,
    '--max-examples',
    String(o.examples),
    '--phases',
    o.phases.join(','),
    '--seed',
    String(o.seed),
    '--workers',
    '1',
    '--no-color',
    '--generation-database',
    'none',
    '--request-timeout',
    '30',
    '--header',
    `Authorization: Bearer ${o.token}`,
    '--report',
    'json,junit',
    '--report-dir',
    dir,
    '--report-json-path',
    jsonReport,
  ];
  const started = Date.now();
  const result = await run(o.schemathesis.command, args, {
    cwd: dir, // Schemathesis keeps its cache (.schemathesis/) in the working directory
    env: { ...process.env, PYTHONPATH: FUZZ_DIR, SCHEMATHESIS_HOOKS: 'hooks', APPRAISE_FUZZ_IDS: o.idsFile, NO_COLOR: '1' },
    timeoutMs: o.timeoutMs ?? 30 * 60 * 1000,
    maxBuffer: 8 << 20,
  });
  const textReport = `${result.stdout}\n${result.stderr}`;
  fs.writeFileSync(path.join(dir, 'output.txt'), textReport);
  if (!fs.existsSync(jsonReport)) {
    throw new Error(`Schemathesis wrote no report for ${o.role} (exit ${result.code}${result.timedOut ? ', timed out' : ''}); its output:\n${textReport.slice(-4000)}`);
  }
  const report = JSON.parse(fs.readFileSync(jsonReport, 'utf8'));
  /** @type {FailureGroup[]} */
  const failures = (report.failures || []).map((/** @type {any} */ f) => ({ type: f.type, code: f.code, title: f.title, count: f.count, operations: f.operations || [] }));
  const count = (/** @type {Set<string>} */ kinds) => failures.filter((f) => kinds.has(f.type)).reduce((n, f) => n + f.count, 0);
  const serverErrors = count(SERVER_ERRORS);
  const schemaMismatches = count(SCHEMA_MISMATCHES);
  const undocumentedStatuses = count(UNDOCUMENTED_STATUS);
  const total = failures.reduce((n, f) => n + f.count, 0);
  return {
    role: o.role,
    email: o.email,
    generated: report.test_cases?.generated ?? 0,
    operations: report.operations?.tested ?? 0,
    seconds: Math.round((Date.now() - started) / 1000),
    exitCode: result.code ?? -1,
    failures,
    errors: report.errors || [],
    serverErrors,
    schemaMismatches,
    undocumentedStatuses,
    otherFailures: total - serverErrors - schemaMismatches - undocumentedStatuses,
    textReport,
  };
}

/** @param {RoleResult[]} results */
function summaryTable(results) {
  const header = ['role', 'operations', 'examples', '5xx', 'schema mismatches', 'undocumented statuses', 'other failures', 'errors', 'seconds'];
  const rows = results.map((r) => [r.role, r.operations, r.generated, r.serverErrors, r.schemaMismatches, r.undocumentedStatuses, r.otherFailures, r.errors.length, r.seconds].map(String));
  const sum = (/** @type {(r: RoleResult) => number} */ f) => String(results.reduce((n, r) => n + f(r), 0));
  rows.push([
    'total',
    sum((r) => r.operations),
    sum((r) => r.generated),
    sum((r) => r.serverErrors),
    sum((r) => r.schemaMismatches),
    sum((r) => r.undocumentedStatuses),
    sum((r) => r.otherFailures),
    sum((r) => r.errors.length),
    sum((r) => r.seconds),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (/** @type {string[]} */ cells) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  return [line(header), `|${widths.map((w, i) => (i === 0 ? ':' : '-').padEnd(w + 1, '-') + (i === 0 ? '-' : ':')).join('|')}|`, ...rows.map(line)].join('\n');
}

/** Each failure and error, one line each, for a failing test's message. @param {RoleResult[]} results */
function describeProblems(results) {
  const lines = [];
  for (const r of results) {
    for (const f of r.failures) lines.push(`${r.role}: ${f.code} ${f.title} (${f.count}): ${f.operations.join(', ')}`);
    for (const e of r.errors) lines.push(`${r.role}: error ${e.title ?? ''} (${e.count ?? 1})`);
  }
  return lines.join('\n');
}

module.exports = { fuzzRole, summaryTable, describeProblems, FUZZ_DIR };
