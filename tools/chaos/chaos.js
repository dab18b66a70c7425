#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * `npm run chaos`: on a supported Node.js, a build, then the fault-injection run itself
 * (dist/tools/chaos/main.js, in this process; see main.ts for its settings).
 */
require('../devstack/lib/compiled-tool').runCompiledTool('dist/tools/chaos/main.js');
