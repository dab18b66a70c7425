#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * `npm run audit:verify -- --records FILE --checkpoints FILE --public-key FILE`: on a supported
 * Node.js, a build, then the offline verifier (dist/tools/audit/main.js, see audit-verify.ts).
 * Inside the Docker image, run the compiled file directly.
 */
require('../devstack/lib/compiled-tool').runCompiledTool('dist/tools/audit/main.js');
