import { DEFAULT_POLICY } from './default-policy';
import type { WorkingCalendar } from './policy.model';
import { addSlaAmount, addSlaDuration, isWorkingDay, localDateOf, slaFraction, slaUsed, startSlaClock, workingDaysBetween, zonedTimeToInstant } from './working-time';

const chile = DEFAULT_POLICY.calendar;
const at = (iso: string): Date => new Date(iso);
const due = (start: string, workingDays: number, calendar: WorkingCalendar = chile): string =>
  addSlaDuration(at(start), { workingDays }, calendar).toISOString();

// Santiago is UTC-3 in summer time (until the first Sunday of April, and again from the
// first Sunday of September) and UTC-4 in winter time.

describe('addSlaDuration in working days (America/Santiago, Chilean holidays)', () => {
  it('keeps the local time of day on an ordinary weekday', () => {
    // Tuesday 2026-03-10 10:00 -03 + 2 working days -> Thursday 2026-03-12 10:00 -03.
    expect(due('2026-03-10T13:00:00Z', 2)).toBe('2026-03-12T13:00:00.000Z');
  });

  it('skips the weekend from a Friday start', () => {
    // Friday 2026-03-06 10:00 -03 + 1 -> Monday 2026-03-09 10:00 -03.
    expect(due('2026-03-06T13:00:00Z', 1)).toBe('2026-03-09T13:00:00.000Z');
    // + 10 (the review SLA) -> Friday 2026-03-20: two full weeks, no holiday in between.
    expect(due('2026-03-06T13:00:00Z', 10)).toBe('2026-03-20T13:00:00.000Z');
  });

  it('skips Fiestas Patrias (Friday 18 and Saturday 19 September 2026)', () => {
    // Thursday 2026-09-17 15:00 -03 + 1: Friday 18 is a holiday, then the weekend -> Monday 21.
    expect(due('2026-09-17T18:00:00Z', 1)).toBe('2026-09-21T18:00:00.000Z');
    expect(due('2026-09-17T18:00:00Z', 2)).toBe('2026-09-22T18:00:00.000Z');
  });

  it('counts a start on a holiday from 00:00 of the next working day', () => {
    // Friday 2026-09-18 (holiday) 11:00 -03 -> counts from Monday 21 00:00 -03, + 1 -> Tuesday 22 00:00 -03.
    expect(due('2026-09-18T14:00:00Z', 1)).toBe('2026-09-22T03:00:00.000Z');
  });

  it('counts a weekend start from 00:00 on Monday', () => {
    // Saturday 2026-03-07 10:00 -03 -> Monday 9 00:00 -03; + 1 -> Tuesday 10 00:00 -03.
    expect(due('2026-03-07T13:00:00Z', 1)).toBe('2026-03-10T03:00:00.000Z');
    // Zero days from a weekend is the start of the next working day.
    expect(due('2026-03-07T13:00:00Z', 0)).toBe('2026-03-09T03:00:00.000Z');
  });

  it('treats the local date, not the UTC date, as the start day', () => {
    // Friday 2026-03-06 22:30 -03 is already Saturday 01:30 in UTC; it is still a Friday start.
    expect(due('2026-03-07T01:30:00Z', 1)).toBe('2026-03-10T01:30:00.000Z');
  });

  it('keeps the wall-clock time across the end of summer time (and Easter)', () => {
    // Thursday 2026-04-02 10:00 -03 + 2: Good Friday 3 April is a holiday, clocks go back
    // on Sunday 5 April -> Monday 6, Tuesday 7 at 10:00 -04 = 14:00 UTC.
    expect(due('2026-04-02T13:00:00Z', 2)).toBe('2026-04-07T14:00:00.000Z');
  });

  it('keeps the wall-clock time across the start of summer time', () => {
    // Friday 2026-09-04 09:00 -04 + 1: clocks go forward on Sunday 6 -> Monday 7 09:00 -03 = 12:00 UTC.
    expect(due('2026-09-04T13:00:00Z', 1)).toBe('2026-09-07T12:00:00.000Z');
  });

  it('uses the holidays of the calendar it is given', () => {
    // Without Chile's holidays, Friday 2026-09-18 is a working day.
    expect(due('2026-09-17T18:00:00Z', 1, { ...chile, holidays: [] })).toBe('2026-09-18T18:00:00.000Z');
    // An extra holiday on Monday 2026-03-09 pushes the Friday start on to Tuesday.
    expect(due('2026-03-06T13:00:00Z', 1, { ...chile, holidays: ['2026-03-09'] })).toBe('2026-03-10T13:00:00.000Z');
  });

  it('refuses a negative or fractional number of days', () => {
    expect(() => addSlaDuration(at('2026-03-10T13:00:00Z'), { workingDays: -1 }, chile)).toThrow(RangeError);
    expect(() => addSlaDuration(at('2026-03-10T13:00:00Z'), { workingDays: 1.5 }, chile)).toThrow(RangeError);
  });
});

describe('addSlaDuration around daylight-saving changes on a working day', () => {
  // Cairo moved its clocks on weekdays in 2023: forward at 00:00 on Friday 28 April
  // (+02 -> +03), back at 24:00 on Thursday 26 October (+03 -> +02).
  const cairo: WorkingCalendar = { timeZone: 'Africa/Cairo', holidays: [] };

  it('moves a wall time that does not exist forward by the jump', () => {
    // Thursday 2023-04-27 00:30 +02 + 1 -> Friday 00:30, which is skipped -> 01:30 +03 = 22:30 UTC on the 27th.
    expect(due('2023-04-26T22:30:00Z', 1, cairo)).toBe('2023-04-27T22:30:00.000Z');
  });

  it('takes the earlier of a wall time that occurs twice', () => {
    // Wednesday 2023-10-25 23:30 +03 + 1 -> Thursday 23:30, which occurs at +03 and at +02 -> +03 = 20:30 UTC.
    expect(due('2023-10-25T20:30:00Z', 1, cairo)).toBe('2023-10-26T20:30:00.000Z');
  });
});

describe('addSlaDuration in seconds', () => {
  it('adds plain elapsed time, ignoring weekends and holidays', () => {
    // Saturday 2026-09-19 (a holiday) + 90 s.
    expect(addSlaDuration(at('2026-09-19T12:00:00Z'), { seconds: 90 }, chile).toISOString()).toBe('2026-09-19T12:01:30.000Z');
    expect(addSlaDuration(at('2026-09-19T12:00:00Z'), { seconds: 0.25 }, chile).toISOString()).toBe('2026-09-19T12:00:00.250Z');
  });

  it('refuses negative seconds', () => {
    expect(() => addSlaDuration(at('2026-09-19T12:00:00Z'), { seconds: -1 }, chile)).toThrow(RangeError);
  });
});

describe('slaFraction', () => {
  it('gives the moment the fraction of the time has passed', () => {
    // 10 s window, 80% -> 8 s in.
    expect(slaFraction(at('2026-01-01T00:00:00Z'), at('2026-01-01T00:00:10Z'), 0.8).toISOString()).toBe('2026-01-01T00:00:08.000Z');
  });

  it('measures elapsed time, so the reminder of a working-day SLA can fall on a weekend', () => {
    // Friday 2026-03-06 13:00Z to Friday 2026-03-20 13:00Z is 14 days; 80% is 11.2 days -> Tuesday 17 17:48Z.
    const start = at('2026-03-06T13:00:00Z');
    const end = addSlaDuration(start, { workingDays: 10 }, chile);
    expect(slaFraction(start, end, 0.8).toISOString()).toBe('2026-03-17T17:48:00.000Z');
  });
});

describe('calendar helpers', () => {
  it('knows working days', () => {
    expect(isWorkingDay('2026-09-17', chile)).toBe(true); // Thursday
    expect(isWorkingDay('2026-09-18', chile)).toBe(false); // holiday
    expect(isWorkingDay('2026-09-20', chile)).toBe(false); // Sunday
  });

  it('gives the local date of an instant', () => {
    expect(localDateOf(at('2026-03-07T01:30:00Z'), 'America/Santiago')).toBe('2026-03-06');
    expect(localDateOf(at('2026-03-07T01:30:00Z'), 'UTC')).toBe('2026-03-07');
  });

  it('converts local wall times to instants', () => {
    const local = { year: 2026, month: 7, day: 1, hour: 9, minute: 15, second: 0, millisecond: 5 };
    expect(zonedTimeToInstant(local, 'America/Santiago').toISOString()).toBe('2026-07-01T13:15:00.005Z');
  });
});

describe('clocks that pause', () => {
  const sla10 = { workingDays: 10 };

  it('counts working days between two instants, weekends and holidays excluded', () => {
    // Tuesday 2026-03-10 10:00 -03 to Thursday 12 10:00 -03: two working days.
    expect(workingDaysBetween(at('2026-03-10T13:00:00Z'), at('2026-03-12T13:00:00Z'), chile)).toBeCloseTo(2, 9);
    // Friday 2026-03-06 10:00 to Monday 9 10:00: the weekend counts nothing.
    expect(workingDaysBetween(at('2026-03-06T13:00:00Z'), at('2026-03-09T13:00:00Z'), chile)).toBeCloseTo(1, 9);
    // Thursday 2026-09-17 12:00 to Monday 21 12:00: Fiestas Patrias and the weekend count nothing.
    expect(workingDaysBetween(at('2026-09-17T15:00:00Z'), at('2026-09-21T15:00:00Z'), chile)).toBeCloseTo(1, 9);
    expect(workingDaysBetween(at('2026-03-12T13:00:00Z'), at('2026-03-10T13:00:00Z'), chile)).toBe(0);
  });

  it('is the inverse of adding working days, whole or with a fraction', () => {
    for (const start of ['2026-03-10T13:00:00Z', '2026-09-17T18:00:00Z', '2026-04-02T13:00:00Z', '2026-03-07T13:00:00Z']) {
      for (const days of [1, 2.5, 8, 9.75, 10]) {
        const due = addSlaAmount(at(start), sla10, days, chile);
        expect(workingDaysBetween(at(start), due, chile)).toBeCloseTo(days, 6);
      }
    }
    // Whole days land where addSlaDuration lands.
    expect(addSlaAmount(at('2026-03-06T13:00:00Z'), sla10, 10, chile).toISOString()).toBe(due('2026-03-06T13:00:00Z', 10));
    // Half a day from Friday 18:00 -03 runs past midnight into Monday: Monday 06:00 -03.
    expect(addSlaAmount(at('2026-03-06T21:00:00Z'), sla10, 0.5, chile).toISOString()).toBe('2026-03-09T09:00:00.000Z');
  });

  it('reminds after 80% of the working days, not 80% of the calendar time', () => {
    // Monday 2026-03-02 10:00 -03, 10 working days: due Monday 16, reminder after 8: Thursday 12 10:00 -03.
    const clock = startSlaClock(at('2026-03-02T13:00:00Z'), sla10, 0.8, chile);
    expect(clock.dueAt).toBe('2026-03-16T13:00:00.000Z');
    expect(clock.remindAt).toBe('2026-03-12T13:00:00.000Z');
  });

  it('continues a clock with what was left, and reminds only if its reminder point is still ahead', () => {
    // 6 of 10 days used: 4 left from Monday 2026-03-23 10:00 -03 -> Friday 27; reminder after 2 more.
    const continued = startSlaClock(at('2026-03-23T13:00:00Z'), sla10, 0.8, chile, 6);
    expect(continued.dueAt).toBe('2026-03-27T13:00:00.000Z');
    expect(continued.remindAt).toBe('2026-03-25T13:00:00.000Z');
    expect(slaUsed(continued, at('2026-03-24T13:00:00Z'), chile)).toBeCloseTo(7, 9);
    // 9 used: past the reminder point, so no second reminder.
    expect(startSlaClock(at('2026-03-23T13:00:00Z'), sla10, 0.8, chile, 9).remindAt).toBeNull();
  });

  it('runs second-scale clocks on plain elapsed time', () => {
    const clock = startSlaClock(at('2026-03-07T13:00:00Z'), { seconds: 10 }, 0.8, chile, 5);
    expect(clock.dueAt).toBe('2026-03-07T13:00:05.000Z');
    expect(clock.remindAt).toBe('2026-03-07T13:00:03.000Z');
  });
});
