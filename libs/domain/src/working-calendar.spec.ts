import { DEFAULT_POLICY } from './default-policy';
import { validatePolicy, type WorkingCalendar } from './policy.model';
import { calendarCoverage, calendarCovers, validateCalendarForPublication, validateHolidayChanges } from './working-calendar';
import { addSlaDuration } from './working-time';

const pinned2026 = DEFAULT_POLICY.calendar;

/** New Year and Independence Day of every year from 2026 to 2036, plus Holy Saturday 2026. */
function tenYearCalendar(): WorkingCalendar {
  const holidays: string[] = [];
  for (let year = 2026; year <= 2036; year++) holidays.push(`${year}-01-01`, `${year}-09-18`);
  holidays.push('2026-04-04');
  return {
    timeZone: 'America/Santiago',
    holidays: holidays.sort(),
    source: { library: 'date-holidays', libraryVersion: '3.37.0', country: 'CL' },
    added: [{ date: '2026-04-04', reason: 'Sábado Santo (Ley 2.977)' }],
    removed: [{ date: '2026-04-05', reason: 'Easter Sunday is not a legal holiday' }],
    coveredFrom: '2026-01-01',
    coveredThrough: '2036-12-31',
  };
}

const problemsWith = (calendar: unknown): string[] => validatePolicy({ ...DEFAULT_POLICY, calendar });

describe('calendarCoverage', () => {
  it('takes the declared range when there is one', () => {
    expect(calendarCoverage(tenYearCalendar())).toEqual({ from: '2026-01-01', through: '2036-12-31', declared: true });
  });

  it('infers the whole years of the holidays for a calendar pinned before ranges were declared (2026.1)', () => {
    expect(calendarCoverage(pinned2026)).toEqual({ from: '2026-01-01', through: '2027-12-31', declared: false });
  });

  it('is null for a calendar that declares nothing and lists no holiday', () => {
    expect(calendarCoverage({ timeZone: 'America/Santiago', holidays: [] })).toBeNull();
  });
});

describe('calendarCovers', () => {
  it('reads the day in the calendar’s zone', () => {
    // 2028-01-01T02:00Z is still Friday 31 December 2027, 23:00 in Santiago (UTC-3).
    expect(calendarCovers(pinned2026, new Date('2028-01-01T02:00:00Z'))).toBe(true);
    expect(calendarCovers(pinned2026, new Date('2028-01-01T03:00:00Z'))).toBe(false);
    expect(calendarCovers(pinned2026, new Date('2025-12-31T12:00:00Z'))).toBe(false);
    expect(calendarCovers(tenYearCalendar(), new Date('2036-12-31T12:00:00Z'))).toBe(true);
    expect(calendarCovers(tenYearCalendar(), new Date('2037-01-01T12:00:00Z'))).toBe(false);
  });

  it('tells when a due date was counted past the end of the pinned list', () => {
    const inside = addSlaDuration(new Date('2027-12-01T13:00:00Z'), { workingDays: 10 }, pinned2026);
    const past = addSlaDuration(new Date('2027-12-20T13:00:00Z'), { workingDays: 10 }, pinned2026);
    expect(calendarCovers(pinned2026, inside)).toBe(true);
    expect(past.toISOString().slice(0, 7)).toBe('2028-01');
    expect(calendarCovers(pinned2026, past)).toBe(false);
  });

  it('covers nothing when a calendar declares nothing and lists nothing', () => {
    expect(calendarCovers({ timeZone: 'UTC', holidays: [] }, new Date('2026-06-01T12:00:00Z'))).toBe(false);
  });
});

describe('validatePolicy on calendars with a source, changes and a covered range', () => {
  it('accepts a consistent calendar, and 2026.1 as it is', () => {
    expect(problemsWith(tenYearCalendar())).toEqual([]);
    expect(validatePolicy(DEFAULT_POLICY)).toEqual([]);
  });

  it('refuses a list that stops before the range it declares', () => {
    const calendar = { ...tenYearCalendar(), holidays: tenYearCalendar().holidays.filter((d) => d < '2028-01-01') };
    expect(problemsWith(calendar)).toEqual([
      'calendar.holidays lists no holiday from 2027-09-19 to 2036-12-31, inside the covered range 2026-01-01 to 2036-12-31: the list stops short of the range it declares',
    ]);
  });

  it('refuses holidays outside the declared range', () => {
    const calendar = { ...tenYearCalendar(), holidays: [...tenYearCalendar().holidays, '2037-01-01'] };
    expect(problemsWith(calendar)).toEqual(['calendar.holidays lists 1 date(s) outside the covered range 2026-01-01 to 2036-12-31 (first: 2037-01-01)']);
  });

  it('refuses changes the list does not reflect', () => {
    const calendar = tenYearCalendar();
    calendar.added = [{ date: '2026-04-04', reason: 'Sábado Santo' }, { date: '2026-09-17', reason: 'extra day' }];
    calendar.removed = [{ date: '2026-09-18', reason: 'no' }];
    expect(problemsWith(calendar)).toEqual([
      'calendar.added[1] (2026-09-17) is not in calendar.holidays',
      'calendar.removed[0] (2026-09-18) is still in calendar.holidays',
    ]);
  });

  it.each([
    ['unknown field', (c: Record<string, any>) => { c.addded = []; }, 'calendar.addded is not a known field (timeZone, holidays, source, added, removed, coveredFrom, coveredThrough)'],
    ['changes without a source', (c: Record<string, any>) => { delete c.source; }, 'calendar.added changes a library\'s list: it needs calendar.source'],
    ['country', (c: Record<string, any>) => { c.source.country = 'Chile'; }, 'calendar.source.country must be an ISO 3166-1 country code such as CL (got "Chile")'],
    ['library version', (c: Record<string, any>) => { delete c.source.libraryVersion; }, 'calendar.source.libraryVersion must be the library\'s exact version (got nothing)'],
    ['region', (c: Record<string, any>) => { c.source.region = 'Arica'; }, 'calendar.source.region must be an ISO 3166-2 subdivision code such as AP (got "Arica")'],
    ['half a range', (c: Record<string, any>) => { delete c.coveredFrom; }, 'calendar.coveredFrom must be a real date written yyyy-mm-dd, given with coveredThrough (got nothing)'],
    ['range backwards', (c: Record<string, any>) => { c.coveredThrough = '2025-12-31'; }, 'calendar.coveredThrough (2025-12-31) must not be before calendar.coveredFrom (2026-01-01)'],
    ['change without reason', (c: Record<string, any>) => { c.added = [{ date: '2026-04-04' }]; }, 'calendar.added[0].reason must say why, e.g. the law that fixes the day (got nothing)'],
  ])('reports a bad %s', (_name, spoil, problem) => {
    const calendar = structuredClone(tenYearCalendar()) as Record<string, any>;
    spoil(calendar);
    const problems = problemsWith(calendar);
    expect(problems[0]).toBe(problem);
  });
});

describe('validateHolidayChanges', () => {
  it('wants a list of { date, reason }', () => {
    expect(validateHolidayChanges([{ date: '2026-04-04', reason: 'Ley 2.977' }], 'calendar.added')).toEqual([]);
    expect(validateHolidayChanges('2026-04-04', 'calendar.added')).toEqual(['calendar.added must be a list of { date, reason } (got "2026-04-04")']);
    expect(validateHolidayChanges([{ date: '2026-02-30', reason: 'x', note: 1 }], 'calendar.removed')).toEqual([
      'calendar.removed[0].note is not a known field (date, reason)',
      'calendar.removed[0].date must be a real date written yyyy-mm-dd (got "2026-02-30")',
    ]);
  });
});

describe('validateCalendarForPublication', () => {
  const publishedAt = new Date('2026-12-03T12:00:00Z');

  it('accepts a range that starts by publication and reaches ten years after it', () => {
    expect(validateCalendarForPublication(tenYearCalendar(), publishedAt)).toEqual([]);
    expect(validateCalendarForPublication({ ...tenYearCalendar(), coveredThrough: '2036-12-03' }, publishedAt)).toEqual([]);
  });

  it('refuses a range that ends less than ten years after publication', () => {
    expect(validateCalendarForPublication({ ...tenYearCalendar(), coveredThrough: '2036-12-02' }, publishedAt)).toEqual([
      'calendar.coveredThrough must be on or after 2036-12-03, 10 years after publication (got 2036-12-02)',
    ]);
    // The same calendar published a year later no longer reaches far enough.
    expect(validateCalendarForPublication(tenYearCalendar(), new Date('2027-01-05T12:00:00Z'))).toEqual([
      'calendar.coveredThrough must be on or after 2037-01-05, 10 years after publication (got 2036-12-31)',
    ]);
  });

  it('refuses a range that starts after publication', () => {
    expect(validateCalendarForPublication({ ...tenYearCalendar(), coveredFrom: '2026-12-04' }, publishedAt)).toEqual([
      'calendar.coveredFrom must be on or before the publication date 2026-12-03 (got 2026-12-04)',
    ]);
  });

  it('refuses a calendar that does not say what it covers (the shape of 2026.1)', () => {
    expect(validateCalendarForPublication(pinned2026, publishedAt)).toEqual([
      'calendar.coveredThrough is required to publish: the last date the holidays are listed for, on or after 2036-12-03 (10 years after publication); give calendar.source to have the list made',
      'calendar.coveredFrom is required to publish: the first date the holidays are listed for, on or before 2026-12-03',
    ]);
  });

  it('counts the publication date in the calendar’s zone, and 29 February as 28 in a common year', () => {
    // 2028-03-01T02:00Z is still 29 February 2028 in Santiago.
    const leap = { ...tenYearCalendar(), coveredFrom: '2028-01-01', coveredThrough: '2038-02-28' };
    expect(validateCalendarForPublication(leap, new Date('2028-03-01T02:00:00Z'))).toEqual([]);
    expect(validateCalendarForPublication({ ...leap, coveredThrough: '2038-02-27' }, new Date('2028-03-01T02:00:00Z'))).toHaveLength(1);
  });
});
