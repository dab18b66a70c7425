import type { SlaDuration, WorkingCalendar } from './policy.model.js';

/**
 * Due dates in working days, computed from the start instant and the pinned policy alone,
 * so a workflow replaying its history gets the same answer. Local dates come from Intl
 * (available in the workflow sandbox) rather than the host's time zone.
 */

const MS_PER_DAY = 86_400_000;

export interface LocalDate {
  year: number;
  month: number;
  day: number;
}

export interface LocalDateTime extends LocalDate {
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The wall-clock date and time of an instant in a zone. */
function toLocal(epochMs: number, timeZone: string): LocalDateTime {
  const fields: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(epochMs))) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  return {
    year: fields.year!,
    month: fields.month!,
    day: fields.day!,
    // Some ICU versions still print midnight as 24 despite h23.
    hour: fields.hour === 24 ? 0 : fields.hour!,
    minute: fields.minute!,
    second: fields.second!,
    millisecond: ((epochMs % 1000) + 1000) % 1000,
  };
}

function wallClockAsUtc(t: LocalDateTime): number {
  return Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second, t.millisecond);
}

/** The zone's offset from UTC at an instant, in ms (negative west of Greenwich). */
function offsetAt(epochMs: number, timeZone: string): number {
  return wallClockAsUtc(toLocal(epochMs, timeZone)) - epochMs;
}

/**
 * The instant a wall-clock time names in a zone. Around a DST change a wall time may not
 * exist (clocks jumped forward: it is moved forward by the jump) or occur twice (clocks
 * went back: the earlier one is taken), the same choices as Temporal's "compatible".
 */
export function zonedTimeToInstant(local: LocalDateTime, timeZone: string): Date {
  const asUtc = wallClockAsUtc(local);
  // The offsets a day either side bracket any single transition near this wall time.
  const offsetBefore = offsetAt(asUtc - MS_PER_DAY, timeZone);
  const offsetAfter = offsetAt(asUtc + MS_PER_DAY, timeZone);
  const candidates = [asUtc - offsetBefore, asUtc - offsetAfter].filter(
    (instant) => offsetAt(instant, timeZone) === asUtc - instant,
  );
  if (candidates.length > 0) return new Date(Math.min(...candidates));
  // A skipped wall time read with the offset in force before the jump lands just after it.
  return new Date(asUtc - offsetBefore);
}

function isoDate(d: LocalDate): string {
  const pad = (n: number, width: number): string => String(n).padStart(width, '0');
  return `${pad(d.year, 4)}-${pad(d.month, 2)}-${pad(d.day, 2)}`;
}

function nextDate(d: LocalDate): LocalDate {
  const next = new Date(Date.UTC(d.year, d.month - 1, d.day + 1));
  return { year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate() };
}

function isWorkingDate(d: LocalDate, holidays: ReadonlySet<string>): boolean {
  const weekday = new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !holidays.has(isoDate(d));
}

/** Whether a calendar date (yyyy-mm-dd) is a working day: Monday to Friday and not a holiday. */
export function isWorkingDay(date: string, calendar: Pick<WorkingCalendar, 'holidays'>): boolean {
  const [year, month, day] = date.split('-').map(Number);
  return isWorkingDate({ year: year!, month: month!, day: day! }, new Set(calendar.holidays));
}

/** The local calendar date (yyyy-mm-dd) of an instant in the calendar's zone. */
export function localDateOf(instant: Date, timeZone: string): string {
  return isoDate(toLocal(instant.getTime(), timeZone));
}

/**
 * When a step that starts at `start` is due. Seconds are plain elapsed time. Working days
 * land at the same local wall-clock time N working days later; a start on a weekend or
 * holiday counts from 00:00 of the next working day, so the agency or reviewer always gets
 * N whole working days.
 */
export function addSlaDuration(start: Date, d: SlaDuration, calendar: WorkingCalendar): Date {
  if ('seconds' in d) {
    if (!Number.isFinite(d.seconds) || d.seconds < 0) throw new RangeError(`invalid SLA duration: ${d.seconds} seconds`);
    return new Date(start.getTime() + Math.round(d.seconds * 1000));
  }
  const days = d.workingDays;
  if (!Number.isInteger(days) || days < 0) throw new RangeError(`invalid SLA duration: ${days} working days`);

  const holidays = new Set(calendar.holidays);
  let local = toLocal(start.getTime(), calendar.timeZone);
  if (!isWorkingDate(local, holidays)) {
    let date: LocalDate = nextDate(local);
    while (!isWorkingDate(date, holidays)) date = nextDate(date);
    local = { ...date, hour: 0, minute: 0, second: 0, millisecond: 0 };
  }
  let date: LocalDate = local;
  for (let counted = 0; counted < days; counted++) {
    date = nextDate(date);
    while (!isWorkingDate(date, holidays)) date = nextDate(date);
  }
  return zonedTimeToInstant({ ...local, year: date.year, month: date.month, day: date.day }, calendar.timeZone);
}

/** The moment a given share of a step's time has passed, e.g. the reminder at 0.8. */
export function slaFraction(start: Date, due: Date, fraction: number): Date {
  const startMs = start.getTime();
  return new Date(startMs + Math.round((due.getTime() - startMs) * fraction));
}

// ----- clocks that pause -------------------------------------------------------------------

/** Wall-clock milliseconds since local midnight. */
function msOfDay(t: LocalDateTime): number {
  return ((t.hour * 60 + t.minute) * 60 + t.second) * 1000 + t.millisecond;
}

function sameDate(a: LocalDate, b: LocalDate): boolean {
  return a.year === b.year && a.month === b.month && a.day === b.day;
}

function atMsOfDay(date: LocalDate, ms: number): LocalDateTime {
  if (ms >= MS_PER_DAY) return { ...nextDate(date), hour: 0, minute: 0, second: 0, millisecond: 0 };
  const millisecond = ms % 1000;
  const seconds = Math.floor(ms / 1000);
  return { ...date, hour: Math.floor(seconds / 3600), minute: Math.floor(seconds / 60) % 60, second: seconds % 60, millisecond };
}

/**
 * Working days, with fractions, between two instants: the share of each working local day (by
 * the wall clock of the calendar's zone) that lies between them. Weekends and holidays count
 * nothing, so `workingDaysBetween(start, addSlaDuration(start, { workingDays: n }))` is `n`.
 */
export function workingDaysBetween(from: Date, to: Date, calendar: WorkingCalendar): number {
  if (to.getTime() <= from.getTime()) return 0;
  const holidays = new Set(calendar.holidays);
  const a = toLocal(from.getTime(), calendar.timeZone);
  const b = toLocal(to.getTime(), calendar.timeZone);
  let total = 0;
  for (let date: LocalDate = a; ; date = nextDate(date)) {
    const begin = sameDate(date, a) ? msOfDay(a) : 0;
    const end = sameDate(date, b) ? msOfDay(b) : MS_PER_DAY;
    if (isWorkingDate(date, holidays)) total += (end - begin) / MS_PER_DAY;
    if (sameDate(date, b)) return total;
  }
}

/** Whole working days as `addSlaDuration` counts them, then the fraction on the following working days. */
function addWorkingDays(start: Date, days: number, calendar: WorkingCalendar): Date {
  const whole = Math.floor(days);
  const due = addSlaDuration(start, { workingDays: whole }, calendar);
  let remaining = Math.round((days - whole) * MS_PER_DAY);
  if (remaining === 0) return due;
  const holidays = new Set(calendar.holidays);
  const local = toLocal(due.getTime(), calendar.timeZone);
  let date: LocalDate = local;
  let position = msOfDay(local);
  for (;;) {
    const room = MS_PER_DAY - position;
    if (remaining <= room) return zonedTimeToInstant(atMsOfDay(date, position + remaining), calendar.timeZone);
    remaining -= room;
    date = nextDate(date);
    while (!isWorkingDate(date, holidays)) date = nextDate(date);
    position = 0;
  }
}

/** A service level's amount in its own unit: working days or seconds. */
export function slaAmount(d: SlaDuration): number {
  return 'seconds' in d ? d.seconds : d.workingDays;
}

/** An amount in the unit of `like`. */
export function slaOf(like: SlaDuration, amount: number): SlaDuration {
  return 'seconds' in like ? { seconds: amount } : { workingDays: amount };
}

/** The time a step has used between two instants, in the unit of its service level. */
export function slaElapsed(like: SlaDuration, from: Date, to: Date, calendar: WorkingCalendar): number {
  return 'seconds' in like ? Math.max(0, (to.getTime() - from.getTime()) / 1000) : workingDaysBetween(from, to, calendar);
}

/**
 * When `amount` (in the unit of `like`, fractions allowed) has passed from `start`: seconds are
 * plain elapsed time, working days skip weekends and holidays as `addSlaDuration` does.
 */
export function addSlaAmount(start: Date, like: SlaDuration, amount: number, calendar: WorkingCalendar): Date {
  if ('seconds' in like) return new Date(start.getTime() + Math.round(amount * 1000));
  return addWorkingDays(start, amount, calendar);
}

/** A step's clock: how much of its service level was used before `start`, when it is due, when it reminds. */
export interface SlaClock {
  sla: SlaDuration;
  /** Used before this stretch of the clock began (a review continued after the agency's answer). */
  usedBefore: number;
  start: string;
  dueAt: string;
  /** Null when the reminder point was already passed before this stretch. */
  remindAt: string | null;
}

/**
 * Starts (or continues, with `usedBefore`) a step's clock at `start`: due when the whole service
 * level is used, a reminder when the policy's share of it is (0.8 of 10 working days: after 8).
 */
export function startSlaClock(start: Date, sla: SlaDuration, reminderFraction: number, calendar: WorkingCalendar, usedBefore = 0): SlaClock {
  const total = slaAmount(sla);
  const remindPoint = total * reminderFraction;
  return {
    sla,
    usedBefore,
    start: start.toISOString(),
    dueAt: addSlaAmount(start, sla, Math.max(0, total - usedBefore), calendar).toISOString(),
    remindAt: usedBefore < remindPoint ? addSlaAmount(start, sla, remindPoint - usedBefore, calendar).toISOString() : null,
  };
}

/** How much of its service level a clock has used by `at`. */
export function slaUsed(clock: SlaClock, at: Date, calendar: WorkingCalendar): number {
  return clock.usedBefore + slaElapsed(clock.sla, new Date(clock.start), at, calendar);
}
