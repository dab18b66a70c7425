import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A person as an identity provider names them (issuer and subject), and the account they sign in to. */
@Entity({ name: 'external_identities' })
export class ExternalIdentityEntity {
  @PrimaryColumn({ type: 'text' })
  issuer: string;

  @PrimaryColumn({ type: 'text' })
  subject: string;

  @Column({ name: 'user_id', type: 'uuid', unique: true })
  userId: string;

  /** The provider created the account and owns its roles, agency and level; false: an admin linked a local account. */
  @Column({ type: 'boolean' })
  provisioned: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
