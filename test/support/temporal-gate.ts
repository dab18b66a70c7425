import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

/**
 * `open`: bytes flow both ways. `silent`: Temporal hears the stack, the stack never hears back
 * (a command can take effect while its answer is lost). `unreachable`: nothing gets through.
 */
export type GateMode = 'open' | 'silent' | 'unreachable';

/**
 * A TCP gate between a test stack and the Temporal server (`env: { TEMPORAL_ADDRESS: gate.address }`),
 * for the engine not answering while the API and the database do. Stopping the worker cannot
 * show that for a start: the server starts a workflow with no worker running.
 */
export class TemporalGate {
  private mode: GateMode = 'open';
  private readonly pairs = new Set<[Socket, Socket]>();

  private constructor(
    private readonly server: Server,
    readonly address: string,
  ) {}

  static async start(target: string): Promise<TemporalGate> {
    const [host, port] = [target.slice(0, target.lastIndexOf(':')), Number(target.slice(target.lastIndexOf(':') + 1))];
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const gate = new TemporalGate(server, `127.0.0.1:${(server.address() as AddressInfo).port}`);
    server.on('connection', (client) => gate.accept(client, host, port));
    return gate;
  }

  /**
   * Back to `open`, every connection that lost bytes is cut (its HTTP/2 state is broken), so the
   * clients connect again.
   */
  set(mode: GateMode): void {
    if (mode === 'open' && this.mode !== 'open') {
      for (const [client, upstream] of this.pairs) {
        client.destroy();
        upstream.destroy();
      }
      this.pairs.clear();
    }
    this.mode = mode;
  }

  async close(): Promise<void> {
    this.set('unreachable');
    this.set('open');
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket, host: string, port: number): void {
    if (this.mode === 'unreachable') {
      client.destroy();
      return;
    }
    const upstream = connect(port, host);
    const pair: [Socket, Socket] = [client, upstream];
    this.pairs.add(pair);
    client.on('data', (bytes) => {
      if (this.mode !== 'unreachable') upstream.write(bytes);
    });
    upstream.on('data', (bytes) => {
      if (this.mode === 'open') client.write(bytes);
    });
    const cut = () => {
      this.pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', cut).on('error', cut);
    upstream.on('close', cut).on('error', cut);
  }
}
