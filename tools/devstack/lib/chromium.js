// @ts-check
'use strict';
/**
 * Chromium for the browser tests: Playwright's own browser download does not work here, so the
 * tests drive the distribution's Chromium. CHROMIUM_PATH wins; else a Chromium or Chrome on the
 * usual paths; else, on Debian/Ubuntu as root, `apt-get install chromium` (progress streamed).
 */
const fs = require('node:fs');
const log = require('./log');
const { run } = require('./exec');

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

function findChromium(env = process.env) {
  if (env.CHROMIUM_PATH) {
    if (!fs.existsSync(env.CHROMIUM_PATH)) throw new Error(`CHROMIUM_PATH=${env.CHROMIUM_PATH} does not exist`);
    return env.CHROMIUM_PATH;
  }
  return CANDIDATES.find((p) => fs.existsSync(p)) ?? null;
}

async function ensureChromium(env = process.env) {
  const found = findChromium(env);
  if (found) {
    log.ok(`Chromium: ${found}`);
    return found;
  }
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !fs.existsSync('/usr/bin/apt-get')) {
    throw new Error('The browser tests need Chromium: install it (Debian/Ubuntu: `sudo apt-get install chromium`) or set CHROMIUM_PATH.');
  }
  log.step('Installing Chromium for the browser tests (apt-get, a few minutes the first time)');
  const aptEnv = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = await run('apt-get', ['update'], { env: aptEnv, stream: true, timeoutMs: 10 * 60 * 1000 });
  if (update.code !== 0) throw new Error('apt-get update failed (see above)');
  const install = await run('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], { env: aptEnv, stream: true, timeoutMs: 20 * 60 * 1000 });
  if (install.code !== 0) throw new Error('apt-get install chromium failed (see above)');
  const installed = findChromium(env);
  if (!installed) throw new Error('Chromium was installed but is not on a known path: set CHROMIUM_PATH.');
  log.ok(`Chromium installed: ${installed}`);
  return installed;
}

module.exports = { ensureChromium, findChromium };
