import { join } from 'node:path';
import { runChaos, type ChaosReport } from '../../tools/chaos/run';
import { testEnvironment } from '../support/test-env';

jest.setTimeout(420_000);

/**
 * The short version of `npm run chaos`: a handful of evaluations along every route through two
 * API and two worker processes, while the worker, the API, the Temporal dev server and
 * PostgreSQL are each killed with SIGKILL once and restarted on the same state. Its own services
 * (they get killed), not the ones the other tiers share.
 */
describe('fault injection (short run)', () => {
  let report: ChaosReport;
  const lines: string[] = [];

  beforeAll(async () => {
    report = await runChaos({
      evaluations: Number(process.env.CHAOS_SHORT_EVALUATIONS ?? 8),
      concurrency: 8,
      killsPerComponent: 1,
      // Kills come close together: on a quiet machine the eight evaluations are done in about
      // 35 s, and a kill planned after the last evaluation ended would not happen.
      killIntervalMs: 1_000,
      downMs: 1_500,
      apis: 2,
      workers: 2,
      deadlineMs: 300_000,
      pollMs: 1_500,
      outDir: join(testEnvironment().dataDir, `chaos-${process.pid}`),
      log: (line) => lines.push(line),
    });
  });

  afterAll(() => {
    if (report && !report.ok) console.log(`${lines.join('\n')}\n\n${report.table}`);
  });

  it('kills every component while evaluations are in flight', () => {
    expect(report.kills).toEqual({ worker: 1, api: 1, temporal: 1, postgres: 1 });
    expect(report.killEvents.every((k) => k.inFlight > 0)).toBe(true);
  });

  it('brings every evaluation to the outcome its script intended, along every route', () => {
    expect(report.results.map((r) => [r.route, r.outcome])).toEqual(report.results.map((r) => [r.route, r.intended]));
    expect(Object.keys(report.byRoute).sort()).toEqual(['changes-answered', 'committee', 'low-approved', 'medium-approved', 'medium-conditions', 'rejected', 'withdrawn']);
  });

  it('records each decision exactly once, loses none, leaves nothing stuck', () => {
    expect(report.figures).toMatchObject({ duplicates: 0, lost: 0, stuck: 0, failedWorkflows: 0, anomalies: 0, serverErrors: 0 });
    expect(report.figures.decisionsRecorded).toBeGreaterThanOrEqual(report.evaluations * 2);
  });

  it('passes every end-of-run check: chain, workflows, tasks, search attributes, replay', () => {
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    expect(report.figures.replayed).toBe(report.evaluations);
  });
});
