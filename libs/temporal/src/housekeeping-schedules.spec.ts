import { plannedSchedules } from './housekeeping-schedules';

describe('plannedSchedules', () => {
  it('plans the purge and the nightly verification always, the checkpoint only with a signing key', () => {
    const without = plannedSchedules({ taskQueue: 'q', signing: false, checkpointIntervalSeconds: 3600 });
    expect(without.map((p) => p.kind)).toEqual(['appraise-purge', 'appraise-nightly-verification']);
    const signing = plannedSchedules({ taskQueue: 'q', signing: true, checkpointIntervalSeconds: 3600 });
    expect(signing.map((p) => p.kind)).toEqual(['appraise-purge', 'appraise-nightly-verification', 'appraise-audit-checkpoint']);
    for (const planned of signing) expect(planned.action).toMatchObject({ taskQueue: 'q', workflowId: `${planned.kind}@q` });
  });

  it('looks at the head every minute, or every interval when shorter', () => {
    const every = (interval: number) => plannedSchedules({ taskQueue: 'q', signing: true, checkpointIntervalSeconds: interval }).find((p) => p.kind === 'appraise-audit-checkpoint')?.spec.intervals;
    expect(every(3600)).toEqual([{ every: '60 seconds' }]);
    expect(every(2)).toEqual([{ every: '2 seconds' }]);
  });

  it('verifies the whole log at 03:00 in Chile, as the verification workflow started by the schedule', () => {
    const nightly = plannedSchedules({ taskQueue: 'q', signing: false, checkpointIntervalSeconds: 60 }).find((p) => p.kind === 'appraise-nightly-verification');
    expect(nightly?.spec).toEqual({ calendars: [{ hour: 3, minute: 0 }], timezone: 'America/Santiago' });
    expect(nightly?.action).toMatchObject({ workflowType: 'chainVerificationWorkflow', args: [{ requestedBy: 'schedule' }] });
  });
});
