import { createTransport, type Transporter } from 'nodemailer';
import type { MailConfig } from '../../../libs/config';
import { JsonLogger } from '../../../libs/logging';
import type { MailOutboxRepository, OutboxMail } from '../../../libs/persistence';

/** Messages claimed per round; a round sends them one after the other. */
const BATCH = 20;

/**
 * Sends the mail outbox through SMTP (README "Mail"), apart from every evaluation: a loop in
 * the worker process claims due messages, sends each with its stable Message-ID, and marks it
 * sent, or failed for a retry after a backoff. A mail server that is down only delays mail:
 * activities never wait for it. Delivery is at least once: a crash after the server accepted a
 * message and before it was marked sent sends it again, with the same Message-ID.
 */
export class MailDispatcher {
  private readonly log = new JsonLogger('MailDispatcher');
  private readonly transport: Transporter;
  private timer: NodeJS.Timeout | null = null;
  private round: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly outbox: MailOutboxRepository,
    private readonly config: MailConfig & { smtpUrl: string },
  ) {
    this.transport = createTransport({ url: config.smtpUrl, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 });
  }

  start(): void {
    this.log.info('mail dispatcher started', { smtp: redacted(this.config.smtpUrl), everyMs: this.config.dispatchIntervalMs });
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.round;
    this.transport.close();
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.round = this.sendDue()
        .catch((error: unknown) => this.log.warn('mail round failed', { error: error instanceof Error ? error.message : String(error) }))
        .then((sentAll) => this.schedule(sentAll === false ? 0 : this.config.dispatchIntervalMs));
    }, delayMs);
  }

  /** One round; false when the batch was full (more may be due now). */
  async sendDue(): Promise<boolean> {
    const due = await this.outbox.claimDue(BATCH);
    for (const mail of due) {
      if (this.stopped) break; // claimed and unsent: sent after the lease by whoever runs next
      await this.send(mail);
    }
    return due.length < BATCH;
  }

  private async send(mail: OutboxMail): Promise<void> {
    try {
      await this.transport.sendMail({ from: this.config.from, to: mail.recipientEmail, subject: mail.subject, text: mail.body, messageId: mail.messageId });
      await this.outbox.markSent(mail.id);
    } catch (error) {
      const responseCode = (error as { responseCode?: number }).responseCode;
      // 5xx: the server refused this message for good (a mailbox that does not exist); anything else is retried.
      const permanent = typeof responseCode === 'number' && responseCode >= 500 && responseCode < 600;
      const reason = error instanceof Error ? error.message : String(error);
      const status = await this.outbox.markAttemptFailed(mail.id, mail.attempts, reason, permanent);
      this.log.warn('mail not sent', { id: mail.id, eventType: mail.eventType, attempts: mail.attempts, status, reason });
    }
  }
}

function redacted(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}
