import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { ineligibleFor } from '../../../domain';
import type { ProposalEntity, UserEntity } from '../entities';
import type { NewRecord } from '../ledger/evaluation.records';
import { ProposalsRepository } from '../repositories/proposals.repository';
import { TasksRepository } from '../repositories/tasks.repository';
import { UsersRepository } from '../repositories/users.repository';
import { MailOutboxRepository, type NewMail } from './mail-outbox.repository';
import { REQUIRES_ACTION, renderMail, type MailEvent, type MailLanguage } from './mail.messages';
import { UnsubscribeLinks } from './unsubscribe-link';

/** What queuing mail needs besides the database: where links point and how Message-IDs end. */
export interface MailSettings {
  /** PUBLIC_BASE_URL, no trailing slash. */
  baseUrl: string;
  messageIdDomain: string;
  unsubscribe: UnsubscribeLinks;
}

/**
 * The settings of a process's configuration: links under PUBLIC_BASE_URL, Message-IDs in the
 * From address's domain, unsubscribe links signed with a key derived from the token secret (so
 * the API verifies what the worker signed: both must be given the same JWT_SECRET).
 */
export function mailSettings(mail: { publicBaseUrl: string; messageIdDomain: string }, tokenSecret: string): MailSettings {
  return { baseUrl: mail.publicBaseUrl, messageIdDomain: mail.messageIdDomain, unsubscribe: new UnsubscribeLinks(tokenSecret) };
}

/**
 * The stable Message-ID of an event's message to one person: the same on every attempt, so a
 * message sent again after a crash between the server's acceptance and our commit is a copy
 * mail clients recognise.
 */
export function mailMessageId(eventKey: string, recipientId: string, domain: string): string {
  return `<${createHash('sha256').update(`${eventKey}\n${recipientId}`).digest('hex').slice(0, 32)}@${domain}>`;
}

type Audience = { event: MailEvent; people: UserEntity[] };

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/**
 * The mail a record of the decision log causes, queued in the transaction that appends it: the
 * record names the event, the users table names who is told (README "Mail": events and
 * recipients). A record appended once queues once; the outbox's unique (event, recipient) holds
 * even if this ran twice.
 */
export class RecordMail {
  private readonly users: UsersRepository;
  private readonly tasks: TasksRepository;
  private readonly proposals: ProposalsRepository;
  private readonly outbox: MailOutboxRepository;

  constructor(
    manager: EntityManager,
    private readonly settings: MailSettings,
  ) {
    this.users = new UsersRepository(manager);
    this.tasks = new TasksRepository(manager);
    this.proposals = new ProposalsRepository(manager);
    this.outbox = new MailOutboxRepository(manager);
  }

  async queueFor(record: NewRecord): Promise<void> {
    const { proposalId } = record;
    if (!proposalId) return;
    // Read once, and only for a record that tells someone: most records tell nobody.
    let pending: Promise<ProposalEntity | null> | undefined;
    const load = () => (pending ??= this.proposals.findById(proposalId));
    const audiences = await this.audiences(record, async () => (await load())?.agencyCode ?? '');
    if (!audiences.length) return;
    const proposal = await load();
    if (!proposal) return;
    const mails: NewMail[] = [];
    for (const { event, people } of audiences) {
      const optional = !REQUIRES_ACTION[event.kind];
      for (const person of people) {
        if (optional && person.mailUnsubscribed) continue;
        const language: MailLanguage = person.language === 'en' ? 'en' : 'es';
        const { subject, body } = renderMail(event, {
          proposal: { id: proposal.id, title: proposal.title },
          recipientName: person.name,
          language,
          baseUrl: this.settings.baseUrl,
          unsubscribeUrl: optional ? this.settings.unsubscribe.url(this.settings.baseUrl, person.id) : null,
        });
        mails.push({
          eventKey: record.dedupeKey,
          eventType: event.kind,
          proposalId: proposal.id,
          recipientId: person.id,
          recipientEmail: person.email,
          language,
          messageId: mailMessageId(record.dedupeKey, person.id, this.settings.messageIdDomain),
          subject,
          body,
        });
      }
    }
    await this.outbox.enqueue(mails);
  }

  /** `agency`: the proposal's agency, read only by the events that go to it. */
  private async audiences(record: NewRecord, agency: () => Promise<string>): Promise<Audience[]> {
    const d = record.data;
    switch (record.type) {
      case 'TASK_CREATED':
      case 'TASK_ASSIGNED':
      case 'REMINDER_SENT': {
        if (record.type === 'REMINDER_SENT' && d.to === 'agency') {
          return [{ event: { kind: 'AGENCY_REMINDER', dueAt: str(d.dueAt) }, people: await this.users.withRole('agency_submitter', await agency()) }];
        }
        const task = await this.tasks.findById(String(d.taskId));
        if (!task) return [];
        const facts = { taskId: task.id, taskType: task.type, approvalLevel: task.approvalLevel };
        const holder = record.type === 'TASK_ASSIGNED' ? str(d.assigneeId) : task.assigneeId;
        if (record.type === 'REMINDER_SENT') {
          const people = holder ? await this.users.activeByIds([holder]) : await this.candidates(task.id, task.proposalId);
          return [{ event: { kind: 'TASK_REMINDER', ...facts, dueAt: str(d.dueAt) ?? task.dueAt.toISOString() }, people }];
        }
        if (holder) return [{ event: { kind: 'TASK_ASSIGNED', ...facts, dueAt: task.dueAt.toISOString() }, people: await this.users.activeByIds([holder]) }];
        return [{ event: { kind: 'TASK_AVAILABLE', ...facts, dueAt: task.dueAt.toISOString() }, people: await this.candidates(task.id, task.proposalId) }];
      }
      case 'ESCALATED':
      case 'OPERATOR_ALERT': {
        const taskId = str(d.taskId) ?? (Array.isArray(d.taskIds) ? str(d.taskIds[0]) : null);
        const task = taskId ? await this.tasks.findById(taskId) : null;
        // README "Mail": every supervisor for now; supervisors per unit arrive with issue 16's second part.
        const event: MailEvent = { kind: 'TASK_ESCALATED', taskId, taskType: task?.type ?? null, approvalLevel: task?.approvalLevel ?? null, reason: str(d.reason) ?? '' };
        return [{ event, people: await this.users.withRole('supervisor') }];
      }
      case 'CHANGES_REQUESTED':
      case 'RETURNED': {
        const questions = Array.isArray(d.questions) ? (d.questions as { question?: unknown }[]).map((q) => String(q.question ?? '')) : [];
        const missing = Array.isArray(d.missing) ? (d.missing as { field?: unknown; message?: unknown }[]).map((m) => `${String(m.field)}: ${String(m.message)}`) : [];
        const event: MailEvent = { kind: 'AGENCY_REQUEST', returned: record.type === 'RETURNED', questions, missing, dueAt: str(d.dueAt) };
        return [{ event, people: await this.users.withRole('agency_submitter', await agency()) }];
      }
      case 'OUTCOME': {
        const deciders = (await this.tasks.forProposal(record.proposalId as string)).map((t) => t.decidedBy).filter((id): id is string => Boolean(id));
        const people = new Map<string, UserEntity>();
        for (const p of [...(await this.users.withRole('agency_submitter', await agency())), ...(await this.users.activeByIds([...new Set(deciders)]))]) people.set(p.id, p);
        return [{ event: { kind: 'OUTCOME', status: str(d.status) ?? '' }, people: [...people.values()] }];
      }
      // Nobody is told: the actor knows, or the next event (a task, an outcome) tells.
      case 'SUBMITTED':
      case 'VERSION_CREATED':
      case 'SCREENED':
      case 'TRIAGED':
      case 'TASK_CLAIMED':
      case 'DECISION_RECORDED':
      case 'TASK_CANCELLED':
      case 'RESPONDED':
      case 'WITHDRAWN':
      case 'LAPSED':
      case 'ADMIN_USER_CREATED':
      case 'ADMIN_USER_UPDATED':
      case 'ADMIN_USER_DISABLED':
      case 'ADMIN_USER_ENABLED':
      case 'ADMIN_PASSWORD_RESET':
      case 'ADMIN_AGENCY_CREATED':
      case 'CATALOGUE_PUBLISHED':
      case 'POLICY_PUBLISHED':
      case 'USER_PROVISIONED':
      case 'USER_UPDATED_BY_PROVIDER':
      case 'IDENTITY_LINKED':
      case 'IDENTITY_UNLINKED':
        return [];
    }
  }

  /** Who may take the task now: its role (and level), not of the proposal's agency, not excluded by separation of duties. */
  private async candidates(taskId: string, proposalId: string): Promise<UserEntity[]> {
    const all = await this.tasks.forProposal(proposalId);
    const task = all.find((t) => t.id === taskId);
    if (!task) return [];
    return this.users.eligibleFor({
      role: task.candidateRole,
      approvalLevel: task.approvalLevel,
      notAgency: task.agencyCode,
      excludedIds: ineligibleFor(task, all),
    });
  }
}
