// @ts-check
'use strict';
/** Reading Jest's command line the way Jest does, for the setup steps of `npm test`. */

/**
 * Whether these Jest arguments run the project: all projects run unless some are selected
 * (`--selectProjects a b` or `--selectProjects=a,b`).
 * @param {string[]} jestArgs
 * @param {string} project
 */
function runsProject(jestArgs, project) {
  /** @type {string[]} */
  const selected = [];
  jestArgs.forEach((arg, i) => {
    if (arg === '--selectProjects') for (let j = i + 1; j < jestArgs.length && !jestArgs[j].startsWith('-'); j += 1) selected.push(jestArgs[j]);
    else if (arg.startsWith('--selectProjects=')) selected.push(...arg.slice('--selectProjects='.length).split(','));
  });
  return selected.length === 0 || selected.includes(project);
}

module.exports = { runsProject };
