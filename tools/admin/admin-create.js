#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * `npm run admin:create -- --email ...`: on a supported Node.js, a build, then the command itself
 * (dist/tools/admin/main.js, in this process; see create-admin.ts for its options).
 * Inside the Docker image, run the compiled file directly.
 */
require('../devstack/lib/compiled-tool').runCompiledTool('dist/tools/admin/main.js');
