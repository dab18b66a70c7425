import { profileChange } from './administration.records';

describe('profileChange', () => {
  const before = { name: 'Rosa', roles: ['technical_reviewer'], agencyCode: 'MINSAL', approvalLevel: null, deputy: false };

  it('keeps the changed fields only, as they were and as they are', () => {
    expect(profileChange(before, { name: 'Rosa', roles: ['technical_reviewer', 'approver'], approvalLevel: 'DIGITAL_HEAD', deputy: undefined })).toEqual({
      before: { roles: ['technical_reviewer'], approvalLevel: null },
      after: { roles: ['technical_reviewer', 'approver'], approvalLevel: 'DIGITAL_HEAD' },
    });
    expect(profileChange({ ...before, approvalLevel: 'DIGITAL_HEAD' }, { approvalLevel: null })).toEqual({ before: { approvalLevel: 'DIGITAL_HEAD' }, after: { approvalLevel: null } });
  });

  it('says nothing changes when nothing does', () => {
    expect(profileChange(before, {})).toBeNull();
    expect(profileChange(before, { ...before, roles: ['technical_reviewer'] })).toBeNull();
  });
});
