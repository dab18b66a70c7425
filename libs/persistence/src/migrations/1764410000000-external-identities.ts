import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An identity provider's person is keyed by issuer and subject, never by e-mail: a provider that
 * vouches for an e-mail a local account has does not get that account (an admin links them).
 * `provisioned`: the provider created the account and owns its roles, agency and level; false,
 * an admin linked a local account, whose roles and agency stay the admins'. One identity per user.
 * Accounts the provider made before this table (matched by e-mail, no password) get their row on
 * their next sign-in.
 */
export class ExternalIdentities1764410000000 implements MigrationInterface {
  name = 'ExternalIdentities1764410000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE external_identities (
        issuer text NOT NULL,
        subject text NOT NULL,
        user_id uuid NOT NULL UNIQUE REFERENCES users(id),
        provisioned boolean NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (issuer, subject)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE external_identities`);
  }
}
