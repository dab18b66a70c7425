// @ts-check
'use strict';
/**
 * The launcher of an npm script that runs a compiled tool (`npm run chaos`, `npm run admin:create`):
 * on a supported Node.js (node-runtime.js), a build (skipped when fresh), then the compiled file
 * in this process, its arguments untouched.
 */
const path = require('node:path');
const log = require('./log');
const { ensureSupportedNode } = require('./node-runtime');
const { build } = require('./build');

const ROOT = path.resolve(__dirname, '..', '..', '..');

/** @param {string} compiled the tool's file under the repository, e.g. dist/tools/chaos/main.js */
function runCompiledTool(compiled) {
  ensureSupportedNode()
    .then(async () => {
      await build(ROOT);
      require(path.join(ROOT, compiled));
    })
    .catch((error) => {
      log.fail(error && error.message ? error.message : String(error));
      process.exit(1);
    });
}

module.exports = { runCompiledTool };
