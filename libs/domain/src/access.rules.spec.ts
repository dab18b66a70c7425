import { taskEligibility, type Actor } from './access.rules';

const carla: Actor = { id: 'c', email: 'carla@digital', name: 'Carla', roles: ['technical_reviewer'], agencyCode: 'DIGITAL', approvalLevel: null, deputy: false };
const jorge: Actor = { ...carla, id: 'j', roles: ['approver', 'technical_reviewer'], approvalLevel: 'COMMITTEE' };
const technical = { type: 'TECHNICAL_REVIEW', approvalLevel: null, candidateRole: 'technical_reviewer', agencyCode: 'MINSAL' };
const committee = { type: 'APPROVAL', approvalLevel: 'COMMITTEE', candidateRole: 'approver', agencyCode: 'MINSAL' };

describe('taskEligibility', () => {
  it('lets a reviewer of another agency take a review', () => {
    expect(taskEligibility(carla, technical, [])).toEqual({ eligible: true });
  });

  it('needs the role and the level', () => {
    expect(taskEligibility(carla, committee, [])).toEqual({ eligible: false, reason: 'this task needs the approver role' });
    expect(taskEligibility({ ...jorge, approvalLevel: 'DIGITAL_HEAD' }, committee, [])).toMatchObject({ eligible: false, reason: 'this task needs approval level COMMITTEE' });
  });

  it('refuses a proposal of one’s own agency', () => {
    expect(taskEligibility(carla, { ...technical, agencyCode: 'DIGITAL' }, [])).toMatchObject({ eligible: false, reason: expect.stringContaining('own agency') });
  });

  it('allows one stage per person: a reviewer does not approve, also after a return to review', () => {
    expect(taskEligibility(jorge, committee, [{ type: 'TECHNICAL_REVIEW', approvalLevel: null }])).toMatchObject({ eligible: false, reason: expect.stringContaining('TECHNICAL_REVIEW') });
    expect(taskEligibility(jorge, technical, [{ type: 'APPROVAL', approvalLevel: 'COMMITTEE' }])).toMatchObject({ eligible: false, reason: expect.stringContaining('APPROVAL at COMMITTEE') });
    expect(taskEligibility(jorge, technical, [{ type: 'TECHNICAL_REVIEW', approvalLevel: null }])).toEqual({ eligible: true });
  });
});
