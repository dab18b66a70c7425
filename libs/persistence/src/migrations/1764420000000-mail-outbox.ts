import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Mail through an outbox (README "Mail"): the evaluation ledger writes one row per event and
 * recipient in the transaction of the record that causes it (unique on both, so an activity
 * retried after a crash queues nothing twice), with its Message-ID and its text rendered in the
 * recipient's language; the worker's dispatcher sends due rows and backs off on failure. And
 * each person's mail preferences: language, unsubscribed from optional mail.
 */
export class MailOutbox1764420000000 implements MigrationInterface {
  name = 'MailOutbox1764420000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE users
        ADD COLUMN language text NOT NULL DEFAULT 'es' CHECK (language IN ('es', 'en')),
        ADD COLUMN mail_unsubscribed boolean NOT NULL DEFAULT false`);
    await q.query(`
      CREATE TABLE mail_outbox (
        id bigserial PRIMARY KEY,
        event_key text NOT NULL,
        event_type text NOT NULL,
        proposal_id uuid,
        recipient_id uuid NOT NULL REFERENCES users (id),
        recipient_email text NOT NULL,
        language text NOT NULL,
        message_id text NOT NULL UNIQUE,
        subject text NOT NULL,
        body text NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
        attempts int NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz,
        CONSTRAINT mail_outbox_event_recipient_key UNIQUE (event_key, recipient_id)
      )`);
    // The dispatcher's claim reads only due pending rows; the admin list pages by status and age.
    await q.query(`CREATE INDEX mail_outbox_due_idx ON mail_outbox (next_attempt_at) WHERE status = 'pending'`);
    await q.query(`CREATE INDEX mail_outbox_status_created_idx ON mail_outbox (status, created_at DESC, id DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE mail_outbox`);
    await q.query(`ALTER TABLE users DROP COLUMN mail_unsubscribed, DROP COLUMN language`);
  }
}
