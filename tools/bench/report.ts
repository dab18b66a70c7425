/** The results of a run: one JSON document and the Markdown table tools/bench/README.md shows. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { FloorResult } from './floor';
import type { ReadResult } from './reads';
import type { MemorySeries } from './services';
import type { HistoryShape } from './shape';
import type { SystemResult } from './system';

export interface SoakProcess {
  firstMiB: number;
  lastMiB: number;
  growthPercent: number;
  slopeMiBPerMinute: number;
  /** The spread of the samples of the first window (p90 - p10), the noise growth is judged against. */
  noiseMiB: number;
  verdict: 'flat' | 'grows';
}

export interface SoakResult {
  seconds: number;
  evaluations: number;
  evaluationsPerSecond: number;
  processes: Record<string, SoakProcess>;
  samples: MemorySeries['samples'];
}

export interface BenchResults {
  startedAt: string;
  finishedAt: string;
  config: Record<string, unknown>;
  machine: {
    cores: number;
    cpuModel: string;
    memoryGiB: number;
    node: string;
    temporalSdk: string;
    temporalServer: string;
    postgres: string;
    loadAverageStart: number[];
    loadAverageEnd: number[];
    note: string;
  };
  floor: (Omit<FloorResult, 'memory'> & { memory?: undefined }) | null;
  system: (SystemResult & { shape: HistoryShape | null }) | null;
  ratio: number | null;
  soak: SoakResult | null;
  reads: { proposals: number; database: string; reusedSeed: boolean; seedSeconds: number | null; connections: number; secondsEach: number; results: ReadResult[] } | null;
  memory: Record<string, { peak: Record<string, number> }>;
}

export const TARGETS = { ratio: 0.7, nextTaskP99Ms: 250, readP99Ms: 50, soakGrowthPercent: 5 };

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : NaN;
};
const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))] : NaN;
};
const r1 = (n: number) => Math.round(n * 10) / 10;

/**
 * Growth over the soak: the first tenth is warm-up (caches, JIT, pools); the median RSS of the
 * next fifth is compared with that of the last fifth. It "grows" when the difference is over
 * TARGETS.soakGrowthPercent and over the spread of the first window.
 */
export function analyzeSoak(series: MemorySeries, seconds: number, evaluations: number, evaluationsPerSecond: number): SoakResult {
  const names = Object.keys(series.peak);
  const processes: Record<string, SoakProcess> = {};
  const samples = series.samples.filter((s) => s.t >= seconds * 0.1);
  const window = Math.max(1, Math.floor(samples.length / 5));
  for (const name of names) {
    const points = samples.filter((s) => s.rss[name] !== undefined).map((s) => ({ t: s.t, v: s.rss[name] }));
    const first = points.slice(0, window).map((p) => p.v);
    const last = points.slice(-window).map((p) => p.v);
    const firstMiB = median(first);
    const lastMiB = median(last);
    const n = points.length;
    const mt = points.reduce((a, p) => a + p.t, 0) / n;
    const mv = points.reduce((a, p) => a + p.v, 0) / n;
    const slope = points.reduce((a, p) => a + (p.t - mt) * (p.v - mv), 0) / Math.max(1e-9, points.reduce((a, p) => a + (p.t - mt) ** 2, 0));
    const noiseMiB = quantile(first, 0.9) - quantile(first, 0.1);
    const growth = lastMiB - firstMiB;
    const growthPercent = (growth / firstMiB) * 100;
    processes[name] = {
      firstMiB: r1(firstMiB),
      lastMiB: r1(lastMiB),
      growthPercent: r1(growthPercent),
      slopeMiBPerMinute: r1(slope * 60),
      noiseMiB: r1(noiseMiB),
      verdict: growthPercent > TARGETS.soakGrowthPercent && growth > noiseMiB ? 'grows' : 'flat',
    };
  }
  return { seconds, evaluations, evaluationsPerSecond, processes, samples: series.samples };
}

const yes = (ok: boolean) => (ok ? 'yes' : '**no**');

export function markdown(r: BenchResults): string {
  const lines: string[] = [];
  const m = r.machine;
  lines.push(`Run of ${r.startedAt} (${r.config.smoke ? 'smoke configuration' : 'full configuration'}), finished ${r.finishedAt}.`);
  lines.push('');
  lines.push(
    `Machine: ${m.cores} cores (${m.cpuModel}), ${m.memoryGiB} GiB; Node ${m.node}; Temporal SDK ${m.temporalSdk}, server ${m.temporalServer}; PostgreSQL ${m.postgres}. ` +
      `Load average (1/5/15 min) at start ${m.loadAverageStart.join(' / ')}, at end ${m.loadAverageEnd.join(' / ')}.${m.note ? ` ${m.note}` : ''}`,
  );
  lines.push('');
  lines.push(`Concurrency ${r.config.concurrency}.`);
  if (r.config.heavyReadsLimit) lines.push('', `The per-user limit of heavy reads was raised to ${String(r.config.heavyReadsLimit)} (RATE_LIMIT_HEAVY_READS; production default 30/60s), so that it does not throttle the simulated users.`);
  lines.push('');
  lines.push('| figure | value | target | met |');
  lines.push('|---|---|---|---|');
  if (r.floor) {
    lines.push(`| engine floor: evaluations/s | ${r.floor.evaluationsPerSecond} (${r.floor.evaluations} in ${r.floor.seconds} s) | | |`);
    lines.push(`| engine floor: Update round trip p50 / p99 | ${r.floor.update.p50} / ${r.floor.update.p99} ms | | |`);
  }
  if (r.system) {
    lines.push(`| whole system: evaluations/s | ${r.system.evaluationsPerSecond} (${r.system.evaluations} in ${r.system.seconds} s, ${r.system.failures} failed, ${r.system.decisionsRetriedAfter503} decisions sent again after a 503) | | |`);
    if (r.ratio !== null) lines.push(`| **ratio system / floor** | **${(r.ratio * 100).toFixed(1)}%** | ≥ ${TARGETS.ratio * 100}% | ${yes(r.ratio >= TARGETS.ratio)} |`);
    const v = r.system.nextTaskVisible;
    lines.push(`| decision 200 → next task in the next inbox, p50 / p99 | ${v.p50} / ${v.p99} ms (${v.count}) | p99 ≤ ${TARGETS.nextTaskP99Ms} ms | ${yes(v.p99 <= TARGETS.nextTaskP99Ms)} |`);
    const s = r.system.submitToReviewTasks;
    lines.push(`| submit 202 → both review tasks in the inboxes, p50 / p99 | ${s.p50} / ${s.p99} ms | | |`);
    lines.push(`| one evaluation, POST /proposals to outcome, p50 / p99 | ${r.system.evaluation.p50} / ${r.system.evaluation.p99} ms | | |`);
  }
  if (r.reads) {
    for (const read of r.reads.results) {
      const value = read.requests ? `${read.p99} ms (p50 ${read.p50}, ${read.requestsPerSecond} req/s; one request alone ${read.singleRequestMs} ms)` : `no request completed (one request alone ${read.singleRequestMs} ms)`;
      lines.push(`| reads, ${r.reads.proposals.toLocaleString('en-US')} proposals: ${read.name}, p99 | ${value} | p99 < ${TARGETS.readP99Ms} ms | ${yes(read.requests > 0 && read.p99 < TARGETS.readP99Ms && read.non2xx === 0 && read.errors === 0)} |`);
    }
  }
  if (r.soak) {
    for (const [name, p] of Object.entries(r.soak.processes)) {
      lines.push(`| soak ${r.soak.seconds} s: RSS of the ${name} | ${p.firstMiB} → ${p.lastMiB} MiB (${p.growthPercent}%, ${p.slopeMiBPerMinute} MiB/min, noise ${p.noiseMiB} MiB) | no growth beyond noise | ${yes(p.verdict === 'flat')} |`);
    }
  }
  for (const [phase, mem] of Object.entries(r.memory)) {
    lines.push(`| peak RSS during ${phase} | ${Object.entries(mem.peak).map(([n, v]) => `${n} ${v} MiB`).join(', ')} | | |`);
  }
  if (r.system) {
    lines.push('');
    lines.push('Latency per endpoint during the whole-system phase (ms):');
    lines.push('');
    lines.push('| endpoint | requests | p50 | p95 | p99 | max |');
    lines.push('|---|---|---|---|---|---|');
    for (const [name, s] of Object.entries(r.system.endpoints)) lines.push(`| ${name} | ${s.count} | ${s.p50} | ${s.p95} | ${s.p99} | ${s.max} |`);
  }
  if (r.floor || r.system?.shape) {
    lines.push('');
    lines.push('What Temporal did for one evaluation (from its history):');
    lines.push('');
    lines.push('| workflow | activities | Updates | timers | search-attribute upserts | workflow tasks | events |');
    lines.push('|---|---|---|---|---|---|---|');
    const row = (name: string, s: HistoryShape) => `| ${name} | ${s.activities} | ${s.updates} | ${s.timers} | ${s.searchAttributeUpserts} | ${s.workflowTasks} | ${s.events} |`;
    if (r.floor) lines.push(row('engine floor (bare)', r.floor.shape));
    if (r.system?.shape) lines.push(row('the evaluation workflow', r.system.shape));
  }
  lines.push('');
  return lines.join('\n');
}

/** Writes latest.json and latest.md in `dir`, and the same in the run's own folder. */
export function writeResults(r: BenchResults, dir: string, runDir: string): string[] {
  mkdirSync(runDir, { recursive: true });
  const json = `${JSON.stringify(r, null, 2)}\n`;
  const md = markdown(r);
  const files = [join(dir, 'latest.json'), join(dir, 'latest.md'), join(runDir, 'results.json'), join(runDir, 'results.md')];
  writeFileSync(files[0], json);
  writeFileSync(files[1], md);
  writeFileSync(files[2], json);
  writeFileSync(files[3], md);
  return files.map((f) => relative(process.cwd(), f) || f);
}
