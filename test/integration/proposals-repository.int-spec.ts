import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { createDataSource, ProposalsRepository } from '../../libs/persistence';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

describe('ProposalsRepository on real PostgreSQL', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let proposals: ProposalsRepository;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = createDataSource(database.url);
    await dataSource.initialize();
    proposals = new ProposalsRepository(dataSource);
    const users: { id: string; agency_code: string }[] = await dataSource.query(`SELECT id, agency_code FROM users WHERE roles @> '{agency_submitter}'`);
    const creator = (agency: string) => users.find((u) => u.agency_code === agency)!.id;
    const drafts = [
      { key: 'a', agency: 'MINSAL', title: 'Clinical records exchange', summary: 'Share records between hospitals' },
      { key: 'b', agency: 'MINSAL', title: 'Vaccination portal', summary: 'Citizens check 100% of their vaccines' },
      { key: 'c', agency: 'MINEDUC', title: 'School enrolment', summary: 'Enrolment for public schools' },
    ];
    for (const d of drafts) {
      ids[d.key] = randomUUID();
      await proposals.createDraft({ id: ids[d.key], agencyCode: d.agency, createdBy: creator(d.agency), title: d.title, data: { title: d.title, summary: d.summary }, requestedAmount: 1 });
    }
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('lists newest first, scoped to an agency when asked', async () => {
    const all = await proposals.list({ page: 1, pageSize: 10 });
    expect(all.items.map((p) => p.id)).toEqual([ids.c, ids.b, ids.a]);
    const minsal = await proposals.list({ scopeAgencyCode: 'MINSAL', page: 1, pageSize: 10 });
    expect(minsal.items.map((p) => p.id)).toEqual([ids.b, ids.a]);
    expect(minsal.total).toBe(2);
  });

  it('pages with a stable order and a total', async () => {
    const page2 = await proposals.list({ page: 2, pageSize: 2 });
    expect(page2).toMatchObject({ total: 3 });
    expect(page2.items.map((p) => p.id)).toEqual([ids.a]);
  });

  it('searches title and summary, treating % and _ literally', async () => {
    expect((await proposals.list({ q: 'hospitals', page: 1, pageSize: 10 })).items.map((p) => p.id)).toEqual([ids.a]);
    expect((await proposals.list({ q: 'VACCINATION', page: 1, pageSize: 10 })).items.map((p) => p.id)).toEqual([ids.b]);
    expect((await proposals.list({ q: '100%', page: 1, pageSize: 10 })).items.map((p) => p.id)).toEqual([ids.b]);
    expect((await proposals.list({ q: '%', page: 1, pageSize: 10 })).items.map((p) => p.id)).toEqual([ids.b]);
  });

  it('changes a draft only while it is a draft', async () => {
    expect(await proposals.updateDraft(ids.a, { title: 'Clinical records exchange v2', data: { title: 'Clinical records exchange v2' }, requestedAmount: 5 })).toBe(true);
    const pinned = { workflowId: `proposal-${ids.a}`, catalogueVersion: '2026.1', policyVersion: '2026.1' };
    expect(await proposals.markSubmitted(ids.a, pinned)).toBe(true);
    expect(await proposals.markSubmitted(ids.a, pinned)).toBe(false);
    expect(await proposals.updateDraft(ids.a, { title: 'Too late', data: { title: 'Too late' }, requestedAmount: 5 })).toBe(false);
    expect((await proposals.findById(ids.a))?.title).toBe('Clinical records exchange v2');
  });
});
