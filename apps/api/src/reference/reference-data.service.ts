import { Inject, Injectable } from '@nestjs/common';
import { DomainError, type Policy, type StandardsCatalogue } from '../../../../libs/domain';
import { CatalogueRepository } from '../../../../libs/persistence';

/**
 * Published catalogue and policy versions never change, so each is read from the database
 * once per process; only "which version is current" is asked every time.
 */
@Injectable()
export class ReferenceDataService {
  private readonly catalogues = new Map<string, Promise<StandardsCatalogue | null>>();
  private readonly policies = new Map<string, Promise<Policy | null>>();

  constructor(@Inject(CatalogueRepository) private readonly repository: CatalogueRepository) {}

  async currentCatalogue(): Promise<StandardsCatalogue> {
    const catalogue = await this.repository.currentCatalogue();
    if (!catalogue) throw new Error('no standards catalogue is published: run the seed');
    return catalogue;
  }

  async currentPolicy(): Promise<Policy> {
    const policy = await this.repository.currentPolicy();
    if (!policy) throw new Error('no policy is published: run the seed');
    return policy;
  }

  async catalogue(version: string): Promise<StandardsCatalogue> {
    const found = await this.cached(this.catalogues, version, () => this.repository.catalogue(version));
    if (!found) throw new DomainError('NOT_FOUND', `Standards catalogue version ${version} does not exist.`);
    return found;
  }

  async policy(version: string): Promise<Policy> {
    const found = await this.cached(this.policies, version, () => this.repository.policy(version));
    if (!found) throw new DomainError('NOT_FOUND', `Policy version ${version} does not exist.`);
    return found;
  }

  private cached<T>(cache: Map<string, Promise<T | null>>, key: string, load: () => Promise<T | null>): Promise<T | null> {
    let entry = cache.get(key);
    if (!entry) {
      entry = load().then((value) => {
        if (value === null) cache.delete(key);
        return value;
      });
      entry.catch(() => cache.delete(key));
      cache.set(key, entry);
    }
    return entry;
  }
}
