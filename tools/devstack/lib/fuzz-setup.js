// @ts-check
'use strict';
/**
 * `npm test`'s part of the API fuzzing: installs Schemathesis (once, into the per-user cache)
 * when the `fuzz` Jest project is going to run, and tells the tests where it is.
 */
const { ensureSchemathesis } = require('./schemathesis');
const { runsProject } = require('./jest-args');

/**
 * Environment for Jest: APPRAISE_SCHEMATHESIS (the command line as JSON), or nothing when the
 * Jest arguments select projects without `fuzz`.
 * @param {string[]} jestArgs
 * @returns {Promise<Record<string, string>>}
 */
async function schemathesisForJest(jestArgs) {
  if (!runsProject(jestArgs, 'fuzz')) return {};
  const schemathesis = await ensureSchemathesis();
  return { APPRAISE_SCHEMATHESIS: JSON.stringify({ command: schemathesis.command, args: schemathesis.args }) };
}

module.exports = { schemathesisForJest };
