import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { AppConfig } from '../../libs/config';
import { testEnvironment } from './test-env';

const ROOT = join(__dirname, '..', '..');

/**
 * Every process started here dies with the test process, even when a test gave up half-way
 * through starting a stack; and none shares the test process's output pipes, which would keep
 * `npm test` waiting for them.
 */
const started = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

function startApp(app: 'api' | 'worker', env: NodeJS.ProcessEnv, stdout: 'ignore' | 'pipe'): ChildProcess {
  const logs = join(testEnvironment().dataDir, 'logs');
  mkdirSync(logs, { recursive: true });
  const stderr = openSync(join(logs, `scale-out-${app}.log`), 'a');
  const child = spawn(process.execPath, [join(ROOT, `dist/apps/${app}/src/main.js`)], { env, stdio: ['ignore', stdout, stderr] });
  closeSync(stderr);
  started.add(child);
  child.once('exit', () => started.delete(child));
  return child;
}

/**
 * Scale-out mode of the test stack: N API and M worker processes (the built `dist/apps/*`
 * mains, as `npm start` runs them) on one database and task queue, behind a round-robin proxy
 * so that consecutive requests of a test land on different API processes.
 */
export class ProcessStack {
  private apis: ChildProcess[] = [];
  private workers: ChildProcess[] = [];
  private proxy: Server | null = null;
  private ports: number[] = [];

  constructor(
    private readonly config: AppConfig,
    private readonly env: Record<string, string>,
    private readonly counts: { apis: number; workers: number },
  ) {}

  private childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    return {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      DATABASE_URL: this.config.databaseUrl,
      TEMPORAL_ADDRESS: this.config.temporal.address,
      TEMPORAL_TASK_QUEUE: this.config.temporal.taskQueue,
      ...testEnvironment().temporalEnv,
      JWT_SECRET: 'test-secret-of-enough-length',
      ...this.env,
      ...extra,
    };
  }

  /** Starts the APIs and the proxy; returns the proxy's base URL. */
  async start(): Promise<string> {
    for (let i = 0; i < this.counts.apis; i += 1) {
      const port = await freePort();
      this.ports.push(port);
      this.apis.push(startApp('api', this.childEnv({ PORT: String(port) }), 'ignore'));
    }
    let next = 0;
    this.proxy = createServer((req, res) => {
      const port = this.ports[next++ % this.ports.length];
      const upstream = request({ host: '127.0.0.1', port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => {
        if (!res.headersSent) res.writeHead(502);
        res.end();
      });
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => this.proxy?.listen(0, '127.0.0.1', resolve));
    await Promise.all(this.ports.map((port) => waitForHealth(`http://127.0.0.1:${port}/api/v1/health`)));
    return `http://127.0.0.1:${(this.proxy.address() as AddressInfo).port}/api/v1`;
  }

  /** Starts the workers and waits until each says it polls the task queue. */
  async startWorkers(): Promise<void> {
    const started: Promise<void>[] = [];
    for (let i = 0; i < this.counts.workers; i += 1) {
      // At info level the worker says when it polls; its stdout is read for that and dropped.
      const child = startApp('worker', this.childEnv({ LOG_LEVEL: 'info' }), 'pipe');
      this.workers.push(child);
      started.push(
        new Promise((resolve, reject) => {
          let seen = '';
          child.stdout?.on('data', (chunk: Buffer) => {
            seen = (seen + chunk.toString()).slice(-4096);
            if (/"msg":"worker started"/.test(seen)) resolve();
          });
          child.once('exit', (code) => reject(new Error(`a worker process exited with ${code} before it started`)));
        }),
      );
    }
    await Promise.all(started);
  }

  /** SIGTERM: the workers drain and exit. */
  async stopWorkers(): Promise<void> {
    await Promise.all(this.workers.map(terminate));
    this.workers = [];
  }

  async stop(): Promise<void> {
    await this.stopWorkers();
    await Promise.all(this.apis.map(terminate));
    this.apis = [];
    await new Promise<void>((resolve) => (this.proxy ? this.proxy.close(() => resolve()) : resolve()));
  }
}

function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitForHealth(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} was not healthy within ${timeoutMs / 1000}s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** `APPRAISE_SCALE_OUT=2` (or a Jest project's `globals`) runs the e2e stacks as 2 APIs + 2 workers. */
export function scaleOut(): number {
  const fromGlobals = (globalThis as { APPRAISE_SCALE_OUT?: unknown }).APPRAISE_SCALE_OUT;
  const value = Number(fromGlobals ?? process.env.APPRAISE_SCALE_OUT ?? 0);
  return Number.isInteger(value) && value > 1 ? value : 0;
}
