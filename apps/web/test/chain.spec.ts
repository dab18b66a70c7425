import { randomUUID } from 'node:crypto';
import { GENESIS_HASH, recordHash } from '../../../libs/persistence/src/record-chain';
import { verifyProposalRecords, type ChainRecord } from '../src/chain';

/** The browser's check must hash exactly as the server does. */
describe('verifyProposalRecords', () => {
  const proposalId = randomUUID();
  const make = (): ChainRecord[] => {
    const out: ChainRecord[] = [];
    let prev = GENESIS_HASH;
    const rows = [
      { seq: 1, type: 'SUBMITTED', data: { version: 1, nested: { b: 2, a: [1, { z: 'é', y: null }] } } },
      { seq: 2, type: 'TRIAGED', data: { tier: 'MEDIUM', tierReasons: ['a', 'b'] } },
      { seq: 4, type: 'OUTCOME', data: { status: 'APPROVED', approvedAmount: 150_000_000 } },
    ];
    for (const row of rows) {
      if (row.seq === 4) prev = 'f'.repeat(64); // record 3 belongs to another proposal
      const at = new Date(Date.UTC(2026, 10, 28, 10, row.seq, 0, 123));
      const hash = recordHash(prev, { seq: row.seq, at, proposalId, actor: 'system', type: row.type, data: row.data });
      out.push({ seq: row.seq, at: at.toISOString(), actor: 'system', type: row.type, data: row.data, prevHash: prev, hash });
      prev = hash;
    }
    return out;
  };

  it('accepts records hashed by the server, checking the links between neighbours', async () => {
    expect(await verifyProposalRecords(proposalId, make())).toEqual({ ok: true, records: 3, links: 1, firstBadSeq: null });
  });

  it('finds an altered record and a broken link', async () => {
    const altered = make();
    (altered[1].data as { tier: string }).tier = 'LOW';
    expect(await verifyProposalRecords(proposalId, altered)).toMatchObject({ ok: false, firstBadSeq: 2 });
    const relinked = make();
    relinked[0].hash = 'a'.repeat(64);
    expect(await verifyProposalRecords(proposalId, relinked)).toMatchObject({ ok: false, firstBadSeq: 1 });
  });

  it('does not accept the records as another proposal’s', async () => {
    expect(await verifyProposalRecords(randomUUID(), make())).toMatchObject({ ok: false, firstBadSeq: 1 });
  });
});
