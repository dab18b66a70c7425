#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * `npm run fuzz`: the full API fuzz run. Schemathesis against the whole stack, every operation of
 * the OpenAPI document, as every role, a few hundred examples per operation
 * (APPRAISE_FUZZ_EXAMPLES, default 300; APPRAISE_FUZZ_SEED, default fixed). It is the `fuzz`
 * Jest project of `npm test` with the full profile: same throw-away services, same checks.
 * Prints a summary table and keeps every report under results/fuzz/<time>/.
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { ensureSupportedNode } = require('./lib/node-runtime');

const ROOT = path.resolve(__dirname, '..', '..');

function main() {
  const reportDir = path.join(ROOT, 'results', 'fuzz', new Date().toISOString().replace(/[:.]/g, '-'));
  fs.mkdirSync(reportDir, { recursive: true });
  const result = spawnSync(process.execPath, [path.join(__dirname, 'test.js'), '--selectProjects', 'fuzz', ...process.argv.slice(2)], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, APPRAISE_FUZZ_PROFILE: 'full', APPRAISE_FUZZ_REPORT_DIR: reportDir },
  });
  process.stderr.write(`\nfuzz reports: ${reportDir}\n`);
  process.exit(result.status === null ? 1 : result.status);
}

ensureSupportedNode()
  .then(main)
  .catch((error) => {
    process.stderr.write(`${error && error.message ? error.message : String(error)}\n`);
    process.exit(1);
  });
