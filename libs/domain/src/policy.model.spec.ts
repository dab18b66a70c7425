import { CHILE_HOLIDAYS_2026_2027, DEFAULT_POLICY } from './default-policy';
import { isKnownTimeZone, validatePolicy, validateSlaDuration } from './policy.model';

const clone = (): Record<string, any> => structuredClone(DEFAULT_POLICY) as Record<string, any>;

describe('DEFAULT_POLICY', () => {
  it('carries the defaults of the product brief', () => {
    expect(DEFAULT_POLICY).toMatchObject({
      version: '2026.1',
      currency: 'CLP',
      tiers: { lowBelow: 50_000_000, mediumUpTo: 1_000_000_000 },
      defaultHorizonYears: 5,
      discountRate: 0.06,
      benchmarkTolerance: 0.25,
      reviewMode: 'PARALLEL',
      committeeQuorum: 2,
      approvalLevelsByTier: {
        LOW: ['DIGITAL_HEAD'],
        MEDIUM: ['DIGITAL_HEAD', 'BUDGET_DIRECTOR'],
        HIGH: ['DIGITAL_HEAD', 'BUDGET_DIRECTOR', 'COMMITTEE'],
      },
      sla: {
        technicalReview: { workingDays: 10 },
        costEfficiencyReview: { workingDays: 10 },
        approvalLevel: { workingDays: 5 },
        agencyResponse: { workingDays: 20 },
        wholeEvaluation: { workingDays: 20 },
        reminderFraction: 0.8,
      },
      calendar: { timeZone: 'America/Santiago' },
    });
  });

  it('passes its own validation and cannot be edited in place', () => {
    expect(validatePolicy(DEFAULT_POLICY)).toEqual([]);
    expect(Object.isFrozen(DEFAULT_POLICY.sla.technicalReview)).toBe(true);
    expect(() => DEFAULT_POLICY.calendar.holidays.push('2026-01-02')).toThrow(TypeError);
  });

  it("lists Chile's national holidays for 2026 and 2027, sorted and without duplicates", () => {
    const holidays = DEFAULT_POLICY.calendar.holidays;
    expect(holidays).toEqual(CHILE_HOLIDAYS_2026_2027);
    expect([...holidays].sort()).toEqual(holidays);
    expect(new Set(holidays).size).toBe(holidays.length);
    expect(holidays).toHaveLength(32);
    // Fixed dates, the Easter pair, Fiestas Patrias and the Monday moves of 2027.
    expect(holidays).toEqual(
      expect.arrayContaining(['2026-01-01', '2026-04-03', '2026-04-04', '2026-09-18', '2026-09-19', '2026-12-25',
        '2027-03-26', '2027-03-27', '2027-06-28', '2027-10-11']),
    );
    expect(holidays).not.toContain('2027-06-29');
  });
});

describe('validateSlaDuration', () => {
  it('accepts whole working days or positive seconds', () => {
    expect(validateSlaDuration({ workingDays: 3 }, 'x')).toEqual([]);
    expect(validateSlaDuration({ seconds: 0.5 }, 'x')).toEqual([]);
  });

  it('refuses zero, fractions, both keys or neither', () => {
    expect(validateSlaDuration({ workingDays: 0 }, 'sla.a')).toEqual(['sla.a.workingDays must be a whole number of at least 1 (got 0)']);
    expect(validateSlaDuration({ workingDays: 1.5 }, 'sla.a')).toEqual(['sla.a.workingDays must be a whole number of at least 1 (got 1.5)']);
    expect(validateSlaDuration({ seconds: -1 }, 'sla.a')).toEqual(['sla.a.seconds must be a number greater than 0 (got -1)']);
    expect(validateSlaDuration({ workingDays: 1, seconds: 1 }, 'sla.a')).toEqual(['sla.a must have exactly one of workingDays or seconds']);
    expect(validateSlaDuration({}, 'sla.a')).toEqual(['sla.a must have exactly one of workingDays or seconds']);
    expect(validateSlaDuration(10, 'sla.a')).toEqual(['sla.a must be an object with either workingDays or seconds (got 10)']);
  });
});

describe('validatePolicy', () => {
  it('refuses something that is not an object', () => {
    expect(validatePolicy('2026.1')).toEqual(['policy must be an object (got "2026.1")']);
  });

  it('accepts durations in seconds, sequential reviews and another zone', () => {
    const p = clone();
    p.reviewMode = 'SEQUENTIAL';
    p.sla.technicalReview = { seconds: 20 };
    p.calendar.timeZone = 'Europe/Copenhagen';
    expect(validatePolicy(p)).toEqual([]);
  });

  it.each([
    ['version', (p: Record<string, any>) => { p.version = ''; }, 'version must be a non-empty string'],
    ['currency', (p: Record<string, any>) => { p.currency = 'USD'; }, 'currency must be "CLP" (got "USD")'],
    ['tiers', (p: Record<string, any>) => { delete p.tiers; }, 'tiers must be an object with lowBelow and mediumUpTo'],
    ['lowBelow', (p: Record<string, any>) => { p.tiers.lowBelow = -1; }, 'tiers.lowBelow must be a whole number of pesos, 0 or more (got -1)'],
    ['mediumUpTo', (p: Record<string, any>) => { p.tiers.mediumUpTo = 1.5; }, 'tiers.mediumUpTo must be a whole number of pesos, 0 or more (got 1.5)'],
    ['tier order', (p: Record<string, any>) => { p.tiers.mediumUpTo = 10; }, 'tiers.mediumUpTo (10) must not be below tiers.lowBelow (50000000)'],
    ['horizon', (p: Record<string, any>) => { p.defaultHorizonYears = 31; }, 'defaultHorizonYears must be a whole number from 1 to 30 (got 31)'],
    ['discount rate', (p: Record<string, any>) => { p.discountRate = 6; }, 'discountRate must be a decimal from 0 up to (not including) 1, e.g. 0.06 (got 6)'],
    ['tolerance', (p: Record<string, any>) => { p.benchmarkTolerance = -0.1; }, 'benchmarkTolerance must be a decimal of 0 or more, e.g. 0.25 (got -0.1)'],
    ['review mode', (p: Record<string, any>) => { p.reviewMode = 'BOTH'; }, 'reviewMode must be one of PARALLEL, SEQUENTIAL (got "BOTH")'],
    ['quorum', (p: Record<string, any>) => { p.committeeQuorum = 0; }, 'committeeQuorum must be a whole number of at least 1 (got 0)'],
    ['levels missing', (p: Record<string, any>) => { p.approvalLevelsByTier.LOW = []; }, 'approvalLevelsByTier.LOW must be a non-empty list of approval levels'],
    ['unknown level', (p: Record<string, any>) => { p.approvalLevelsByTier.MEDIUM = ['DIGITAL_HEAD', 'MINISTER']; },
      'approvalLevelsByTier.MEDIUM[1] must be one of DIGITAL_HEAD, BUDGET_DIRECTOR, COMMITTEE (got "MINISTER")'],
    ['repeated level', (p: Record<string, any>) => { p.approvalLevelsByTier.HIGH = ['COMMITTEE', 'COMMITTEE']; },
      'approvalLevelsByTier.HIGH lists the same level more than once'],
    ['sla duration', (p: Record<string, any>) => { p.sla.agencyResponse = { days: 20 }; }, 'sla.agencyResponse must have exactly one of workingDays or seconds'],
    ['reminder', (p: Record<string, any>) => { p.sla.reminderFraction = 1; }, 'sla.reminderFraction must be a decimal between 0 and 1, e.g. 0.8 (got 1)'],
    ['time zone', (p: Record<string, any>) => { p.calendar.timeZone = 'Mars/Olympus_Mons'; },
      'calendar.timeZone must be an IANA time zone such as America/Santiago (got "Mars/Olympus_Mons")'],
    ['holiday date', (p: Record<string, any>) => { p.calendar.holidays = ['2026-02-30']; },
      'calendar.holidays[0] must be a real date written yyyy-mm-dd (got "2026-02-30")'],
    ['holiday list', (p: Record<string, any>) => { p.calendar.holidays = '2026-01-01'; }, 'calendar.holidays must be a list of dates (yyyy-mm-dd)'],
  ])('reports a bad %s', (_name, spoil, problem) => {
    const p = clone();
    spoil(p);
    expect(validatePolicy(p)).toEqual([problem]);
  });

  it('reports every problem at once', () => {
    const p = clone();
    p.version = 3;
    p.committeeQuorum = -2;
    delete p.sla;
    expect(validatePolicy(p)).toHaveLength(3);
  });
});

describe('isKnownTimeZone', () => {
  it('knows IANA zones and nothing else', () => {
    expect(isKnownTimeZone('America/Santiago')).toBe(true);
    expect(isKnownTimeZone('UTC')).toBe(true);
    expect(isKnownTimeZone('Santiago')).toBe(false);
  });
});
