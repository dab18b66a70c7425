#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * `npm run admin:create -- --email ...`: on a supported Node.js (tools/devstack/lib/node-runtime.js),
 * a build, then the command itself (dist/tools/admin/create-admin.js, in this process; see
 * create-admin.ts for its options). Inside the Docker image, run the compiled file directly.
 */
const path = require('node:path');
const log = require('../devstack/lib/log');
const { ensureSupportedNode } = require('../devstack/lib/node-runtime');
const { build } = require('../devstack/lib/build');

const ROOT = path.resolve(__dirname, '..', '..');

async function main() {
  await build(ROOT);
  require(path.join(ROOT, 'dist/tools/admin/create-admin.js'));
}

ensureSupportedNode()
  .then(main)
  .catch((error) => {
    log.fail(error && error.message ? error.message : String(error));
    process.exit(1);
  });
