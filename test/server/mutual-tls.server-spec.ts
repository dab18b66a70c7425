import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { temporalConnectionOptions } from '../../libs/temporal';
import { ensureStackTls } from '../../tools/devstack/lib/stack-tls';
import { testTemporalSecurity } from '../support/test-env';

/**
 * The server engine's frontend answers only the holders of the stack's client certificate: what
 * keeps a forged decision out of a workflow is that nothing else reaches it. Checked with both
 * client stacks of the SDK, the API's (grpc-js) and the worker's (Rust core).
 */
describe('the Temporal server engine (mutual TLS)', () => {
  jest.setTimeout(60_000);
  const security = testTemporalSecurity();
  const tls = security.tls;
  const connectTimeout = 5_000;

  let otherStack: string;
  beforeAll(() => {
    otherStack = mkdtempSync(join(tmpdir(), 'appraise-other-ca-'));
  });
  afterAll(() => rmSync(otherStack, { recursive: true, force: true }));

  it('gives the clients its mutual-TLS files', () => {
    expect(tls).not.toBeNull();
  });

  it('is the Temporal server on PostgreSQL, and answers a client with the certificate', async () => {
    const connection = await Connection.connect({ ...temporalConnectionOptions(security), connectTimeout });
    try {
      const info = await connection.workflowService.getClusterInfo({});
      expect(info.serverVersion).toBe('1.29.1');
      expect(info.persistenceStore).toBe('postgres12');
      expect(info.visibilityStore).toMatch(/postgres/);
    } finally {
      await connection.close();
    }
    const native = await NativeConnection.connect(temporalConnectionOptions(security));
    try {
      expect((await native.workflowService.getSystemInfo({})).serverVersion).toBe('1.29.1');
    } finally {
      await native.close();
    }
  });

  it('refuses a plain gRPC client', async () => {
    await expect(Connection.connect({ address: security.address, connectTimeout })).rejects.toThrow();
    await expect(NativeConnection.connect({ address: security.address })).rejects.toThrow();
  });

  /** Trusts the server as the stack's clients do; presents the given certificate, if any. */
  const serverTrust = () => ({ serverRootCACertificate: readFileSync(tls!.caFile), serverNameOverride: tls!.serverName ?? undefined });

  it('refuses a TLS client that trusts the server but presents no certificate', async () => {
    await expect(Connection.connect({ address: security.address, tls: serverTrust(), connectTimeout })).rejects.toThrow();
    await expect(NativeConnection.connect({ address: security.address, tls: serverTrust() })).rejects.toThrow();
  });

  it("refuses a client certificate of another stack's CA", async () => {
    const other = ensureStackTls(otherStack).files;
    const clientCertPair = { crt: readFileSync(other.client), key: readFileSync(other.clientKey) };
    await expect(Connection.connect({ address: security.address, tls: { ...serverTrust(), clientCertPair }, connectTimeout })).rejects.toThrow();
    await expect(NativeConnection.connect({ address: security.address, tls: { ...serverTrust(), clientCertPair } })).rejects.toThrow();
  });
});
