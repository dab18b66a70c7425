// @ts-check
'use strict';
/** Reading Jest's command line the way Jest does, for the setup steps of `npm test`. */

/**
 * The projects `--selectProjects a b` or `--selectProjects=a,b` name (none: every project runs).
 * @param {string[]} jestArgs
 */
function selectedProjects(jestArgs) {
  /** @type {string[]} */
  const selected = [];
  jestArgs.forEach((arg, i) => {
    if (arg === '--selectProjects') for (let j = i + 1; j < jestArgs.length && !jestArgs[j].startsWith('-'); j += 1) selected.push(jestArgs[j]);
    else if (arg.startsWith('--selectProjects=')) selected.push(...arg.slice('--selectProjects='.length).split(','));
  });
  return selected;
}

/**
 * Whether these Jest arguments run the project: all projects run unless some are selected.
 * @param {string[]} jestArgs
 * @param {string} project
 */
function runsProject(jestArgs, project) {
  const selected = selectedProjects(jestArgs);
  return selected.length === 0 || selected.includes(project);
}

/** The arguments without their project selection. @param {string[]} jestArgs */
function withoutProjectSelection(jestArgs) {
  /** @type {string[]} */
  const out = [];
  for (let i = 0; i < jestArgs.length; i += 1) {
    if (jestArgs[i] === '--selectProjects') while (i + 1 < jestArgs.length && !jestArgs[i + 1].startsWith('-')) i += 1;
    else if (!jestArgs[i].startsWith('--selectProjects=')) out.push(jestArgs[i]);
  }
  return out;
}

module.exports = { runsProject, selectedProjects, withoutProjectSelection };
