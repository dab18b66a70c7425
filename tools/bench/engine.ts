/**
 * How the bench's own clients and the floor's worker reach the engine: its address, and the
 * engine's TEMPORAL_TLS_* files and codec keys from the environment (bench.js hands over what the
 * engine needs, as start.js does to the API and worker), parsed as the processes parse them.
 */
import { loadConfig } from '../../libs/config';
import type { TemporalSecurity } from '../../libs/temporal';

export function benchTemporal(env: NodeJS.ProcessEnv, address: string): TemporalSecurity {
  const { tls, codecKeys } = loadConfig({ ...env, NODE_ENV: 'test', DATABASE_URL: env.BENCH_DATABASE_URL ?? '', TEMPORAL_ADDRESS: address }).temporal;
  return { address, tls, codecKeys };
}
