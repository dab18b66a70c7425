// @ts-check
'use strict';
/**
 * Compiles the TypeScript and bundles the workflow code. Skipped when nothing under the
 * source folders is newer than the last successful build.
 */
const fs = require('node:fs');
const path = require('node:path');
const log = require('./log');
const { run } = require('./exec');

const SOURCE_DIRS = ['apps', 'libs', 'workflows', 'tools'];
const STAMP = path.join('dist', '.build-stamp');
/** Written under the source folders but not compiled: a benchmark run must not make the build stale. */
const NOT_INPUTS = [path.join('tools', 'bench', 'results')];

/** @param {string} dir @returns {number} */
function newestMtime(dir) {
  let newest = 0;
  if (!fs.existsSync(dir)) return newest;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    if (NOT_INPUTS.some((skip) => full.endsWith(path.sep + skip))) continue;
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** @param {string} root */
function isFresh(root) {
  const stamp = path.join(root, STAMP);
  if (!fs.existsSync(stamp)) return false;
  const built = fs.statSync(stamp).mtimeMs;
  const inputs = [...SOURCE_DIRS.map((d) => newestMtime(path.join(root, d))), ...['tsconfig.json', 'tsconfig.build.json', 'apps/web/tsconfig.json', 'package-lock.json'].map((f) => fs.statSync(path.join(root, f)).mtimeMs)];
  return inputs.every((m) => m <= built);
}

/** @param {string} dir @returns {string[]} */
function emittedModules(dir) {
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.js'))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

/**
 * The browser fetches each import of the web interface by its literal path, with no bundler: every
 * one must be a relative path to a module emitted beside it. A package, a Node built-in or a path
 * without its `.js` would compile and then fail in the browser, so it fails the build instead.
 * @param {string} dir
 */
function checkBrowserModules(dir) {
  const { preProcessFile } = require('typescript');
  const problems = [];
  for (const file of emittedModules(dir)) {
    for (const { fileName: specifier } of preProcessFile(fs.readFileSync(file, 'utf8'), true, true).importedFiles) {
      const target = path.resolve(path.dirname(file), specifier);
      const loadable = /^\.{1,2}\//.test(specifier) && target.startsWith(dir + path.sep) && fs.existsSync(target);
      if (!loadable) problems.push(`${path.relative(dir, file)} imports ${specifier}`);
    }
  }
  if (problems.length) throw new Error(`The web interface imports what a browser cannot load:\n  ${problems.join('\n  ')}`);
}

/** @param {string} root @param {{ force?: boolean }} [options] */
async function build(root, { force = false } = {}) {
  if (!force && isFresh(root)) {
    log.ok('build is up to date');
    return;
  }
  log.step('Compiling TypeScript');
  const tsc = await run(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: root, stream: true, timeoutMs: 300000 });
  if (tsc.code !== 0) throw new Error('TypeScript compilation failed (see the errors above)');
  log.step('Compiling the web interface');
  const webDir = path.join(root, 'dist', 'web');
  fs.rmSync(webDir, { recursive: true, force: true }); // what an earlier layout left would be served too
  const web = await run(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join('apps', 'web', 'tsconfig.json')], { cwd: root, stream: true, timeoutMs: 300000 });
  if (web.code !== 0) throw new Error('Compiling the web interface failed (see the errors above)');
  checkBrowserModules(webDir);
  fs.cpSync(path.join(root, 'apps', 'web', 'public'), webDir, { recursive: true });
  log.step('Bundling workflow code');
  const bundle = await run(process.execPath, [path.join(root, 'dist', 'tools', 'devstack', 'bundle-workflows.js')], { cwd: root, stream: true, timeoutMs: 300000 });
  if (bundle.code !== 0) throw new Error('Workflow bundling failed (see the errors above)');
  fs.writeFileSync(path.join(root, STAMP), new Date().toISOString());
  log.ok('build complete');
}

module.exports = { build };
