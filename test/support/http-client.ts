/** A small JSON client over fetch for end-to-end tests. */
export interface HttpResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export class ApiClient {
  constructor(
    readonly baseUrl: string,
    private readonly token?: string,
  ) {}

  as(token: string): ApiClient {
    return new ApiClient(this.baseUrl, token);
  }

  /** The same caller against another API process. */
  withBaseUrl(baseUrl: string): ApiClient {
    return new ApiClient(baseUrl, this.token);
  }

  async login(email: string, password = 'demo-password'): Promise<ApiClient> {
    const res = await this.request('POST', '/auth/token', { email, password });
    if (res.status !== 200) throw new Error(`login of ${email} failed: ${res.status} ${JSON.stringify(res.body)}`);
    return this.as(res.body.accessToken as string);
  }

  get<T = any>(path: string): Promise<HttpResponse<T>> {
    return this.request('GET', path);
  }
  post<T = any>(path: string, body?: unknown, headers?: Record<string, string>): Promise<HttpResponse<T>> {
    return this.request('POST', path, body, headers);
  }
  patch<T = any>(path: string, body?: unknown): Promise<HttpResponse<T>> {
    return this.request('PATCH', path, body);
  }
  put<T = any>(path: string, body?: unknown): Promise<HttpResponse<T>> {
    return this.request('PUT', path, body);
  }

  /** `body` as a string or bytes is sent as-is (for malformed JSON); anything else is JSON-encoded. */
  async request<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpResponse<T>> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, headers: res.headers, body: parsed as T };
  }
}

/** Polls until `check` returns a value, or fails with the last observation after the deadline. */
export async function eventually<T>(check: () => Promise<T | undefined>, { timeoutMs = 20_000, intervalMs = 100, what = 'condition' } = {}): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Runs `assertion` until it passes; after the deadline, fails with its last failure. */
export async function eventuallyExpect(assertion: () => Promise<void>, { timeoutMs = 20_000, what = 'the assertion to pass' } = {}): Promise<void> {
  let failure: unknown;
  try {
    await eventually(
      async () => {
        try {
          await assertion();
          return true;
        } catch (error) {
          failure = error;
          return undefined;
        }
      },
      { timeoutMs, what },
    );
  } catch (timeout) {
    throw failure ?? timeout;
  }
}

/** The engine did not confirm the command (`what`, named in a failure): 503 with Retry-After and code ENGINE_UNAVAILABLE. */
export function expectEngineUnavailable(res: HttpResponse, what = 'the command'): void {
  expect({ what, status: res.status, retryAfter: res.headers.get('retry-after'), body: res.body }).toMatchObject({
    what,
    status: 503,
    retryAfter: '5',
    body: { code: 'ENGINE_UNAVAILABLE', correlationId: expect.any(String) },
  });
}

/**
 * Sends a command again while it answers 503, as a client would once the engine is back (a
 * restarted worker gets the evaluations' work after their old sticky queue times out).
 */
export function untilAnswered(send: () => Promise<HttpResponse>, what: string): Promise<HttpResponse> {
  return eventually(
    async () => {
      const res = await send();
      return res.status === 503 ? undefined : res;
    },
    { timeoutMs: 30_000, intervalMs: 500, what },
  );
}
