import type { Policy, StandardsCatalogue } from '../../../domain';
import type { EntityManager } from 'typeorm';
import { managerOf, type Db } from './db';
import { PolicyEntity, StandardsCatalogueEntity } from '../entities';

/** Published standards catalogues and policies: append-only, the newest is current. */
export class CatalogueRepository {
  private readonly db: EntityManager;

  constructor(db: Db) {
    this.db = managerOf(db);
  }

  async currentCatalogue(): Promise<StandardsCatalogue | null> {
    const [row] = await this.db.getRepository(StandardsCatalogueEntity).find({
      order: { publishedAt: 'DESC', version: 'DESC' },
      take: 1,
    });
    return row ? { version: row.version, standards: row.standards } : null;
  }

  async catalogue(version: string): Promise<StandardsCatalogue | null> {
    const row = await this.db.getRepository(StandardsCatalogueEntity).findOneBy({ version });
    return row ? { version: row.version, standards: row.standards } : null;
  }

  async currentPolicy(): Promise<Policy | null> {
    return (await this.currentPolicyWithPublisher())?.policy ?? null;
  }

  /** The current policy and who published it (the seed, or an admin's e-mail). */
  async currentPolicyWithPublisher(): Promise<{ policy: Policy; publishedBy: string } | null> {
    const [row] = await this.db.getRepository(PolicyEntity).find({ order: { publishedAt: 'DESC', version: 'DESC' }, take: 1 });
    return row ? { policy: row.body, publishedBy: row.publishedBy } : null;
  }

  async policy(version: string): Promise<Policy | null> {
    const row = await this.db.getRepository(PolicyEntity).findOneBy({ version });
    return row ? row.body : null;
  }

  async insertCatalogueIfAbsent(catalogue: StandardsCatalogue, publishedBy: string): Promise<boolean> {
    const result = await this.db
      .createQueryBuilder()
      .insert()
      .into(StandardsCatalogueEntity)
      .values({ version: catalogue.version, standards: catalogue.standards, publishedBy })
      .orIgnore()
      .execute();
    return (result.raw as unknown[]).length > 0;
  }

  async insertPolicyIfAbsent(policy: Policy, publishedBy: string): Promise<boolean> {
    const result = await this.db
      .createQueryBuilder()
      .insert()
      .into(PolicyEntity)
      .values({ version: policy.version, body: policy, publishedBy })
      .orIgnore()
      .execute();
    return (result.raw as unknown[]).length > 0;
  }
}
