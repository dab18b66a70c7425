/**
 * Phase 2, the whole system: simulated users drive complete MEDIUM evaluations through the HTTP
 * API as the demo users would, from `POST /proposals` to the outcome. Each lane plays one
 * evaluation at a time: the agency drafts and submits; the technical and the finance reviewer
 * find their task in their inbox, open it, claim it and decide, at the same time; then the
 * digital head and the budget director, in turn. Every request's latency is recorded by
 * endpoint, and so is the time from a decision's 200 to the next task in the next inbox.
 */
import { Recorder, summarize, throttled, type Summary } from './stats';
import { mediumProposal } from './proposal';

export interface SystemOptions {
  baseUrl: string;
  concurrency: number;
  seconds: number;
  maxEvaluations: number;
  log: (line: string) => void;
  label: string;
}

export interface SystemResult {
  evaluations: number;
  seconds: number;
  evaluationsPerSecond: number;
  failures: number;
  /** Decisions sent again after a 503 (the engine did not answer within TEMPORAL_COMMAND_TIMEOUT_MS). */
  decisionsRetriedAfter503: number;
  endpoints: Record<string, Summary>;
  /** From a decision's 200 to the next task in the next actor's inbox. */
  nextTaskVisible: Summary;
  /** From the submit's 202 to both review tasks in the reviewers' inboxes. */
  submitToReviewTasks: Summary;
  evaluation: Summary;
  /** Proposal ids of completed evaluations (the last few), to look at their histories. */
  sampleProposalIds: string[];
}

interface Response {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

type Who = 'agency' | 'agency2' | 'technical' | 'finance' | 'head' | 'budget';
const USERS: Record<Who, string> = {
  agency: 'ana.torres@minsal.example',
  agency2: 'bruno.diaz@mineduc.example',
  technical: 'carla.rojas@digital.example',
  finance: 'elena.vera@hacienda.example',
  head: 'gabriela.pinto@digital.example',
  budget: 'hector.lagos@hacienda.example',
};

class UnexpectedStatus extends Error {}

export class ApiDriver {
  readonly recorder = new Recorder();
  private tokens = {} as Record<Who, string>;

  constructor(private readonly baseUrl: string) {}

  async login(password = 'demo-password'): Promise<void> {
    for (const [who, email] of Object.entries(USERS) as [Who, string][]) {
      const res = await this.call(null, null, 'POST', '/auth/token', { email, password });
      if (res.status !== 200) throw new Error(`login of ${email} failed: ${res.status} ${JSON.stringify(res.body)}`);
      this.tokens[who] = res.body.accessToken;
    }
  }

  token(who: Who): string {
    return this.tokens[who];
  }

  /** `name` is the endpoint the latency is recorded under (none for a login). */
  async call(who: Who | null, name: string | null, method: string, path: string, body?: unknown, expect?: number): Promise<Response> {
    const at = performance.now();
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(who ? { authorization: `Bearer ${this.tokens[who]}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (name) this.recorder.add(name, performance.now() - at);
    const parsed = text ? JSON.parse(text) : undefined;
    if (expect !== undefined && res.status !== expect) throw new UnexpectedStatus(`${method} ${path}: ${res.status} (expected ${expect}) ${text.slice(0, 300)}`);
    return { status: res.status, body: parsed };
  }
}

type Task = { id: string; type: string; approvalLevel: string | null };

export async function runSystem(o: SystemOptions, driver?: ApiDriver): Promise<SystemResult> {
  const api = driver ?? new ApiDriver(o.baseUrl);
  if (!driver) await api.login();
  const recorder = new Recorder();
  let completed = 0;
  let failures = 0;
  let started = 0;
  const sampleProposalIds: string[] = [];
  const t0 = Date.now();
  const end = t0 + o.seconds * 1000;
  let lastDone = t0;
  const progress = throttled(5_000, () =>
    o.log(`${o.label}: ${completed} evaluations in ${((Date.now() - t0) / 1000).toFixed(0)}s (${(completed / ((Date.now() - t0) / 1000)).toFixed(2)}/s)`),
  );

  /** Polls `who`'s inbox until the task shows; returns it and when its response arrived. */
  const inbox = async (who: Who, proposalId: string, type: string, level?: string): Promise<{ task: Task; seenAt: number }> => {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const res = await api.call(who, 'GET /tasks?scope=available (inbox)', 'GET', `/tasks?scope=available&proposalId=${proposalId}`, undefined, 200);
      const task = (res.body.items as Task[]).find((t) => t.type === type && (level === undefined || t.approvalLevel === level));
      if (task) return { task, seenAt: performance.now() };
      if (Date.now() > deadline) throw new Error(`no ${type} ${level ?? ''} task for ${who} on ${proposalId} after 60 s`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  /**
   * A decision as a person sends it: a 503 (the engine did not answer in time, nothing recorded)
   * is sent again, as the problem's text asks; a 409 on a second try means the first one was
   * applied after all. Returns the proposal's status after it.
   */
  let retried = 0;
  const decide = async (who: Who, proposalId: string, taskId: string, body: unknown): Promise<string> => {
    for (let attempt = 1; ; attempt += 1) {
      const res = await api.call(who, 'POST /tasks/:id/decision', 'POST', `/tasks/${taskId}/decision`, body);
      if (res.status === 200) return res.body.proposal.status as string;
      if (res.status === 503 && attempt < 4) {
        retried += 1;
        continue;
      }
      if (res.status === 409 && attempt > 1) return (await api.call(who, 'GET /proposals/:id', 'GET', `/proposals/${proposalId}`, undefined, 200)).body.status as string;
      throw new UnexpectedStatus(`POST /tasks/${taskId}/decision: ${res.status} (after ${attempt} tries) ${JSON.stringify(res.body).slice(0, 300)}`);
    }
  };

  const review = async (who: Who, proposalId: string, type: 'TECHNICAL_REVIEW' | 'COST_EFFICIENCY_REVIEW', submittedAt: number) => {
    const { task, seenAt } = await inbox(who, proposalId, type);
    const detail = await api.call(who, 'GET /tasks/:id', 'GET', `/tasks/${task.id}`, undefined, 200);
    await api.call(who, 'POST /tasks/:id/claim', 'POST', `/tasks/${task.id}/claim`, undefined, 200);
    const verdicts = (detail.body.applicableStandards as { code: string }[]).map((s) => ({ standardCode: s.code, verdict: 'MEETS' }));
    const status = await decide(who, proposalId, task.id, { opinion: 'FAVOURABLE', verdicts, comment: 'Reviewed' });
    return { seenAt: seenAt - submittedAt, decidedAt: performance.now(), status };
  };

  const approve = async (who: Who, proposalId: string, level: string, previousDecisionAt: number) => {
    const { task, seenAt } = await inbox(who, proposalId, 'APPROVAL', level);
    recorder.add('nextTaskVisible', seenAt - previousDecisionAt);
    await api.call(who, 'GET /tasks/:id', 'GET', `/tasks/${task.id}`, undefined, 200);
    await api.call(who, 'POST /tasks/:id/claim', 'POST', `/tasks/${task.id}/claim`, undefined, 200);
    const status = await decide(who, proposalId, task.id, { decision: 'APPROVE', comment: 'Approved' });
    return { decidedAt: performance.now(), status };
  };

  const evaluation = async (n: number) => {
    const at = performance.now();
    const agency: Who = n % 2 ? 'agency2' : 'agency';
    const created = await api.call(agency, 'POST /proposals', 'POST', '/proposals', mediumProposal(n), 201);
    const id = created.body.id as string;
    await api.call(agency, 'POST /proposals/:id/submit', 'POST', `/proposals/${id}/submit`, undefined, 202);
    const submittedAt = performance.now();
    const reviews = await Promise.all([review('technical', id, 'TECHNICAL_REVIEW', submittedAt), review('finance', id, 'COST_EFFICIENCY_REVIEW', submittedAt)]);
    recorder.add('submitToReviewTasks', Math.max(...reviews.map((r) => r.seenAt)));
    // The approval opens with the later of the two decisions.
    const head = await approve('head', id, 'DIGITAL_HEAD', Math.max(...reviews.map((r) => r.decidedAt)));
    await approve('budget', id, 'BUDGET_DIRECTOR', head.decidedAt);
    // The agency reads the outcome (at once after a 200; a decision sent again after a 503 may still be on its way).
    const deadline = Date.now() + 60_000;
    for (;;) {
      const closed = await api.call(agency, 'GET /proposals/:id', 'GET', `/proposals/${id}`, undefined, 200);
      if (closed.body.outcome?.status === 'APPROVED') break;
      if (Date.now() > deadline) throw new Error(`${id} shows outcome ${JSON.stringify(closed.body.outcome?.status)}, not APPROVED`);
      await new Promise((r) => setTimeout(r, 100));
    }
    recorder.add('evaluation', performance.now() - at);
    sampleProposalIds.push(id);
    if (sampleProposalIds.length > 5) sampleProposalIds.shift();
  };

  const lane = async () => {
    while (Date.now() < end && started < o.maxEvaluations) {
      started += 1;
      try {
        await evaluation(started);
        completed += 1;
        lastDone = Date.now();
      } catch (error) {
        failures += 1;
        o.log(`${o.label}: evaluation failed: ${error instanceof Error ? error.message : String(error)}`);
        // Failures are counted and reported; only a run that mostly fails stops.
        if (failures > 10 && failures > completed) throw error;
      }
      progress();
    }
  };
  await Promise.all(Array.from({ length: o.concurrency }, lane));
  const seconds = (lastDone - t0) / 1000;
  return {
    evaluations: completed,
    seconds: Math.round(seconds * 10) / 10,
    evaluationsPerSecond: Math.round((completed / seconds) * 100) / 100,
    failures,
    decisionsRetriedAfter503: retried,
    endpoints: api.recorder.summaries(),
    nextTaskVisible: summarize(recorder.all('nextTaskVisible')),
    submitToReviewTasks: summarize(recorder.all('submitToReviewTasks')),
    evaluation: summarize(recorder.all('evaluation')),
    sampleProposalIds,
  };
}
