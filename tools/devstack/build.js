#!/usr/bin/env node
// @ts-check
'use strict';
// `npm run build`: compile the TypeScript and bundle the workflow code (lib/build.js),
// the same steps `npm start`, `npm test` and the Dockerfile run. `--force` rebuilds everything.
const path = require('node:path');
const { build } = require('./lib/build');
const { ensureSupportedNode } = require('./lib/node-runtime');

ensureSupportedNode()
  .then(() => build(path.resolve(__dirname, '..', '..'), { force: process.argv.includes('--force') }))
  .catch((error) => {
    console.error(error && error.message ? error.message : String(error));
    process.exit(1);
  });
