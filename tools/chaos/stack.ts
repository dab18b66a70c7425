/**
 * A whole Appraise system made of real processes that the chaos run can SIGKILL and restart:
 * a private PostgreSQL cluster (restarted on the same data dir and port), Temporal (the engine
 * APPRAISE_ENGINE names: the dev server, restarted on the same SQLite file and port; or the
 * Temporal server on that PostgreSQL with mutual TLS, its process or processes restarted on the
 * same configuration), and N API and M worker processes. API and worker processes that die on
 * their own are restarted too, as a supervisor would.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { loadConfig } from '../../libs/config';
import type { TemporalSecurity } from '../../libs/temporal/src/temporal-connection';

/** The repository root, from the source (tools/chaos) or the build (dist/tools/chaos). */
export const ROOT = (() => {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'tools', 'devstack', 'lib', 'postgres.js'))) return dir;
  }
  throw new Error(`no repository root above ${__dirname}`);
})();

const load = createRequire(join(ROOT, 'package.json'));

interface ExitInfo {
  code: number | null;
  signal: string | null;
}
interface ServiceHandle {
  name: string;
  child: ChildProcess;
  exited: Promise<ExitInfo>;
  isRunning(): boolean;
  stop(signal?: string, graceMs?: number): Promise<ExitInfo>;
}
interface PostgresInstance {
  url: string;
  port: number;
  dataDir: string;
  stop(): Promise<void>;
}
interface TemporalInstance {
  address: string;
  handle: ServiceHandle;
  stop(): Promise<void>;
}
interface ServerProcess {
  name: string;
  services: string[];
  handle: ServiceHandle;
}
interface TemporalCluster {
  address: string;
  clientEnv: Record<string, string>;
  processes: ServerProcess[];
  restart(procs: ServerProcess[]): Promise<void>;
  stop(): Promise<void>;
}
interface EngineSettings {
  engine: 'dev' | 'server';
  shards: number;
  services: 'single' | 'split';
  devSqliteDurable: boolean;
}

const processes = load('./tools/devstack/lib/processes.js') as {
  spawnService(name: string, command: string, args: string[], options: Record<string, unknown>): ServiceHandle;
  stopAll(): Promise<void>;
  installSignalHandlers(): void;
};

/** Ctrl-C or SIGTERM stops every process the run started (PostgreSQL included), then exits. */
export function stopEverythingOnSignals(): void {
  processes.installSignalHandlers();
}
const { startPostgres } = load('./tools/devstack/lib/postgres.js') as { startPostgres(o: Record<string, unknown>): Promise<PostgresInstance> };
const { startTemporalDevServer } = load('./tools/devstack/lib/temporal-server.js') as { startTemporalDevServer(o: Record<string, unknown>): Promise<TemporalInstance> };
const { ensureTemporalCli } = load('./tools/devstack/lib/temporal-cli.js') as { ensureTemporalCli(o: Record<string, unknown>): Promise<string> };
const { ensureTemporalServerBinaries } = load('./tools/devstack/lib/temporal-server-binaries.js') as { ensureTemporalServerBinaries(o: Record<string, unknown>): Promise<unknown> };
const { startTemporalCluster } = load('./tools/devstack/lib/temporal-cluster.js') as { startTemporalCluster(o: Record<string, unknown>): Promise<TemporalCluster> };
const { engineSettings } = load('./tools/devstack/lib/stack-config.js') as { engineSettings(env: NodeJS.ProcessEnv): EngineSettings };
const { freePort } = load('./tools/devstack/lib/ports.js') as { freePort(): Promise<number> };
const { codecKeysOf } = load('./tools/devstack/lib/stack-secrets.js') as { codecKeysOf(dataDir: string, given?: string): string };
const { run } = load('./tools/devstack/lib/exec.js') as {
  run(command: string, args: string[], o: Record<string, unknown>): Promise<{ code: number | null; stdout: string; stderr: string }>;
};

/** `temporal` is the dev server or every process of the Temporal server; `temporal-history` the history service alone (server engine, split). */
export type Component = 'worker' | 'api' | 'temporal' | 'temporal-history' | 'postgres';
export const COMPONENTS: Component[] = ['worker', 'api', 'temporal', 'temporal-history', 'postgres'];

export interface StackOptions {
  dataDir: string;
  apis: number;
  workers: number;
  /** Extra environment of the API and worker processes. */
  env?: Record<string, string>;
  log?: (line: string) => void;
}

/** A supervised API or worker process: restarted when it dies, unless we are stopping. */
class AppProcess {
  handle: ServiceHandle | null = null;
  restarts = 0;
  private stopping = false;
  private killing = false;

  constructor(
    readonly name: string,
    private readonly script: string,
    private readonly env: Record<string, string>,
    private readonly logFile: string,
    private readonly onCrash: (name: string, exit: ExitInfo) => void,
  ) {}

  start(): void {
    this.handle = processes.spawnService(this.name, process.execPath, [join(ROOT, this.script)], {
      env: this.env,
      cwd: ROOT,
      logFile: this.logFile,
      onUnexpectedExit: (_name: string, exit: ExitInfo) => {
        if (this.stopping || this.killing) return;
        // Died on its own (e.g. lost its database at start-up): a supervisor restarts it.
        this.onCrash(this.name, exit);
        this.restarts += 1;
        setTimeout(() => !this.stopping && this.start(), 500).unref();
      },
    });
  }

  get pid(): number | undefined {
    return this.handle?.child.pid;
  }

  async kill(signal: 'SIGKILL' | 'SIGTERM' = 'SIGKILL', graceMs = 30_000): Promise<ExitInfo | null> {
    if (!this.handle) return null;
    this.killing = true;
    try {
      return await this.handle.stop(signal, graceMs);
    } finally {
      this.killing = false;
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.handle?.stop('SIGTERM', 30_000);
  }
}

export class ChaosStack {
  databaseUrl = '';
  temporalAddress = '';
  apiUrls: string[] = [];
  readonly apis: AppProcess[] = [];
  readonly workers: AppProcess[] = [];
  /** Processes that died without being killed by us. */
  readonly crashes: { name: string; at: string; exit: ExitInfo }[] = [];
  taskQueue = 'appraise-evaluations';
  readonly engine: EngineSettings = engineSettings(process.env);
  private pg: PostgresInstance | null = null;
  private temporal: TemporalInstance | null = null;
  private cluster: TemporalCluster | null = null;
  private appEnv: Record<string, string> = {};
  private pgPort = 0;
  private temporalPort = 0;
  private cliPath = '';
  private searchAttributes: Record<string, string> = {};
  private readonly log: (line: string) => void;

  constructor(private readonly options: StackOptions) {
    this.log = options.log ?? (() => undefined);
  }

  get logsDir(): string {
    return join(this.options.dataDir, 'logs');
  }

  /** The run's payload keys (TEMPORAL_CODEC_KEYS): the processes encrypt as `npm start` does, and the checks decode with them. */
  get codecKeys(): string {
    return codecKeysOf(this.options.dataDir, this.options.env?.TEMPORAL_CODEC_KEYS);
  }

  /** What this stack's engine lets the run kill (the history service alone only in a split server). */
  get components(): Component[] {
    return COMPONENTS.filter((c) => c !== 'temporal-history' || (this.engine.engine === 'server' && this.engine.services === 'split'));
  }

  /** How the checks reach Temporal: as the API and worker processes do. */
  get temporalSecurity(): TemporalSecurity {
    const { address, tls, codecKeys } = loadConfig(this.appEnv).temporal;
    return { address, tls, codecKeys };
  }

  async start(): Promise<void> {
    mkdirSync(this.logsDir, { recursive: true });
    this.pgPort = await freePort();
    this.temporalPort = await freePort();
    this.cliPath = await ensureTemporalCli({ env: process.env });
    this.searchAttributes = (load('./dist/libs/temporal/src/evaluation.contract.js') as { SEARCH_ATTRIBUTE_REGISTRATIONS: Record<string, string> })
      .SEARCH_ATTRIBUTE_REGISTRATIONS;
    await this.startPostgres();
    await this.startTemporal();
    const setup = await run(process.execPath, [join(ROOT, 'dist/tools/devstack/setup-database.js')], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: this.databaseUrl },
      timeoutMs: 180_000,
    });
    if (setup.code !== 0) throw new Error(`database setup failed: ${setup.stderr}`);

    const common = {
      ...cleanEnv(process.env),
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      DATABASE_URL: this.databaseUrl,
      TEMPORAL_ADDRESS: this.temporalAddress,
      ...(this.cluster?.clientEnv ?? {}),
      TEMPORAL_TASK_QUEUE: this.taskQueue,
      JWT_SECRET: 'chaos-secret-of-enough-length',
      TEMPORAL_CODEC_KEYS: this.codecKeys,
      ...this.options.env,
    };
    this.appEnv = common;
    const onCrash = (name: string, exit: ExitInfo) => {
      this.crashes.push({ name, at: new Date().toISOString(), exit });
      this.log(`${name} exited on its own (${exit.signal ?? `code ${exit.code}`}); restarting it`);
    };
    for (let i = 0; i < this.options.workers; i += 1) {
      const worker = new AppProcess(`worker-${i + 1}`, 'dist/apps/worker/src/main.js', common, join(this.logsDir, `worker-${i + 1}.log`), onCrash);
      worker.start();
      this.workers.push(worker);
    }
    for (let i = 0; i < this.options.apis; i += 1) {
      const port = await freePort();
      const api = new AppProcess(`api-${i + 1}`, 'dist/apps/api/src/main.js', { ...common, PORT: String(port) }, join(this.logsDir, `api-${i + 1}.log`), onCrash);
      api.start();
      this.apis.push(api);
      this.apiUrls.push(`http://127.0.0.1:${port}/api/v1`);
    }
    await Promise.all(this.apiUrls.map((url) => waitForHttp(`${url}/health`, 120_000, true)));
  }

  /** SIGKILLs one instance of the component, waits `downMs`, and brings it back. */
  async killAndRestart(component: Component, instance: number, downMs: number): Promise<void> {
    switch (component) {
      case 'worker': {
        const worker = this.workers[instance % this.workers.length];
        await worker.kill('SIGKILL');
        await sleep(downMs);
        worker.start();
        return;
      }
      case 'api': {
        const index = instance % this.apis.length;
        await this.apis[index].kill('SIGKILL');
        await sleep(downMs);
        this.apis[index].start();
        await waitForHttp(`${this.apiUrls[index]}/health`, 120_000, false);
        return;
      }
      case 'temporal':
      case 'temporal-history': {
        if (this.cluster) {
          const procs = this.cluster.processes.filter((p) => component === 'temporal' || p.services.includes('history'));
          for (const proc of procs) await proc.handle.stop('SIGKILL', 10_000);
          await sleep(downMs);
          await this.cluster.restart(procs);
          return;
        }
        await this.temporal?.handle.stop('SIGKILL', 10_000);
        await sleep(downMs);
        await this.startTemporal();
        return;
      }
      case 'postgres': {
        await this.killPostgres();
        await sleep(downMs);
        await this.startPostgres();
        return;
      }
    }
  }

  /** Stops everything gracefully, apps first. */
  async stop(): Promise<void> {
    await Promise.all([...this.apis, ...this.workers].map((p) => p.stop().catch(() => undefined)));
    await this.temporal?.stop().catch(() => undefined);
    await this.cluster?.stop().catch(() => undefined);
    await this.pg?.stop().catch(() => undefined);
    await processes.stopAll();
  }

  private async startPostgres(): Promise<void> {
    this.pg = await startPostgres({
      dataDir: join(this.options.dataDir, 'postgres'),
      port: this.pgPort,
      logFile: join(this.logsDir, 'postgres.log'),
      env: process.env,
    });
    this.databaseUrl = this.pg.url;
  }

  private async startTemporal(): Promise<void> {
    if (this.engine.engine === 'server') {
      this.cluster = await startTemporalCluster({
        binaries: await ensureTemporalServerBinaries({ env: process.env }),
        cliPath: this.cliPath,
        postgres: this.pg,
        dataDir: this.options.dataDir,
        port: this.temporalPort,
        derivePorts: false,
        shards: this.engine.shards,
        services: this.engine.services,
        namespace: 'default',
        searchAttributes: this.searchAttributes,
        env: process.env,
        onUnexpectedExit: (name: string, exit: ExitInfo) => this.log(`${name} exited on its own (${exit.signal ?? exit.code})`),
      });
      this.temporalAddress = this.cluster.address;
      return;
    }
    this.temporal = await startTemporalDevServer({
      cliPath: this.cliPath,
      port: this.temporalPort,
      uiPort: null,
      dbFile: join(this.options.dataDir, 'temporal', 'temporal.sqlite'),
      namespace: 'default',
      searchAttributes: this.searchAttributes,
      durable: this.engine.devSqliteDurable,
      logFile: join(this.logsDir, 'temporal.log'),
      env: process.env,
      verbose: false,
      onUnexpectedExit: (_name: string, exit: ExitInfo) => this.log(`temporal exited on its own (${exit.signal ?? exit.code})`),
    });
    this.temporalAddress = this.temporal.address;
  }

  /**
   * kill -9 of the postmaster, as a crash would. Its backends notice the postmaster's death and
   * exit; the restart waits for them (they still hold the shared memory) before starting again.
   */
  private async killPostgres(): Promise<void> {
    const dataDir = join(this.options.dataDir, 'postgres');
    const pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    const children = childrenOf(pid);
    process.kill(pid, 'SIGKILL');
    const deadline = Date.now() + 60_000;
    while ([pid, ...children].some(alive)) {
      if (Date.now() > deadline) throw new Error(`PostgreSQL processes still alive 60 s after the postmaster's SIGKILL`);
      await sleep(100);
    }
  }
}

/** Our own settings must not leak into the child processes from the parent's environment. */
function cleanEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined || /^(APPRAISE_TEST_|CHAOS_|JEST_)/.test(key)) continue;
    out[key] = value;
  }
  return out;
}

function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const entry of safeReaddir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** Alive and not a zombie. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]$/.test(stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3));
  } catch {
    return false;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Waits until the URL answers (any status, or 200 when `healthy`). */
export async function waitForHttp(url: string, timeoutMs: number, healthy: boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      await res.text();
      if (!healthy || res.status === 200) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs / 1000}s`);
    await sleep(200);
  }
}
