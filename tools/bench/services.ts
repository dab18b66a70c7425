/**
 * The processes a bench phase runs (API, worker, the floor's worker), started from the build
 * like `npm start` starts them, each with its output in a log file; and their memory, read
 * from /proc while they run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';

export const ROOT = join(__dirname, '..', '..', '..');
export const DIST = join(ROOT, 'dist');

export interface Service {
  name: string;
  pid: number;
  exited: Promise<number | null>;
  isRunning(): boolean;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export function spawnNode(name: string, script: string, env: NodeJS.ProcessEnv, logFile: string, nodeArgs: string[] = []): Service {
  mkdirSync(dirname(logFile), { recursive: true });
  const fd = openSync(logFile, 'a');
  const child = spawn(process.execPath, [...nodeArgs, script], { env, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  if (child.pid === undefined) throw new Error(`${name} did not start`);
  running.add(child);
  let alive = true;
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      alive = false;
      running.delete(child);
      resolve(code);
    });
  });
  return {
    name,
    pid: child.pid,
    exited,
    isRunning: () => alive,
    async stop() {
      if (!alive) return;
      child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const gone = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => (timer = setTimeout(() => r(false), 30_000)))]);
      clearTimeout(timer);
      if (!gone) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Waits for a 200 from `url`, failing early when the process behind it has exited. */
export async function waitHealthy(url: string, service: Service, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (!service.isRunning()) throw new Error(`${service.name} exited before it was healthy`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(3_000) });
      if (res.status === 200) return;
      last = `${res.status} ${await res.text()}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} was not healthy within ${timeoutMs / 1000}s (last: ${last})`);
}

/** Resident set size of a process in MiB (VmRSS), or NaN once it has gone. */
export function rssMiB(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

export interface MemorySeries {
  /** Seconds since the sampler started, and the RSS of each process in MiB. */
  samples: { t: number; rss: Record<string, number> }[];
  peak: Record<string, number>;
}

/** Samples the RSS of the given processes every `everyMs` until stopped. */
export function sampleMemory(services: Service[], everyMs = 1_000): { stop(): MemorySeries } {
  const started = Date.now();
  const series: MemorySeries = { samples: [], peak: {} };
  const take = () => {
    const rss: Record<string, number> = {};
    for (const s of services) {
      const v = rssMiB(s.pid);
      if (Number.isNaN(v)) continue;
      rss[s.name] = Math.round(v * 10) / 10;
      series.peak[s.name] = Math.max(series.peak[s.name] ?? 0, rss[s.name]);
    }
    series.samples.push({ t: Math.round((Date.now() - started) / 100) / 10, rss });
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      return series;
    },
  };
}
