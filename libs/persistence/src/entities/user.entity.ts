import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

@Entity({ name: 'users' })
export class UserEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text', unique: true })
  email: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ name: 'password_hash', type: 'text', nullable: true })
  passwordHash: string | null;

  @Column({ type: 'text', array: true })
  roles: string[];

  @Column({ name: 'agency_code', type: 'text' })
  agencyCode: string;

  @Column({ name: 'approval_level', type: 'text', nullable: true })
  approvalLevel: string | null;

  /** The subrogante: may act at the level when the holder is away. */
  @Column({ type: 'boolean', default: false })
  deputy: boolean;

  @Column({ type: 'boolean', default: false })
  disabled: boolean;

  /** The language of the mail this person receives (README "Mail"). */
  @Column({ type: 'text', default: 'es' })
  language: 'es' | 'en';

  /** Unsubscribed from the mail that asks nothing of them. */
  @Column({ name: 'mail_unsubscribed', type: 'boolean', default: false })
  mailUnsubscribed: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
