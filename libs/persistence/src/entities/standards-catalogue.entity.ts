import type { StandardDefinition } from '../../../domain';
import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'standards_catalogues' })
export class StandardsCatalogueEntity {
  @PrimaryColumn({ type: 'text' })
  version: string;

  @Column({ type: 'jsonb' })
  standards: StandardDefinition[];

  @Column({ name: 'published_at', type: 'timestamptz', default: () => 'now()' })
  publishedAt: Date;

  @Column({ name: 'published_by', type: 'text' })
  publishedBy: string;
}
