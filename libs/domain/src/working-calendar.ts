import type { WorkingCalendar } from './policy.model.js';
import { describeValue, isIsoDate, isNonEmptyString, isRecord } from './validation-helpers.js';
import { localDateOf } from './working-time.js';

/**
 * How far a holiday calendar reaches, and the rules that keep its list and its declared range
 * honest. A due date counted past the last date a list covers would treat that period's
 * holidays as working days without anyone noticing; these functions let publishing refuse such
 * a calendar and let an evaluation tell when it has run past its own.
 */

/** A calendar published today must list holidays for at least this many years ahead. */
export const CALENDAR_YEARS_AHEAD = 10;

/**
 * The longest stretch of a covered range a list may leave without a single holiday. Every
 * country has several a year; a longer gap means the list stops before its declared range ends.
 */
const MAX_DAYS_WITHOUT_A_HOLIDAY = 366;

const CALENDAR_FIELDS = ['timeZone', 'holidays', 'source', 'added', 'removed', 'coveredFrom', 'coveredThrough'];
const SOURCE_FIELDS = ['library', 'libraryVersion', 'country', 'region'];
const MS_PER_DAY = 86_400_000;

/** The dates a calendar's holiday list is known to hold, both inclusive (yyyy-mm-dd). */
export interface CalendarCoverage {
  from: string;
  through: string;
  /** False when inferred from the holidays of a calendar that does not declare its range. */
  declared: boolean;
}

function dayNumber(isoDate: string): number {
  const [year, month, day] = isoDate.split('-').map(Number);
  return Date.UTC(year!, month! - 1, day!) / MS_PER_DAY;
}

function isoOfDayNumber(days: number): string {
  return new Date(days * MS_PER_DAY).toISOString().slice(0, 10);
}

/** The same day `years` later; 29 February becomes 28 February in a common year. */
function yearsAfter(isoDate: string, years: number): string {
  const [year, month, day] = isoDate.split('-').map(Number);
  const target = year! + years;
  const lastDay = new Date(Date.UTC(target, month!, 0)).getUTCDate();
  return `${String(target).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(day!, lastDay)).padStart(2, '0')}`;
}

/**
 * The range a calendar covers: the declared `coveredFrom`..`coveredThrough`, or, for a calendar
 * that declares none (policy 2026.1), the whole years its holidays fall in (2026-01-01 to
 * 2027-12-31 for 2026.1). Null when it declares nothing and lists no holiday: it covers nothing.
 */
export function calendarCoverage(calendar: WorkingCalendar): CalendarCoverage | null {
  if (calendar.coveredFrom !== undefined && calendar.coveredThrough !== undefined) {
    return { from: calendar.coveredFrom, through: calendar.coveredThrough, declared: true };
  }
  if (calendar.holidays.length === 0) return null;
  const sorted = [...calendar.holidays].sort();
  return { from: `${sorted[0]!.slice(0, 4)}-01-01`, through: `${sorted[sorted.length - 1]!.slice(0, 4)}-12-31`, declared: false };
}

/**
 * Whether the calendar knows the holidays of the day `instant` falls on (in the calendar's zone).
 * Call it with the due date `addSlaDuration` returned for a working-day duration: false means
 * the computation counted days past the end of the list, whose holidays were taken for working
 * days (a duration in seconds never consults the calendar). Starts need no check when the policy
 * was current at submit: publishing refuses a calendar whose range begins after publication.
 */
export function calendarCovers(calendar: WorkingCalendar, instant: Date): boolean {
  const coverage = calendarCoverage(calendar);
  if (!coverage) return false;
  const day = localDateOf(instant, calendar.timeZone);
  return coverage.from <= day && day <= coverage.through;
}

/** Problems with a list of holiday changes (`calendar.added`, `calendar.removed`), or none. */
export function validateHolidayChanges(value: unknown, path: string): string[] {
  if (!Array.isArray(value)) return [`${path} must be a list of { date, reason } (got ${describeValue(value)})`];
  const problems: string[] = [];
  value.forEach((change: unknown, i) => {
    if (!isRecord(change)) {
      problems.push(`${path}[${i}] must be an object with date and reason (got ${describeValue(change)})`);
      return;
    }
    const unknown = Object.keys(change).filter((key) => key !== 'date' && key !== 'reason');
    if (unknown.length) problems.push(`${path}[${i}].${unknown[0]} is not a known field (date, reason)`);
    if (!isIsoDate(change.date)) problems.push(`${path}[${i}].date must be a real date written yyyy-mm-dd (got ${describeValue(change.date)})`);
    if (!isNonEmptyString(change.reason)) problems.push(`${path}[${i}].reason must say why, e.g. the law that fixes the day (got ${describeValue(change.reason)})`);
  });
  return problems;
}

function validateSource(source: unknown): string[] {
  if (!isRecord(source)) return [`calendar.source must be an object with library, libraryVersion and country (got ${describeValue(source)})`];
  const problems = Object.keys(source)
    .filter((key) => !SOURCE_FIELDS.includes(key))
    .map((key) => `calendar.source.${key} is not a known field (${SOURCE_FIELDS.join(', ')})`);
  if (!isNonEmptyString(source.library)) problems.push(`calendar.source.library must name the holiday library (got ${describeValue(source.library)})`);
  if (!isNonEmptyString(source.libraryVersion)) problems.push(`calendar.source.libraryVersion must be the library's exact version (got ${describeValue(source.libraryVersion)})`);
  if (!(typeof source.country === 'string' && /^[A-Z]{2}$/.test(source.country))) {
    problems.push(`calendar.source.country must be an ISO 3166-1 country code such as CL (got ${describeValue(source.country)})`);
  }
  if (source.region !== undefined && !(typeof source.region === 'string' && /^[A-Z0-9]{1,3}$/.test(source.region))) {
    problems.push(`calendar.source.region must be an ISO 3166-2 subdivision code such as AP (got ${describeValue(source.region)})`);
  }
  return problems;
}

/** The first stretch of the covered range longer than allowed without a holiday, if any. */
function longestGap(holidays: string[], from: string, through: string): { after: string; before: string } | null {
  const days = [...new Set(holidays)].map(dayNumber).sort((a, b) => a - b);
  const marks = [dayNumber(from) - 1, ...days, dayNumber(through) + 1];
  for (let i = 1; i < marks.length; i++) {
    if (marks[i]! - marks[i - 1]! - 1 > MAX_DAYS_WITHOUT_A_HOLIDAY) return { after: isoOfDayNumber(marks[i - 1]! + 1), before: isoOfDayNumber(marks[i]! - 1) };
  }
  return null;
}

/**
 * Problems with what a calendar says beyond its zone and list: where the list came from
 * (`source`), the policy's own changes (`added`, `removed`) and the range it covers, and whether
 * the list agrees with all of them. A calendar with none of these (policy 2026.1) has none.
 * Called by `validatePolicy` once the calendar is known to be an object.
 */
export function validateCalendarCoverage(calendar: Record<string, unknown>): string[] {
  const problems = Object.keys(calendar)
    .filter((key) => !CALENDAR_FIELDS.includes(key))
    .map((key) => `calendar.${key} is not a known field (${CALENDAR_FIELDS.join(', ')})`);

  if (calendar.source !== undefined) problems.push(...validateSource(calendar.source));
  const changes = { added: calendar.added, removed: calendar.removed };
  for (const [name, value] of Object.entries(changes)) {
    if (value === undefined) continue;
    problems.push(...validateHolidayChanges(value, `calendar.${name}`));
    if (calendar.source === undefined) problems.push(`calendar.${name} changes a library's list: it needs calendar.source`);
  }

  const { coveredFrom, coveredThrough } = calendar;
  const declaresRange = coveredFrom !== undefined || coveredThrough !== undefined;
  if (declaresRange) {
    if (!isIsoDate(coveredFrom)) problems.push(`calendar.coveredFrom must be a real date written yyyy-mm-dd, given with coveredThrough (got ${describeValue(coveredFrom)})`);
    if (!isIsoDate(coveredThrough)) problems.push(`calendar.coveredThrough must be a real date written yyyy-mm-dd, given with coveredFrom (got ${describeValue(coveredThrough)})`);
    if (isIsoDate(coveredFrom) && isIsoDate(coveredThrough) && coveredThrough < coveredFrom) {
      problems.push(`calendar.coveredThrough (${coveredThrough}) must not be before calendar.coveredFrom (${coveredFrom})`);
    }
  }
  if (problems.length) return problems;

  // The shapes are right: now the list must agree with the range and the changes.
  const holidays = Array.isArray(calendar.holidays) && calendar.holidays.every(isIsoDate) ? (calendar.holidays as string[]) : null;
  if (!holidays) return problems;
  if (declaresRange) {
    const from = coveredFrom as string;
    const through = coveredThrough as string;
    const outside = holidays.filter((day) => day < from || day > through);
    if (outside.length) {
      problems.push(`calendar.holidays lists ${outside.length} date(s) outside the covered range ${from} to ${through} (first: ${outside[0]})`);
    }
    const gap = longestGap(holidays, from, through);
    if (gap) {
      problems.push(`calendar.holidays lists no holiday from ${gap.after} to ${gap.before}, inside the covered range ${from} to ${through}: the list stops short of the range it declares`);
    }
  }
  const listed = new Set(holidays);
  const added = (calendar.added ?? []) as { date: string }[];
  const removed = (calendar.removed ?? []) as { date: string }[];
  added.forEach(({ date }, i) => {
    if (!listed.has(date)) problems.push(`calendar.added[${i}] (${date}) is not in calendar.holidays`);
  });
  const addedDates = new Set(added.map((change) => change.date));
  removed.forEach(({ date }, i) => {
    if (listed.has(date)) problems.push(`calendar.removed[${i}] (${date}) is still in calendar.holidays`);
    if (addedDates.has(date)) problems.push(`calendar.removed[${i}] (${date}) is also in calendar.added`);
  });
  return problems;
}

/**
 * Problems that stop a calendar from being published on `publishedAt`: its declared range must
 * start no later than the publication date and end no earlier than CALENDAR_YEARS_AHEAD years
 * after it (dates in the calendar's zone). Shape problems are left to `validatePolicy`.
 */
export function validateCalendarForPublication(calendar: unknown, publishedAt: Date): string[] {
  if (!isRecord(calendar) || typeof calendar.timeZone !== 'string') return [];
  let published: string;
  try {
    published = localDateOf(publishedAt, calendar.timeZone);
  } catch {
    return []; // an unknown zone, reported by validatePolicy
  }
  const required = yearsAfter(published, CALENDAR_YEARS_AHEAD);
  const problems: string[] = [];
  const { coveredFrom, coveredThrough } = calendar;
  if (coveredThrough === undefined) {
    problems.push(
      `calendar.coveredThrough is required to publish: the last date the holidays are listed for, on or after ${required} ` +
        `(${CALENDAR_YEARS_AHEAD} years after publication); give calendar.source to have the list made`,
    );
  } else if (isIsoDate(coveredThrough) && coveredThrough < required) {
    problems.push(`calendar.coveredThrough must be on or after ${required}, ${CALENDAR_YEARS_AHEAD} years after publication (got ${coveredThrough})`);
  }
  if (coveredFrom === undefined) {
    problems.push(`calendar.coveredFrom is required to publish: the first date the holidays are listed for, on or before ${published}`);
  } else if (isIsoDate(coveredFrom) && coveredFrom > published) {
    problems.push(`calendar.coveredFrom must be on or before the publication date ${published} (got ${coveredFrom})`);
  }
  return problems;
}
