/**
 * One fault-injection run: a system of real processes, many evaluations driven concurrently over
 * HTTP along every route, SIGKILLs of the worker, the API, Temporal (the dev server, or the
 * server's process or processes and, split, its history service alone) and PostgreSQL at random
 * moments (each restarted on the same state), then the checks.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { ChaosHttp, DeadlineReached, newStats, type ClientStats } from './client';
import { formatTable, runChecks, type Check, type CheckFigures } from './checks';
import { EvaluationDriver, login, ROUTES, type EvaluationResult, type Route } from './scenarios';
import { ChaosStack, COMPONENTS, ROOT, sleep, type Component } from './stack';

export interface ChaosOptions {
  /** Evaluations in the run. */
  evaluations: number;
  /** Evaluations in flight at once. */
  concurrency: number;
  /** SIGKILLs of each component. */
  killsPerComponent: number;
  /** Mean pause between two kills (uniform in [0.5, 1.5] times this). */
  killIntervalMs: number;
  /** How long a killed component stays down before its restart (uniform in [0.2, 1] times this). */
  downMs: number;
  apis: number;
  workers: number;
  /** The whole run gives up after this; unfinished evaluations count as lost. */
  deadlineMs: number;
  pollMs: number;
  /** Where the data, logs, histories and results go. */
  outDir: string;
  seed?: string;
  log?: (line: string) => void;
}

export interface KillEvent {
  component: Component;
  instance: number;
  at: string;
  downMs: number;
  restartedInMs: number;
  inFlight: number;
}

export interface ChaosReport {
  runId: string;
  options: Omit<ChaosOptions, 'log'>;
  startedAt: string;
  seconds: number;
  evaluations: number;
  byRoute: Record<string, { total: number; asIntended: number }>;
  /** Kills of each component the stack has (ChaosStack.components). */
  kills: Partial<Record<Component, number>>;
  killEvents: KillEvent[];
  selfExits: number;
  client: ClientStats;
  figures: CheckFigures & { evaluations: number; retries: number; verifiedConflicts: number; anomalies: number; serverErrors: number };
  checks: Check[];
  ok: boolean;
  table: string;
  results: EvaluationResult[];
}

export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const log = options.log ?? ((line: string) => console.log(line));
  const runId = options.seed ?? randomBytes(4).toString('hex');
  const started = Date.now();
  const deadline = started + options.deadlineMs;
  mkdirSync(options.outDir, { recursive: true });
  const stack = new ChaosStack({ dataDir: join(options.outDir, 'data'), apis: options.apis, workers: options.workers, log });
  const stats = newStats();
  const results: EvaluationResult[] = [];
  const killEvents: KillEvent[] = [];
  let inFlight = 0;
  try {
    log(`chaos ${runId}: starting PostgreSQL, Temporal, ${options.apis} API and ${options.workers} worker process(es) in ${options.outDir}`);
    await stack.start();
    const http = new ChaosHttp(stack.apiUrls, stats, deadline);
    const sessions = await login(http);

    // The clients: `concurrency` loops taking the next evaluation until none is left.
    const routes: Route[] = Array.from({ length: options.evaluations }, (_, i) => ROUTES[i % ROUTES.length]);
    let nextIndex = 0;
    let finished = false;
    const clients = Array.from({ length: Math.min(options.concurrency, options.evaluations) }, async () => {
      while (nextIndex < routes.length) {
        const n = nextIndex++;
        inFlight += 1;
        const result = await new EvaluationDriver(http, sessions, runId, n, routes[n], options.pollMs).run();
        inFlight -= 1;
        results.push(result);
        if (result.error && !(result.error.startsWith('deadline'))) log(`  evaluation #${n} (${result.route}) failed: ${result.error}`);
      }
    });
    const progress = setInterval(() => {
      const done = results.length;
      const kills = stack.components.map((c) => `${c} ${killEvents.filter((k) => k.component === c).length}`).join(', ');
      log(`  ${Math.round((Date.now() - started) / 1000)}s: ${done}/${options.evaluations} evaluations done, ${inFlight} in flight; kills: ${kills}; requests ${stats.requests}, retries ${stats.retries}`);
    }, 10_000);
    progress.unref();

    // The chaos: every component killed killsPerComponent times, in random order, while evaluations run.
    const plan: Component[] = shuffle(stack.components.flatMap((c) => Array.from({ length: options.killsPerComponent }, () => c)));
    const chaos = (async () => {
      const counts = Object.fromEntries(COMPONENTS.map((c) => [c, 0])) as Record<Component, number>;
      for (const component of plan) {
        await sleep(options.killIntervalMs * (0.5 + Math.random()));
        if (finished) break;
        const downMs = Math.round(options.downMs * (0.2 + Math.random() * 0.8));
        const at = new Date();
        const instance = counts[component]++;
        const flying = inFlight;
        await stack.killAndRestart(component, instance, downMs);
        const event = { component, instance, at: at.toISOString(), downMs, restartedInMs: Date.now() - at.getTime(), inFlight: flying };
        killEvents.push(event);
        log(`  killed ${component}${component === 'api' || component === 'worker' ? ` #${(instance % (component === 'api' ? options.apis : options.workers)) + 1}` : ''} with SIGKILL (${flying} evaluations in flight); back after ${(event.restartedInMs / 1000).toFixed(1)}s`);
      }
    })();

    await Promise.all(clients).finally(() => (finished = true));
    await chaos;
    clearInterval(progress);
    log(`chaos ${runId}: ${results.length} evaluations ended after ${Math.round((Date.now() - started) / 1000)}s; checking`);

    const anyApi = stack.apiUrls[0];
    const auditor = await fetch(`${anyApi}/auth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'lucia.campos@contraloria.example', password: 'demo-password' }) }).then((r) => r.json() as Promise<{ accessToken: string }>);
    const { checks, figures } = await runChecks({
      databaseUrl: stack.databaseUrl,
      temporal: stack.temporalSecurity,
      evaluations: results.sort((a, b) => a.n - b.n),
      historiesDir: join(options.outDir, 'histories'),
      workflowBundle: join(ROOT, 'dist', 'workflows', 'workflow-bundle.js'),
      verifyChain: async () => {
        const res = await fetch(`${anyApi}/audit/verify`, { headers: { authorization: `Bearer ${auditor.accessToken}` } });
        const body = (await res.json()) as { ok?: boolean; valid?: boolean; count?: number; checked?: number };
        const ok = res.status === 200 && (body.ok ?? body.valid) === true;
        return { ok, detail: JSON.stringify(body).slice(0, 200) };
      },
    });

    const kills = Object.fromEntries(stack.components.map((c) => [c, killEvents.filter((k) => k.component === c).length])) as Partial<Record<Component, number>>;
    const byRoute: ChaosReport['byRoute'] = {};
    for (const r of results) {
      byRoute[r.route] ??= { total: 0, asIntended: 0 };
      byRoute[r.route].total += 1;
      if (r.outcome === r.intended) byRoute[r.route].asIntended += 1;
    }
    const allFigures = {
      ...figures,
      evaluations: results.length,
      retries: stats.retries,
      verifiedConflicts: results.reduce((s, r) => s + r.verifiedConflicts, 0),
      anomalies: results.reduce((s, r) => s + r.anomalies.length, 0),
      serverErrors: stats.serverErrors.length,
    };
    const killsOk = stack.components.every((c) => kills[c] === options.killsPerComponent);
    checks.push({ name: 'every planned kill happened', ok: killsOk, detail: stack.components.map((c) => `${c} ${kills[c]}/${options.killsPerComponent}`).join(', ') });
    checks.push({ name: 'no 500 answers', ok: stats.serverErrors.length === 0, detail: `${stats.serverErrors.length}${stats.serverErrors.length ? ` (${stats.serverErrors.slice(0, 2).map((e) => `${e.method} ${e.path} ${e.status} ${e.body.slice(0, 120)}`).join('; ')})` : ''}` });
    const rows: [string, string, string][] = [['check', 'result', 'detail'], ...checks.map((c): [string, string, string] => [c.name, c.ok ? 'ok' : 'FAILED', c.detail])];
    const figureRows: [string, string, string][] = [
      ['figure', 'value', ''],
      ['evaluations', String(allFigures.evaluations), Object.entries(byRoute).map(([r, v]) => `${r} ${v.asIntended}/${v.total}`).join(', ')],
      ...stack.components.map((c): [string, string, string] => [`kills: ${c}`, String(kills[c]), 'SIGKILL, restarted on the same state']),
      ['processes that exited on their own', String(stack.crashes.length), stack.crashes.map((c) => c.name).join(', ')],
      ['requests / retries', `${stats.requests} / ${stats.retries}`, `${stats.connectionErrors} connection errors; statuses ${JSON.stringify(stats.byStatus)}`],
      ['409s resolved by reading state', String(allFigures.verifiedConflicts), 'after an attempt of unknown effect'],
      ['decisions recorded', String(allFigures.decisionsRecorded), ''],
      ['duplicates', String(allFigures.duplicates), 'must be 0'],
      ['lost', String(allFigures.lost), 'must be 0'],
      ['stuck', String(allFigures.stuck), 'must be 0'],
      ['histories replayed', `${allFigures.replayed} (${allFigures.replayFailures} failed)`, ''],
    ];
    const table = `${formatTable(rows)}\n\n${formatTable(figureRows)}`;
    const report: ChaosReport = {
      runId,
      options: { ...options, log: undefined } as Omit<ChaosOptions, 'log'>,
      startedAt: new Date(started).toISOString(),
      seconds: Math.round((Date.now() - started) / 1000),
      evaluations: results.length,
      byRoute,
      kills,
      killEvents,
      selfExits: stack.crashes.length,
      client: stats,
      figures: allFigures,
      checks,
      ok: checks.every((c) => c.ok),
      table,
      results,
    };
    writeFileSync(join(options.outDir, 'results.json'), JSON.stringify(report, null, 2));
    return report;
  } catch (error) {
    if (error instanceof DeadlineReached) log(`chaos ${runId}: ${error.message}`);
    throw error;
  } finally {
    await stack.stop();
  }
}

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}
