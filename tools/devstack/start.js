#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * `npm start`: the whole system on this machine with demo data. Uses Node built-ins only until
 * the dependencies are installed. Ctrl-C (or SIGTERM) stops everything it started.
 */
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const log = require('./lib/log');
const { ensureSupportedNode } = require('./lib/node-runtime');
const { ensureDependencies } = require('./lib/deps');
const { build } = require('./lib/build');
const { searchAttributeRegistrations, startInfrastructure } = require('./lib/infrastructure');
const { spawnService, installSignalHandlers, stopAll } = require('./lib/processes');
const { run } = require('./lib/exec');
const { seedDemoProposals } = require('./lib/demo-data');
const { readDotEnv, intEnv } = require('./lib/stack-config');
const { stackSecrets } = require('./lib/stack-secrets');
const { cliTlsFlags } = require('./lib/temporal-readiness');
const { ensureMailpit, startMailpit } = require('./lib/mailpit');

const ROOT = path.resolve(__dirname, '..', '..');

/** @param {string} url @param {number} timeoutMs @returns {Promise<{ status: number | undefined, body: string }>} 0 when nothing answered */
function getJson(url, timeoutMs) {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: timeoutMs }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve({ status: 0, body: '' }));
  });
}

/** @param {string} url @param {number} timeoutMs */
async function waitHealthy(url, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    const res = await getJson(url, 3000);
    if (res.status === 200) return;
    last = res.status ? `${res.status} ${res.body}` : 'no answer';
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`the API did not become healthy within ${timeoutMs / 1000}s (last: ${last})`);
}

/**
 * The server engine has no UI built in: how to look at it with the Temporal CLI instead.
 * @param {Awaited<ReturnType<typeof startInfrastructure>>} infra
 */
function temporalUiLine(infra) {
  if (infra.uiUrl) return infra.uiUrl;
  if (!infra.cluster) return '(external Temporal: see its own UI)';
  const { tls, address } = infra.cluster;
  return `none with the server engine; the Temporal CLI, with the client certificate:
                temporal workflow list --address ${address} \\
                  ${cliTlsFlags(tls).join(' ')}`;
}

async function main() {
  const started = Date.now();
  const env = { ...readDotEnv(), ...process.env };
  const dataDir = path.resolve(ROOT, env.DATA_DIR || '.data');
  const port = intEnv(env, 'PORT', 3000);
  const postgresPort = intEnv(env, 'POSTGRES_PORT', 54329);
  const temporalPort = intEnv(env, 'TEMPORAL_PORT', 7233);
  const temporalUiPort = intEnv(env, 'TEMPORAL_UI_PORT', 8233);
  const namespace = env.TEMPORAL_NAMESPACE || 'default';
  fs.mkdirSync(path.join(dataDir, 'logs'), { recursive: true });

  let stopping = false;
  installSignalHandlers(() => {
    stopping = true;
    log.step('Stopping Appraise');
  });
  // `npm start` killed with SIGTERM does not pass the signal on: notice the orphaning instead,
  // and stop everything as if the signal had come here.
  const parent = process.ppid;
  const orphanWatch = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(orphanWatch);
    process.kill(process.pid, 'SIGTERM');
  }, 1000).unref();

  await ensureDependencies(ROOT);
  await build(ROOT);
  const infra = await startInfrastructure({
    dataDir,
    postgresPort,
    temporalPort,
    temporalUiPort,
    namespace,
    searchAttributes: searchAttributeRegistrations(ROOT),
    env,
    useExternal: true,
  });

  // Mail goes to SMTP_URL when it names a server; otherwise to a local Mailpit that keeps it.
  const mailpit = env.SMTP_URL?.trim()
    ? null
    : await startMailpit({
        bin: await ensureMailpit({ env }),
        smtpPort: intEnv(env, 'SMTP_PORT', 1025),
        uiPort: intEnv(env, 'MAIL_UI_PORT', 8025),
        database: path.join(dataDir, 'mailpit', 'mailpit.db'),
        logFile: path.join(dataDir, 'logs', 'mailpit.log'),
        env,
      });

  const appEnv = {
    ...env,
    ...(mailpit ? { SMTP_URL: mailpit.smtpUrl } : {}),
    ...stackSecrets(dataDir, env),
    ...infra.temporalEnv,
    NODE_ENV: env.NODE_ENV || 'development',
    PORT: String(port),
    DATABASE_URL: infra.databaseUrl,
    TEMPORAL_ADDRESS: infra.temporalAddress,
    TEMPORAL_NAMESPACE: namespace,
  };

  log.step('Migrating and seeding the database');
  const setup = await run(process.execPath, [path.join(ROOT, 'dist/tools/devstack/setup-database.js')], { env: appEnv, cwd: ROOT, stream: true, timeoutMs: 120000 });
  if (setup.code !== 0) throw new Error('database setup failed (see above)');

  /** @param {string} name @param {import('./lib/processes').ExitInfo} exit */
  const onUnexpectedExit = (name, exit) => {
    if (stopping) return;
    log.fail(`${name} stopped unexpectedly (${exit.signal || `code ${exit.code}`}); see ${path.join(dataDir, 'logs')}`);
  };
  log.step('Starting the worker and the API');
  spawnService('worker', process.execPath, [path.join(ROOT, 'dist/apps/worker/src/main.js')], {
    env: appEnv,
    cwd: ROOT,
    logFile: path.join(dataDir, 'logs', 'worker.log'),
    onUnexpectedExit,
  });
  spawnService('api', process.execPath, [path.join(ROOT, 'dist/apps/api/src/main.js')], {
    env: appEnv,
    cwd: ROOT,
    logFile: path.join(dataDir, 'logs', 'api.log'),
    onUnexpectedExit,
  });
  const base = `http://localhost:${port}`;
  await waitHealthy(`${base}/api/v1/health`, 90000);

  // The configuration the processes parsed says whether this stack has demo accounts (never in production).
  const { loadConfig } = /** @type {typeof import('../../libs/config')} */ (require(path.join(ROOT, 'dist/libs/config/index.js')));
  const { demoAccounts } = loadConfig(appEnv);
  if (demoAccounts) await seedDemoProposals(`${base}/api/v1`, demoAccounts.password).catch((error) => log.warn(`demo proposals not created: ${error.message}`));
  const { DEMO_USERS } = /** @type {typeof import('../../libs/persistence/src/seed/demo-directory')} */ (
    require(path.join(ROOT, 'dist/libs/persistence/src/seed/demo-directory.js'))
  );
  const logins = demoAccounts
    ? `  Demo logins (password: ${demoAccounts.password}):
${DEMO_USERS.map((u) => `    ${u.email.padEnd(36)} ${u.roles.join(', ')}${u.approvalLevel ? ` (${u.approvalLevel}${u.deputy ? ', deputy' : ''})` : ''}`).join('\n')}

  Try:  curl -s -X POST ${base}/api/v1/auth/token -H 'content-type: application/json' \\
          -d '{"email":"ana.torres@minsal.example","password":"${demoAccounts.password}"}'`
    : `  Production mode: no demo accounts. The first administrator (README "Production mode"):
    DATABASE_URL=${env.DATABASE_URL ? '$DATABASE_URL' : infra.databaseUrl} npm run admin:create -- --email <e-mail> --name "<name>"`;
  log.ok(`Appraise is up in ${Math.round((Date.now() - started) / 1000)}s`);
  console.log(`
  Web           ${base}/
  API           ${base}/api/v1
  Swagger UI    ${base}/docs        (OpenAPI: ${base}/docs-json)
  Temporal UI   ${temporalUiLine(infra)}
  Mail          ${mailpit ? `Mailpit keeps every message: ${mailpit.apiUrl}/api/v1/messages (API docs: ${mailpit.apiUrl}/api/v1/; SMTP ${mailpit.smtpUrl})` : `sent through SMTP_URL (${new URL(env.SMTP_URL || 'smtp://x').host})`}
  Logs          ${path.join(dataDir, 'logs')}

${logins}

  Press Ctrl-C to stop.
`);
  // Keep running until a signal; the signal handler stops every service we spawned.
  await new Promise(() => {});
}

ensureSupportedNode().then(main).catch(async (error) => {
  log.fail(error && error.message ? error.message : String(error));
  await stopAll();
  process.exit(1);
});
