import type { EntityManager } from 'typeorm';
import { managerOf, type Db } from '../repositories/db';

export const MAIL_STATUSES = ['pending', 'sent', 'failed'] as const;
export type MailStatus = (typeof MAIL_STATUSES)[number];

/** One message to one person, as queued. */
export interface NewMail {
  eventKey: string;
  eventType: string;
  proposalId: string | null;
  recipientId: string;
  recipientEmail: string;
  language: string;
  messageId: string;
  subject: string;
  body: string;
}

export interface OutboxMail extends NewMail {
  id: string;
  status: MailStatus;
  attempts: number;
  nextAttemptAt: Date;
  lastError: string | null;
  createdAt: Date;
  sentAt: Date | null;
}

interface Row {
  id: string;
  event_key: string;
  event_type: string;
  proposal_id: string | null;
  recipient_id: string;
  recipient_email: string;
  language: string;
  message_id: string;
  subject: string;
  body: string;
  status: MailStatus;
  attempts: number;
  next_attempt_at: Date;
  last_error: string | null;
  created_at: Date;
  sent_at: Date | null;
}

function fromRow(r: Row): OutboxMail {
  return {
    id: String(r.id),
    eventKey: r.event_key,
    eventType: r.event_type,
    proposalId: r.proposal_id,
    recipientId: r.recipient_id,
    recipientEmail: r.recipient_email,
    language: r.language,
    messageId: r.message_id,
    subject: r.subject,
    body: r.body,
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    lastError: r.last_error,
    createdAt: r.created_at,
    sentAt: r.sent_at,
  };
}

/** A claimed message is not claimed again for this long: a dispatcher that died mid-send is retried after it. */
const CLAIM_LEASE_SECONDS = 120;
/** Attempts before a message is given up as failed (backoff capped at an hour: about a day). */
export const MAIL_MAX_ATTEMPTS = 30;

/** The wait after the n-th failed attempt: 5 s, 10 s, 20 s ... capped at an hour. */
export function mailBackoffSeconds(attempts: number): number {
  return Math.min(3600, 5 * 2 ** Math.max(0, attempts - 1));
}

/**
 * The mail outbox (README "Mail"). The evaluation ledger queues in its own transactions; the
 * worker's dispatcher claims due messages (FOR UPDATE SKIP LOCKED, so several workers share
 * the queue without sending one message twice at once), then marks each sent or failed.
 */
export class MailOutboxRepository {
  private readonly db: EntityManager;

  constructor(db: Db) {
    this.db = managerOf(db);
  }

  /** Queues the messages; one already queued for the same event and recipient is left as it is. */
  async enqueue(mails: readonly NewMail[]): Promise<number> {
    let queued = 0;
    for (const m of mails) {
      const rows: unknown[] = await this.db.query(
        `INSERT INTO mail_outbox (event_key, event_type, proposal_id, recipient_id, recipient_email, language, message_id, subject, body)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT DO NOTHING RETURNING id`,
        [m.eventKey, m.eventType, m.proposalId, m.recipientId, m.recipientEmail, m.language, m.messageId, m.subject, m.body],
      );
      queued += rows.length;
    }
    return queued;
  }

  /** Up to `limit` due messages, leased to the caller: each attempt is counted when claimed. */
  async claimDue(limit: number): Promise<OutboxMail[]> {
    const [rows]: [Row[], number] = await this.db.query(
      `UPDATE mail_outbox SET attempts = attempts + 1, next_attempt_at = now() + make_interval(secs => $2)
       WHERE id IN (SELECT id FROM mail_outbox WHERE status = 'pending' AND next_attempt_at <= now()
                    ORDER BY next_attempt_at, id LIMIT $1 FOR UPDATE SKIP LOCKED)
       RETURNING *`,
      [limit, CLAIM_LEASE_SECONDS],
    );
    return rows.map(fromRow).sort((a, b) => Number(a.id) - Number(b.id));
  }

  async markSent(id: string): Promise<void> {
    await this.db.query(`UPDATE mail_outbox SET status = 'sent', sent_at = now(), last_error = NULL WHERE id = $1`, [id]);
  }

  /**
   * A failed attempt: tried again after the backoff, or given up (`failed`) when the server
   * refused it for good or the attempts ran out.
   */
  async markAttemptFailed(id: string, attempts: number, error: string, permanent: boolean): Promise<MailStatus> {
    const status: MailStatus = permanent || attempts >= MAIL_MAX_ATTEMPTS ? 'failed' : 'pending';
    await this.db.query(`UPDATE mail_outbox SET status = $2, last_error = $3, next_attempt_at = now() + make_interval(secs => $4) WHERE id = $1`, [
      id,
      status,
      error.slice(0, 2_000),
      mailBackoffSeconds(attempts),
    ]);
    return status;
  }

  /** For admins: the newest first, optionally of one status. */
  async list(filter: { status?: MailStatus; page: number; pageSize: number }): Promise<{ items: OutboxMail[]; total: number }> {
    const where = filter.status ? 'WHERE status = $1' : '';
    const params: unknown[] = filter.status ? [filter.status] : [];
    const [{ count }]: { count: string }[] = await this.db.query(`SELECT count(*) FROM mail_outbox ${where}`, params);
    const rows: Row[] = await this.db.query(
      `SELECT * FROM mail_outbox ${where} ORDER BY created_at DESC, id DESC LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, filter.pageSize, (filter.page - 1) * filter.pageSize],
    );
    return { items: rows.map(fromRow), total: Number(count) };
  }

  /** Every message of an event (tests and the admin's look at one event). */
  async forEvent(eventKey: string): Promise<OutboxMail[]> {
    const rows: Row[] = await this.db.query(`SELECT * FROM mail_outbox WHERE event_key = $1 ORDER BY id`, [eventKey]);
    return rows.map(fromRow);
  }
}
