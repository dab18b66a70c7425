import { CHILE_HOLIDAYS_2026_2027, DEFAULT_POLICY, validateCalendarForPublication, validatePolicy } from '../../domain';
import { defaultPolicyVersion, makeDefaultPolicy, policyForPublication } from './policy-publication';

const publishedAt = new Date('2026-12-03T12:00:00Z');
const problemsOf = (body: unknown): string[] => {
  const result = policyForPublication(body, publishedAt);
  return result.ok ? [] : result.problems;
};

describe('policyForPublication', () => {
  it('refuses a calendar that does not say how far it reaches (the shape of 2026.1)', () => {
    expect(problemsOf({ ...DEFAULT_POLICY, version: '2026.9' })).toEqual([
      expect.stringMatching(/^calendar\.coveredThrough is required to publish: .* on or after 2036-12-03/),
      expect.stringMatching(/^calendar\.coveredFrom is required to publish/),
    ]);
  });

  it('refuses a written list that does not reach ten years ahead, or stops short of its range', () => {
    const written = { timeZone: 'America/Santiago', holidays: [...CHILE_HOLIDAYS_2026_2027], coveredFrom: '2026-01-01' };
    expect(problemsOf({ ...DEFAULT_POLICY, version: '2026.9', calendar: { ...written, coveredThrough: '2027-12-31' } })).toEqual([
      'calendar.coveredThrough must be on or after 2036-12-03, 10 years after publication (got 2027-12-31)',
    ]);
    expect(problemsOf({ ...DEFAULT_POLICY, version: '2026.9', calendar: { ...written, coveredThrough: '2036-12-31' } })).toEqual([
      expect.stringMatching(/^calendar\.holidays lists no holiday from 2027-12-26 to 2036-12-31/),
    ]);
  });

  it('makes the calendar from the library when the body names a source, replacing what the body carried', () => {
    const body = {
      ...DEFAULT_POLICY,
      version: '2026.9',
      calendar: { timeZone: 'America/Santiago', source: { library: 'old', libraryVersion: '0.0.1', country: 'CL' }, holidays: ['2026-02-02'], coveredThrough: '2026-12-31' },
    };
    const result = policyForPublication(body, publishedAt);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.policy.calendar).toMatchObject({ source: { library: 'date-holidays', libraryVersion: '3.37.0' }, coveredFrom: '2026-01-01', coveredThrough: '2036-12-31' });
    expect(result.policy.calendar.holidays).not.toContain('2026-02-02');
    expect(result.policy.calendar.holidays).toContain('2027-09-17');
    expect(result.policy.sla).toEqual(DEFAULT_POLICY.sla);
  });

  it('reports the calendar and the rest of the policy at once', () => {
    const body = { ...DEFAULT_POLICY, version: '2026.9', discountRate: 2, calendar: { timeZone: 'America/Santiago', source: { country: 'XX' } } };
    expect(problemsOf(body)).toEqual([
      'calendar.source.country: date-holidays 3.37.0 has no holidays for XX',
      'discountRate must be a decimal from 0 up to (not including) 1, e.g. 0.06 (got 2)',
    ]);
  });
});

describe('makeDefaultPolicy', () => {
  it("is 2026.1's settings with Chile's holidays made for this year and the ten after it", () => {
    const policy = makeDefaultPolicy(publishedAt);
    expect(policy.version).toBe('default-2026');
    const { version: _v, calendar, ...settings } = policy;
    const { version: _w, calendar: _c, ...defaults } = DEFAULT_POLICY;
    expect(settings).toEqual(defaults);
    expect(calendar).toMatchObject({ source: { country: 'CL' }, coveredFrom: '2026-01-01', coveredThrough: '2036-12-31' });
    expect(validatePolicy(policy)).toEqual([]);
    expect(validateCalendarForPublication(calendar, publishedAt)).toEqual([]);
  });

  it('is named by the year in Santiago', () => {
    expect(makeDefaultPolicy(new Date('2027-01-01T02:00:00Z')).version).toBe('default-2026');
    expect(makeDefaultPolicy(new Date('2027-01-01T03:00:00Z')).version).toBe(defaultPolicyVersion(2027));
  });

  it('leaves DEFAULT_POLICY (2026.1) as it is', () => {
    makeDefaultPolicy(publishedAt);
    expect(DEFAULT_POLICY.version).toBe('2026.1');
    expect(DEFAULT_POLICY.calendar).toEqual({ timeZone: 'America/Santiago', holidays: [...CHILE_HOLIDAYS_2026_2027] });
  });
});
