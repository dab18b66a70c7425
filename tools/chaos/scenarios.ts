/**
 * The evaluations a chaos run drives, one script per route of the process, and the client that
 * plays every person of the route over HTTP until the evaluation reaches its outcome.
 */
import { computeTier, DEFAULT_POLICY, type ProposalData, type Tier, isClosedStatus } from '../../libs/domain';
import { hospitalProposal } from '../../libs/domain/src/testing/proposal.factory';
import { type ChaosHttp, type Reply } from './client';

export const ROUTES = ['low-approved', 'medium-approved', 'medium-conditions', 'changes-answered', 'rejected', 'withdrawn', 'committee'] as const;
export type Route = (typeof ROUTES)[number];

/** What each script intends the evaluation to end in. */
export const INTENDED: Record<Route, { outcome: string; tier: Tier }> = {
  'low-approved': { outcome: 'APPROVED', tier: 'LOW' },
  'medium-approved': { outcome: 'APPROVED', tier: 'MEDIUM' },
  'medium-conditions': { outcome: 'APPROVED_WITH_CONDITIONS', tier: 'MEDIUM' },
  'changes-answered': { outcome: 'APPROVED', tier: 'MEDIUM' },
  rejected: { outcome: 'REJECTED', tier: 'MEDIUM' },
  withdrawn: { outcome: 'WITHDRAWN', tier: 'MEDIUM' },
  committee: { outcome: 'APPROVED', tier: 'HIGH' },
};


export const PEOPLE = {
  ana: 'ana.torres@minsal.example',
  bruno: 'bruno.diaz@mineduc.example',
  carla: 'carla.rojas@digital.example',
  elena: 'elena.vera@hacienda.example',
  gabriela: 'gabriela.pinto@digital.example',
  hector: 'hector.lagos@hacienda.example',
  irene: 'irene.fuentes@hacienda.example',
  jorge: 'jorge.paredes@digital.example',
  karen: 'karen.silva@segpres.example',
  maria: 'maria.nunez@dipres.example',
} as const;
export type Person = keyof typeof PEOPLE;
export interface Session {
  person: Person;
  id: string;
  token: string;
}

/** Who plays each single-person stage (separation of duties: one stage each). */
const STAGE_PLAYER: Record<string, Person> = { TECHNICAL_REVIEW: 'carla', COST_EFFICIENCY_REVIEW: 'elena', DIGITAL_HEAD: 'gabriela', BUDGET_DIRECTOR: 'hector' };
/** Committee seats voted in each round: the quorum, and no more. */
const COMMITTEE_VOTES = 2;

/** How a route's proposal differs from the hospital one (MEDIUM): smaller and internal (LOW), or novel (HIGH). */
function routeVariant(route: Route): Partial<ProposalData> {
  switch (route) {
    case 'low-approved':
      return {
        citizenFacing: false,
        handlesPersonalData: false,
        handlesProcedures: false,
        costs: [
          { year: 1, kind: 'CAPEX', category: 'DEVELOPMENT', description: 'Build', amount: 20_000_000 },
          ...[1, 2, 3].map((year) => ({ year, kind: 'OPEX' as const, category: 'HOSTING' as const, description: 'Hosting', amount: 2_000_000 })),
        ],
        horizonYears: 3,
        benefits: [2, 3].map((year) => ({ year, description: 'Staff hours saved', amount: 20_000_000 })),
      };
    case 'committee':
      return { risk: { novelTechnology: true, securityCritical: false, identityComponent: false } };
    case 'medium-approved':
    case 'medium-conditions':
    case 'changes-answered':
    case 'rejected':
    case 'withdrawn':
      return {};
  }
}

export function proposalFor(route: Route, n: number): ProposalData {
  const data = hospitalProposal({ title: `Chaos evaluation ${n} (${route})`, ...routeVariant(route) });
  const tier = computeTier(data, DEFAULT_POLICY).tier;
  if (tier !== INTENDED[route].tier) throw new Error(`the ${route} proposal is ${tier}, not ${INTENDED[route].tier}`);
  return data;
}

interface TaskRow {
  id: string;
  type: string;
  approvalLevel: string | null;
  status: string;
  assigneeId: string | null;
}
interface ProposalBody {
  id: string;
  status: string;
  tier: string | null;
  currentVersion: number;
  openTasks: TaskRow[];
  outcome: { status: string } | null;
}
interface Problem {
  code?: string;
  detail?: string;
}

export interface DecisionMade {
  taskId: string;
  person: Person;
  type: string;
  level: string | null;
  /** How the client learnt it took effect: its own 200, an ALREADY_DECIDED answer, or reading the task. */
  via: 'ok' | 'already-decided' | 'read-back';
}

export interface EvaluationResult {
  n: number;
  route: Route;
  intended: string;
  proposalId: string | null;
  outcome: string | null;
  decisions: DecisionMade[];
  responded: number;
  withdrawn: boolean;
  /** Answers a client under failures should never see (a 4xx that the script did not provoke). */
  anomalies: string[];
  /** 409s after an uncertain attempt, resolved by reading the state. */
  verifiedConflicts: number;
  error: string | null;
  seconds: number;
}

export class EvaluationDriver {
  private readonly result: EvaluationResult;
  private readonly started = Date.now();
  private changesAsked = false;
  private submitter: Session;

  constructor(
    private readonly http: ChaosHttp,
    private readonly sessions: Record<Person, Session>,
    private readonly runId: string,
    n: number,
    private readonly route: Route,
    private readonly pollMs: number,
  ) {
    this.result = { n, route, intended: INTENDED[route].outcome, proposalId: null, outcome: null, decisions: [], responded: 0, withdrawn: false, anomalies: [], verifiedConflicts: 0, error: null, seconds: 0 };
    this.submitter = n % 2 === 0 ? sessions.ana : sessions.bruno;
  }

  async run(): Promise<EvaluationResult> {
    try {
      const id = await this.createAndSubmit();
      this.result.proposalId = id;
      await this.drive(id);
    } catch (error) {
      this.result.error = error instanceof Error ? error.message : String(error);
    }
    this.result.seconds = Math.round((Date.now() - this.started) / 100) / 10;
    return this.result;
  }

  private key(step: string): string {
    return `chaos-${this.runId}-${this.result.n}-${step}`;
  }

  private async createAndSubmit(): Promise<string> {
    const created = await this.http.call<{ id: string } & Problem>('POST', '/proposals', {
      token: this.submitter.token,
      body: proposalFor(this.route, this.result.n),
      headers: { 'idempotency-key': this.key('create') },
    });
    if (created.status !== 201) throw new Error(`create: ${created.status} ${JSON.stringify(created.body)}`);
    const id = created.body.id;
    const submitted = await this.http.call<Problem>('POST', `/proposals/${id}/submit`, { token: this.submitter.token, headers: { 'idempotency-key': this.key('submit') } });
    if (submitted.status === 202) return id;
    if (submitted.status === 409 && submitted.uncertain) {
      this.result.verifiedConflicts += 1;
      this.result.anomalies.push(`submit answered 409 after an uncertain attempt: ${submitted.body.detail}`);
      return id;
    }
    throw new Error(`submit: ${submitted.status} ${JSON.stringify(submitted.body)}`);
  }

  private async drive(id: string): Promise<void> {
    for (;;) {
      const proposal = await this.read(id);
      if (isClosedStatus(proposal.status)) {
        this.result.outcome = proposal.status;
        return;
      }
      if (this.route === 'withdrawn' && !this.result.withdrawn && proposal.status === 'IN_REVIEW') {
        await this.withdraw(id);
        continue;
      }
      if (proposal.status === 'CHANGES_REQUESTED') await this.respond(id, proposal);
      // The withdrawal script decides nothing: it withdraws as soon as the reviews are open.
      if (this.route !== 'withdrawn') for (const task of this.tasksToDecide(proposal)) await this.decide(task);
      await new Promise((r) => setTimeout(r, this.pollMs * (0.5 + Math.random())));
    }
  }

  private async read(id: string): Promise<ProposalBody> {
    const res = await this.http.call<ProposalBody>('GET', `/proposals/${id}`, { token: this.submitter.token });
    if (res.status !== 200) throw new Error(`read: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  /** The open tasks this script acts on now, with who acts on each. */
  private tasksToDecide(proposal: ProposalBody): { task: TaskRow; person: Person }[] {
    const open = proposal.openTasks.filter((t) => t.status === 'OPEN' && !this.result.decisions.some((d) => d.taskId === t.id));
    const out: { task: TaskRow; person: Person }[] = [];
    const committee = open.filter((t) => t.approvalLevel === 'COMMITTEE');
    const votes = this.result.decisions.filter((d) => d.level === 'COMMITTEE').length;
    for (const task of committee.sort((a, b) => String(a.assigneeId).localeCompare(String(b.assigneeId))).slice(0, Math.max(0, COMMITTEE_VOTES - votes))) {
      const person = (Object.values(this.sessions).find((s) => s.id === task.assigneeId) ?? null)?.person;
      if (!person) {
        this.result.anomalies.push(`committee task ${task.id} assigned to an unknown person ${task.assigneeId}`);
        continue;
      }
      out.push({ task, person });
    }
    for (const task of open.filter((t) => t.approvalLevel !== 'COMMITTEE')) out.push({ task, person: STAGE_PLAYER[task.approvalLevel ?? task.type] });
    return out;
  }

  private decisionBody(task: TaskRow, codes: string[]): Record<string, unknown> {
    const verdicts = codes.map((standardCode) => ({ standardCode, verdict: 'MEETS' }));
    if (task.type === 'TECHNICAL_REVIEW') {
      if (this.route === 'changes-answered' && !this.changesAsked) {
        return { opinion: 'CHANGES_REQUESTED', verdicts, questions: ['Which platform will host the service?'], comment: 'Questions' };
      }
      if (this.route === 'medium-conditions') {
        return { opinion: 'FAVOURABLE_WITH_CONDITIONS', verdicts, conditions: [{ text: 'Security sign-off before go-live', standardCode: 'SEC-02', dueDate: '2099-06-30' }], comment: 'Sound' };
      }
      return { opinion: 'FAVOURABLE', verdicts, comment: 'Reviewed' };
    }
    if (task.type === 'COST_EFFICIENCY_REVIEW') return { opinion: 'FAVOURABLE', verdicts, comment: 'Good value' };
    if (this.route === 'rejected' && task.approvalLevel === 'DIGITAL_HEAD') return { decision: 'REJECT', comment: 'Not a priority this year' };
    return { decision: 'APPROVE', comment: 'Approved' };
  }

  private async decide({ task, person }: { task: TaskRow; person: Person }): Promise<void> {
    const who = this.sessions[person];
    const detail = await this.http.call<{ applicableStandards?: { code: string }[]; status: string } & Problem>('GET', `/tasks/${task.id}`, { token: who.token });
    if (detail.status !== 200) {
      this.result.anomalies.push(`GET task ${task.id} as ${person}: ${detail.status} ${detail.body.detail ?? ''}`);
      return;
    }
    if (detail.body.status !== 'OPEN') return; // decided or cancelled meanwhile: the next read shows which
    const body = this.decisionBody(task, (detail.body.applicableStandards ?? []).map((s) => s.code));
    const res = await this.http.call<Problem>('POST', `/tasks/${task.id}/decision`, { token: who.token, body });
    const made = (via: DecisionMade['via']) => {
      this.result.decisions.push({ taskId: task.id, person, type: task.type, level: task.approvalLevel, via });
      if (body.opinion === 'CHANGES_REQUESTED') this.changesAsked = true;
    };
    if (res.status === 200) return made('ok');
    if (res.status === 409 && res.body.code === 'ALREADY_DECIDED') return made('already-decided');
    if (res.status === 409 && res.uncertain) {
      // Did an earlier attempt go through? The task says.
      this.result.verifiedConflicts += 1;
      const after = await this.http.call<{ status: string; assigneeId: string | null }>('GET', `/tasks/${task.id}`, { token: who.token });
      if (after.body.status === 'DONE' && after.body.assigneeId === who.id) return made('read-back');
    }
    this.result.anomalies.push(`decision on ${task.type}${task.approvalLevel ? ` ${task.approvalLevel}` : ''} by ${person}: ${res.status} ${res.body.code ?? ''} ${res.body.detail ?? ''}`);
  }

  private async respond(id: string, proposal: ProposalBody): Promise<void> {
    const res = await this.http.call<Problem>('POST', `/proposals/${id}/respond`, {
      token: this.submitter.token,
      body: { response: 'Hosting moves to the certified government cloud.', changes: { summary: `Hosted on the government cloud (answer ${proposal.currentVersion}).` } },
    });
    if (res.status === 202) {
      this.result.responded += 1;
      return;
    }
    if (res.status === 409 && res.uncertain) {
      // "No answer is awaited": an earlier attempt's answer was taken. It shows as a new version
      // once the evaluation has recorded it (the projection follows the workflow).
      this.result.verifiedConflicts += 1;
      const deadline = Date.now() + 120_000;
      while (Date.now() < deadline) {
        const now = await this.read(id);
        if (now.currentVersion > proposal.currentVersion) {
          this.result.responded += 1;
          return;
        }
        await new Promise((r) => setTimeout(r, this.pollMs));
      }
    }
    this.result.anomalies.push(`respond: ${res.status} ${res.body.code ?? ''} ${res.body.detail ?? ''}`);
  }

  private async withdraw(id: string): Promise<void> {
    const res: Reply<Problem> = await this.http.call<Problem>('POST', `/proposals/${id}/withdraw`, { token: this.submitter.token, body: { reason: 'Merged into a shared platform' } });
    if (res.status === 202) {
      this.result.withdrawn = true;
      return;
    }
    if (res.status === 409 && res.uncertain) {
      this.result.verifiedConflicts += 1;
      this.result.withdrawn = true; // the next read shows whether it is WITHDRAWN
      return;
    }
    this.result.anomalies.push(`withdraw: ${res.status} ${res.body.code ?? ''} ${res.body.detail ?? ''}`);
  }
}

/** Logs in every person of the scripts (retrying like any call). */
export async function login(http: ChaosHttp): Promise<Record<Person, Session>> {
  const out = {} as Record<Person, Session>;
  for (const [person, email] of Object.entries(PEOPLE) as [Person, string][]) {
    const res = await http.call<{ accessToken: string; user: { id: string } }>('POST', '/auth/token', { body: { email, password: 'demo-password' } });
    if (res.status !== 200) throw new Error(`login of ${email}: ${res.status}`);
    out[person] = { person, id: res.body.user.id, token: res.body.accessToken };
  }
  return out;
}
