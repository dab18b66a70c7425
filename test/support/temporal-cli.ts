import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import type { TemporalSecurity } from '../../libs/temporal';
import { testTemporalSecurity } from './test-env';

/**
 * `temporal workflow show -o json` with the plain CLI on the test engine: with no codec argument,
 * what anyone with access to the engine reads. `extra` adds e.g. `--codec-endpoint`.
 */
export async function temporalWorkflowShow(workflowId: string, namespace = 'default', extra: string[] = []): Promise<string> {
  const load = createRequire(__filename);
  const { ensureTemporalCli } = load('../../tools/devstack/lib/temporal-cli.js') as { ensureTemporalCli(): Promise<string> };
  const { cliTlsFlags } = load('../../tools/devstack/lib/temporal-readiness.js') as { cliTlsFlags(tls: TemporalSecurity['tls']): string[] };
  const { address, tls } = testTemporalSecurity();
  const args = ['workflow', 'show', '--workflow-id', workflowId, '--address', address, '--namespace', namespace, '-o', 'json', ...cliTlsFlags(tls), ...extra];
  const { stdout } = await promisify(execFile)(await ensureTemporalCli(), args, { timeout: 30_000, maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

/** A history's JSON text followed by every base64 field of it decoded: where a text in clear would show. */
export function readableForms(json: string): string {
  const decoded: string[] = [];
  JSON.stringify(JSON.parse(json), (_key, value: unknown) => {
    if (typeof value === 'string' && /^[A-Za-z0-9+/]{8,}={0,2}$/.test(value)) decoded.push(Buffer.from(value, 'base64').toString('utf8'));
    return value;
  });
  return [json, ...decoded].join('\n');
}
