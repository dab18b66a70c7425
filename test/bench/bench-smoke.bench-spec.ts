import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEMPLATE_DATABASE } from '../support/test-database';
import { testEnvironment } from '../support/test-env';

// A smoke run of `npm run bench` (BENCH_SMOKE=1: two evaluations of each kind after one to warm up, a thousand
// proposals, a second per read) on the services `npm test` started, so that the benchmark
// cannot rot. It checks that every phase ran and reported; speed is the benchmark's business.
jest.setTimeout(300_000);

const ROOT = join(__dirname, '..', '..');

function runBench(env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'dist', 'tools', 'bench', 'main.js')], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('npm run bench, smoke configuration', () => {
  const resultsDir = mkdtempSync(join(tmpdir(), 'appraise-bench-'));
  afterAll(() => rmSync(resultsDir, { recursive: true, force: true }));

  it('runs every phase and writes its results as JSON and Markdown', async () => {
    const services = testEnvironment();
    const { code, output } = await runBench({
      ...process.env,
      ...services.temporalEnv,
      BENCH_SMOKE: '1',
      BENCH_SOAK_SECONDS: '2',
      BENCH_RESULTS_DIR: resultsDir,
      BENCH_DATABASE_URL: services.databaseUrl,
      BENCH_TEMPLATE_DATABASE: TEMPLATE_DATABASE,
      BENCH_TEMPORAL_ADDRESS: services.temporalAddress,
      BENCH_LOG_LEVEL: 'warn',
    });
    if (code !== 0) throw new Error(`the bench exited ${code}:\n${output}`);

    const results = JSON.parse(readFileSync(join(resultsDir, 'latest.json'), 'utf8'));
    expect(results.machine.cores).toBeGreaterThan(0);
    expect(results.machine.loadAverageEnd).toHaveLength(3);

    // The floor has the shape of the evaluation it stands for.
    expect(results.floor.evaluations).toBe(2);
    expect(results.floor.failures).toBe(0);
    expect(results.floor.shape).toMatchObject({ activities: results.system.shape.activities, updates: results.system.shape.updates });
    // Each task claimed (an Update and its activity: the workflow owns who holds it), then decided.
    expect(results.system.shape).toMatchObject({ activities: 16, updates: 8 });

    expect(results.system).toMatchObject({ evaluations: 2, failures: 0 });
    expect(results.system.nextTaskVisible.count).toBe(4);
    expect(results.system.endpoints['POST /tasks/:id/decision'].count).toBe(8);
    expect(results.ratio).toBeGreaterThan(0);
    expect(Object.keys(results.soak.processes).sort()).toEqual(['api', 'worker']);

    expect(results.reads.proposals).toBe(1000);
    expect(results.reads.results.map((r: { name: string }) => r.name)).toContain('GET /reports/portfolio');
    for (const read of results.reads.results) expect({ name: read.name, non2xx: read.non2xx, errors: read.errors, some: read.requests > 0 }).toEqual({ name: read.name, non2xx: 0, errors: 0, some: true });
    expect(results.memory.system.peak.api).toBeGreaterThan(0);

    const table = readFileSync(join(resultsDir, 'latest.md'), 'utf8');
    expect(table).toContain('ratio system / floor');
    expect(table).toContain('GET /reports/portfolio');
    expect(existsSync(join(resultsDir, 'runs'))).toBe(true);
  });
});
