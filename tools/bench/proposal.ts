import { computeTier, DEFAULT_POLICY, type ProposalData } from '../../libs/domain';
import { hospitalProposal } from '../../libs/domain/src/testing/proposal.factory';

/** The MEDIUM hospital proposal of the tests, complete enough to pass screening, numbered `n`. */
export function mediumProposal(n: number): ProposalData {
  const data = hospitalProposal({ title: `Bench proposal ${n}: hospital appointments online` });
  const { tier } = computeTier(data, DEFAULT_POLICY);
  if (tier !== 'MEDIUM') throw new Error(`the bench proposal is ${tier}, not MEDIUM: the policy changed`);
  return data;
}
