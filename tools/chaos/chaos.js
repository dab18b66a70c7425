#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * `npm run chaos`: on a supported Node.js (tools/devstack/lib/node-runtime.js), a build, then the
 * fault-injection run itself (dist/tools/chaos/main.js, in this process; see main.ts for its settings).
 */
const path = require('node:path');
const log = require('../devstack/lib/log');
const { ensureSupportedNode } = require('../devstack/lib/node-runtime');
const { build } = require('../devstack/lib/build');

const ROOT = path.resolve(__dirname, '..', '..');

async function main() {
  await build(ROOT);
  require(path.join(ROOT, 'dist/tools/chaos/main.js'));
}

ensureSupportedNode()
  .then(main)
  .catch((error) => {
    log.fail(error && error.message ? error.message : String(error));
    process.exit(1);
  });
