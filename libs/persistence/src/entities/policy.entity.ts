import type { Policy } from '../../../domain';
import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'policies' })
export class PolicyEntity {
  @PrimaryColumn({ type: 'text' })
  version: string;

  @Column({ type: 'jsonb' })
  body: Policy;

  @Column({ name: 'published_at', type: 'timestamptz', default: () => 'now()' })
  publishedAt: Date;

  @Column({ name: 'published_by', type: 'text' })
  publishedBy: string;
}
