/**
 * `npm run chaos`: the full fault-injection run. Settings (environment):
 * CHAOS_EVALUATIONS (200), CHAOS_CONCURRENCY (40), CHAOS_KILLS (3 per component),
 * CHAOS_KILL_INTERVAL_MS (15000), CHAOS_DOWN_MS (3000), CHAOS_APIS (2), CHAOS_WORKERS (2),
 * CHAOS_DEADLINE_MS (1800000), CHAOS_OUT (.data/chaos/<time>). Exit 0 when every check passes.
 */
import { join } from 'node:path';
import { runChaos } from './run';
import { ROOT, stopEverythingOnSignals } from './stack';

function int(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number, not "${raw}"`);
  return value;
}

async function main(): Promise<void> {
  stopEverythingOnSignals();
  const outDir = process.env.CHAOS_OUT || join(ROOT, '.data', 'chaos', new Date().toISOString().replace(/[:.]/g, '-'));
  const report = await runChaos({
    evaluations: int('CHAOS_EVALUATIONS', 200),
    concurrency: int('CHAOS_CONCURRENCY', 40),
    killsPerComponent: int('CHAOS_KILLS', 3),
    killIntervalMs: int('CHAOS_KILL_INTERVAL_MS', 15_000),
    downMs: int('CHAOS_DOWN_MS', 3_000),
    apis: int('CHAOS_APIS', 2),
    workers: int('CHAOS_WORKERS', 2),
    deadlineMs: int('CHAOS_DEADLINE_MS', 30 * 60_000),
    pollMs: int('CHAOS_POLL_MS', 700),
    outDir,
  });
  console.log(`\n${report.table}\n`);
  console.log(`results: ${join(outDir, 'results.json')} (histories in ${join(outDir, 'histories')}, logs in ${join(outDir, 'data', 'logs')})`);
  console.log(report.ok ? `chaos run ${report.runId}: every check passed in ${report.seconds}s` : `chaos run ${report.runId}: CHECKS FAILED`);
  process.exit(report.ok ? 0 : 1);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : String(error));
  process.exit(1);
});
