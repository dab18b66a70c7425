import { CHILE_HOLIDAYS_2026_2027, validateCalendarForPublication, validatePolicy, DEFAULT_POLICY, type WorkingCalendar } from '../../domain';
import { makeHolidayCalendar } from './calendar-maker';

const publishedAt = new Date('2026-12-03T12:00:00Z');
const chile = { timeZone: 'America/Santiago', source: { country: 'CL' } };

function made(request: unknown, at: Date = publishedAt): WorkingCalendar {
  const result = makeHolidayCalendar(request, at);
  if (!result.ok) throw new Error(result.problems.join('\n'));
  return result.calendar;
}

const problems = (request: unknown, at: Date = publishedAt): string[] => {
  const result = makeHolidayCalendar(request, at);
  return result.ok ? [] : result.problems;
};

const ofYear = (calendar: WorkingCalendar, year: number): string[] => calendar.holidays.filter((d) => d.startsWith(`${year}-`));

describe("Chile's calendar made from the library", () => {
  const calendar = made(chile);

  it('covers the publication year and the ten after it, and says what made it', () => {
    expect(calendar).toMatchObject({
      timeZone: 'America/Santiago',
      source: { library: 'date-holidays', libraryVersion: '3.37.0', country: 'CL' },
      coveredFrom: '2026-01-01',
      coveredThrough: '2036-12-31',
    });
    expect(calendar.holidays).toEqual([...new Set(calendar.holidays)].sort());
    expect(validatePolicy({ ...DEFAULT_POLICY, version: 'x', calendar })).toEqual([]);
    expect(validateCalendarForPublication(calendar, publishedAt)).toEqual([]);
  });

  it('is the hand-checked 2026-2027 list, plus Friday 17 September 2027 that the hand-made list forgot (Ley 20.983)', () => {
    expect([...ofYear(calendar, 2026), ...ofYear(calendar, 2027)]).toEqual([...CHILE_HOLIDAYS_2026_2027, '2027-09-17'].sort());
  });

  it('adds Holy Saturday and takes out Easter Sunday in every year, saying why', () => {
    expect(calendar.added!.map((c) => c.date)).toEqual([
      '2026-04-04', '2027-03-27', '2028-04-15', '2029-03-31', '2030-04-20', '2031-04-12',
      '2032-03-27', '2033-04-16', '2034-04-08', '2035-03-24', '2036-04-12',
    ]);
    expect(calendar.added![0]!.reason).toMatch(/Sábado Santo \(Ley 2\.977\)/);
    expect(calendar.removed!.map((c) => c.date)).toEqual([
      '2026-04-05', '2027-03-28', '2028-04-16', '2029-04-01', '2030-04-21', '2031-04-13',
      '2032-03-28', '2033-04-17', '2034-04-09', '2035-03-25', '2036-04-13',
    ]);
  });

  // Worked by hand from the laws: Ley 2.977 (Easter pair, fixed days), Ley 19.668 (29 June and
  // 12 October: Tuesday to Thursday to that week's Monday, Friday to the next Monday), Ley 21.357
  // (the June solstice, local date), Ley 20.215 (17 September if Monday, 20 if Friday), Ley 20.983
  // (17 September if Friday before a weekend 18-19; 2 January if Monday), Ley 20.299 (31 October:
  // Tuesday to the Friday before, Wednesday to the Friday after).
  it('has every holiday of 2029 (moves to Mondays and Fridays, solstice on 20 June)', () => {
    expect(ofYear(calendar, 2029)).toEqual([
      '2029-01-01', '2029-03-30', '2029-03-31', '2029-05-01', '2029-05-21', '2029-06-20', '2029-07-02',
      '2029-07-16', '2029-08-15', '2029-09-17', '2029-09-18', '2029-09-19', '2029-10-15', '2029-11-01',
      '2029-11-02', '2029-12-08', '2029-12-25',
    ]);
  });

  it('has every holiday of 2034 (2 January after a Sunday New Year, the Evangelical churches\u2019 day on the Friday before)', () => {
    expect(ofYear(calendar, 2034)).toEqual([
      '2034-01-01', '2034-01-02', '2034-04-07', '2034-04-08', '2034-05-01', '2034-05-21', '2034-06-21',
      '2034-06-26', '2034-07-16', '2034-08-15', '2034-09-18', '2034-09-19', '2034-10-09', '2034-10-27',
      '2034-11-01', '2034-12-08', '2034-12-25',
    ]);
  });

  it('has the extra Fiestas Patrias days of 2030 (Friday 20) and 2032 (Friday 17)', () => {
    expect(calendar.holidays).toEqual(expect.arrayContaining(['2030-09-20', '2032-09-17']));
    expect(calendar.holidays).not.toContain('2030-09-17');
  });
});

describe("the policy's own changes", () => {
  it('adds and removes days on top of the library, keeping the reasons', () => {
    const calendar = made({
      ...chile,
      added: [{ date: '2030-09-16', reason: 'Ley 99.999: extra day before Fiestas Patrias' }],
      removed: [{ date: '2031-11-01', reason: 'Ley 99.998: moved' }],
    });
    expect(calendar.holidays).toContain('2030-09-16');
    expect(calendar.holidays).not.toContain('2031-11-01');
    expect(calendar.added).toContainEqual({ date: '2030-09-16', reason: 'Ley 99.999: extra day before Fiestas Patrias' });
    expect(calendar.removed).toContainEqual({ date: '2031-11-01', reason: 'Ley 99.998: moved' });
    expect(validatePolicy({ ...DEFAULT_POLICY, version: 'x', calendar })).toEqual([]);
  });

  it('can be published again a year later: past changes drop out, the new year gets its corrections', () => {
    const first = made({ ...chile, added: [{ date: '2026-12-24', reason: 'Ley 99.997' }] });
    const again = made({ ...first }, new Date('2027-11-20T12:00:00Z'));
    expect(again).toMatchObject({ coveredFrom: '2027-01-01', coveredThrough: '2037-12-31' });
    expect(again.added!.map((c) => c.date)).not.toContain('2026-12-24');
    expect(again.added!.map((c) => c.date)).toContain('2037-04-04');
    expect(again.holidays).toContain('2037-04-04');
    expect(again.holidays).not.toContain('2037-04-05');
  });

  it('refuses changes it cannot apply, naming them', () => {
    expect(problems({ ...chile, removed: [{ date: '2027-03-27', reason: 'x' }] })).toEqual([
      'calendar.removed[0] (2027-03-27) is not a holiday date-holidays lists for CL: nothing to remove',
    ]);
    expect(problems({ ...chile, added: [{ date: '2037-01-02', reason: 'x' }] })).toEqual([
      'calendar.added[0] (2037-01-02) is after 2036-12-31, the end of the range the list is made for',
    ]);
    expect(problems({ ...chile, added: [{ date: '2027-03-28', reason: 'x' }] })).toEqual([
      expect.stringMatching(/^calendar\.added\[0\] \(2027-03-28\) is a day the standing corrections remove: Domingo de Resurrección/),
    ]);
    expect(problems({ ...chile, added: [{ date: '2027-05-01', reason: 'x' }], removed: [{ date: '2027-05-01', reason: 'y' }] })).toEqual([
      'calendar.added and calendar.removed both name 2027-05-01',
    ]);
    expect(problems({ ...chile, added: [{ date: '2027-02-30' }] })).toEqual([
      'calendar.added[0].date must be a real date written yyyy-mm-dd (got "2027-02-30")',
      'calendar.added[0].reason must say why, e.g. the law that fixes the day (got nothing)',
    ]);
  });

  it('refuses a place the library does not know, and a bad zone', () => {
    expect(problems({ ...chile, source: { country: 'XX' } })).toEqual(['calendar.source.country: date-holidays 3.37.0 has no holidays for XX']);
    expect(problems({ ...chile, source: { country: 'CL', region: 'ZZ' } })).toEqual(['calendar.source.country: date-holidays 3.37.0 has no holidays for CL-ZZ']);
    expect(problems({ ...chile, source: { country: 'CL', state: 'AP' } })).toEqual(['calendar.source.state is not a known field (library, libraryVersion, country, region)']);
    expect(problems({ ...chile, timeZone: 'Santiago' })).toEqual(['calendar.timeZone must be an IANA time zone such as America/Santiago']);
  });

  it("makes a region's calendar with its own days", () => {
    const arica = made({ ...chile, source: { country: 'CL', region: 'AP' } });
    expect(arica.source).toEqual({ library: 'date-holidays', libraryVersion: '3.37.0', country: 'CL', region: 'AP' });
    expect(arica.holidays).toContain('2027-06-07');
  });

  it('counts the publication year in the calendar’s zone', () => {
    // 2027-01-01T02:00Z is still 31 December 2026 in Santiago.
    expect(made(chile, new Date('2027-01-01T02:00:00Z')).coveredThrough).toBe('2036-12-31');
    expect(made(chile, new Date('2027-01-01T03:00:00Z')).coveredThrough).toBe('2037-12-31');
  });
});
