/** The public HTTP API (../shared/API.md), the only thing the interface talks to. */
import { mayReach, type ProblemDetails, type Role, type RoleAccess, type SignInOptions, type TokenResponse, type UserView } from '../../../libs/http-contract/index.js';

export const API_BASE = '/api/v1';

/** The API's problem details, or one made here when the server could not be reached at all. */
export type Problem = Pick<ProblemDetails, 'title' | 'status'> & Partial<ProblemDetails> & {
  /** A 429's or 503's Retry-After header, in seconds. */
  retryAfterSeconds?: number;
};

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title);
  }
  get status(): number {
    return this.problem.status;
  }
}

const SESSION_KEY = 'appraise.session';

interface Session {
  token: string;
  user: UserView;
}

let session: Session | null = (() => {
  try {
    const raw = sessionStorage.getItem(SESSION_KEY);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
})();

export function currentUser(): UserView | null {
  return session?.user ?? null;
}

export function hasRole(...roles: Role[]): boolean {
  return !!session && session.user.roles.some((r) => roles.includes(r));
}

/** Whether the signed-in person may reach an area of the API: the role matrix its guard applies. */
export function reaches(area: RoleAccess): boolean {
  return !!session && mayReach(session.user, area);
}

let onSignedOut: () => void = () => undefined;
/** What to do when the API says the session is over (401). */
export function whenSignedOut(handler: () => void): void {
  onSignedOut = handler;
}

export function signOut(): void {
  session = null;
  sessionStorage.removeItem(SESSION_KEY);
}

/** What the sign-in page offers: local sign-in, and the demo accounts of a development stack. */
export function signInOptions(): Promise<SignInOptions> {
  return request<SignInOptions>('GET', '/auth/options', undefined, { anonymous: true });
}

export async function signIn(email: string, password: string): Promise<UserView> {
  const body = await request<TokenResponse>('POST', '/auth/token', { email, password }, { anonymous: true });
  session = { token: body.accessToken, user: body.user };
  sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
  return body.user;
}

interface RequestOptions {
  anonymous?: boolean;
  idempotencyKey?: string;
}

async function send(method: string, path: string, body: unknown, options: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json, text/csv' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (session && !options.anonymous) headers.authorization = `Bearer ${session.token}`;
  if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
  let response: Response;
  try {
    response = await fetch(`${API_BASE}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError({ title: 'Network error', status: 0, detail: 'The server could not be reached. Check the connection and try again.' });
  }
  if (response.ok) return response;
  const problem = await readProblem(response);
  if (response.status === 401 && !options.anonymous) {
    signOut();
    onSignedOut();
  }
  throw new ApiError(problem);
}

async function readProblem(response: Response): Promise<Problem> {
  try {
    const json = (await response.json()) as Partial<Problem>;
    const retryAfter = Number(response.headers.get('retry-after'));
    return { title: json.title ?? response.statusText, status: response.status, ...json, ...(retryAfter > 0 ? { retryAfterSeconds: retryAfter } : {}) } as Problem;
  } catch {
    return { title: response.statusText || 'Error', status: response.status };
  }
}

export async function request<T>(method: string, path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
  const response = await send(method, path, body, options);
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const get = <T>(path: string) => request<T>('GET', path);
export const post = <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('POST', path, body ?? {}, options);
export const patch = <T>(path: string, body: unknown) => request<T>('PATCH', path, body);

/** Query string from the non-empty values. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const text = q.toString();
  return text ? `?${text}` : '';
}

/** Fetches a file with the session's token and hands it to the browser as a download. */
export async function download(path: string, filename: string): Promise<void> {
  const response = await send('GET', path, undefined, {});
  const blob = await response.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}
