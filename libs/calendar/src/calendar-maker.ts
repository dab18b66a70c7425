import { CALENDAR_YEARS_AHEAD, isKnownTimeZone, localDateOf, validateHolidayChanges, type HolidayChange, type WorkingCalendar } from '../../domain';
import { correctionsFor } from './holiday-corrections';
import { HOLIDAY_LIBRARY, libraryHolidays, libraryKnows, type HolidayPlace } from './holiday-library';

/** What an admin asks for: the zone, where the holidays are, and the policy's own changes. */
export interface CalendarRequest {
  timeZone: string;
  source: HolidayPlace;
  added?: HolidayChange[];
  removed?: HolidayChange[];
}

export type MadeCalendar = { ok: true; calendar: WorkingCalendar } | { ok: false; problems: string[] };

const SOURCE_FIELDS = ['library', 'libraryVersion', 'country', 'region'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function byDate(a: HolidayChange, b: HolidayChange): number {
  return a.date < b.date ? -1 : a.date > b.date ? 1 : 0;
}

/** Adds each change whose date is not there yet; the first reason given for a date stays. */
function mergeInto(target: Map<string, HolidayChange>, changes: readonly HolidayChange[]): void {
  for (const change of changes) if (!target.has(change.date)) target.set(change.date, { date: change.date, reason: change.reason });
}

/** The zone, place and changes of a request, or what is wrong with them. */
function readRequest(request: unknown): { ok: true; request: CalendarRequest } | { ok: false; problems: string[] } {
  if (!isRecord(request)) return { ok: false, problems: ['calendar must be an object with timeZone and source'] };
  const problems: string[] = [];
  const { timeZone, source, added, removed } = request;
  if (typeof timeZone !== 'string' || !isKnownTimeZone(timeZone)) {
    problems.push('calendar.timeZone must be an IANA time zone such as America/Santiago');
  }
  if (!isRecord(source)) {
    problems.push('calendar.source must be an object with country (and region), e.g. { "country": "CL" }');
  } else {
    const unknown = Object.keys(source).filter((key) => !SOURCE_FIELDS.includes(key));
    problems.push(...unknown.map((key) => `calendar.source.${key} is not a known field (${SOURCE_FIELDS.join(', ')})`));
    const { country, region } = source;
    if (typeof country !== 'string' || (region !== undefined && typeof region !== 'string')) {
      problems.push('calendar.source.country must be an ISO 3166-1 country code such as CL (and region, if given, an ISO 3166-2 subdivision code)');
    } else if (!libraryKnows({ country, region })) {
      const where = region === undefined ? country : `${country}-${region}`;
      problems.push(`calendar.source.country: ${HOLIDAY_LIBRARY.name} ${HOLIDAY_LIBRARY.version} has no holidays for ${where}`);
    }
  }
  if (added !== undefined) problems.push(...validateHolidayChanges(added, 'calendar.added'));
  if (removed !== undefined) problems.push(...validateHolidayChanges(removed, 'calendar.removed'));
  if (problems.length) return { ok: false, problems };
  const place = source as { country: string; region?: string };
  return {
    ok: true,
    request: {
      timeZone: timeZone as string,
      source: place.region === undefined ? { country: place.country } : { country: place.country, region: place.region },
      added: (added ?? []) as HolidayChange[],
      removed: (removed ?? []) as HolidayChange[],
    },
  };
}

/**
 * The calendar of a policy published at `publishedAt`: the library's public holidays from
 * 1 January of the publication year (in the calendar's zone) to 31 December CALENDAR_YEARS_AHEAD
 * years later, with the library's standing corrections for the country and the policy's own
 * changes. Changes dated before that range are left out (a version published the year before
 * carried them); changes after it, removals of days the library does not list, and a day both
 * added and removed are refused. The result records the library and its version, every change
 * with its reason, and the range covered.
 */
export function makeHolidayCalendar(request: unknown, publishedAt: Date): MadeCalendar {
  const read = readRequest(request);
  if (!read.ok) return read;
  const { timeZone, source } = read.request;
  const firstYear = Number(localDateOf(publishedAt, timeZone).slice(0, 4));
  const lastYear = firstYear + CALENDAR_YEARS_AHEAD;
  const coveredFrom = `${firstYear}-01-01`;
  const coveredThrough = `${lastYear}-12-31`;

  const listed = new Map<string, string>();
  const added = new Map<string, HolidayChange>();
  const removed = new Map<string, HolidayChange>();
  for (let year = firstYear; year <= lastYear; year++) {
    const holidays = libraryHolidays(source, year);
    for (const holiday of holidays) listed.set(holiday.date, holiday.rule);
    const corrections = correctionsFor(source, year, holidays);
    mergeInto(added, corrections.added);
    mergeInto(removed, corrections.removed);
  }

  const problems: string[] = [];
  const own = (changes: readonly HolidayChange[], path: string): HolidayChange[] =>
    changes.filter((change, i) => {
      if (change.date < coveredFrom) return false;
      if (change.date > coveredThrough) problems.push(`${path}[${i}] (${change.date}) is after ${coveredThrough}, the end of the range the list is made for`);
      return change.date <= coveredThrough;
    });
  const ownAdded = own(read.request.added ?? [], 'calendar.added');
  const ownRemoved = own(read.request.removed ?? [], 'calendar.removed');
  (read.request.removed ?? []).forEach((change, i) => {
    if (ownRemoved.includes(change) && !listed.has(change.date)) {
      problems.push(`calendar.removed[${i}] (${change.date}) is not a holiday ${HOLIDAY_LIBRARY.name} lists for ${source.country}: nothing to remove`);
    }
  });
  (read.request.added ?? []).forEach((change, i) => {
    const correction = removed.get(change.date);
    if (ownAdded.includes(change) && correction) problems.push(`calendar.added[${i}] (${change.date}) is a day the standing corrections remove: ${correction.reason}`);
  });
  if (problems.length) return { ok: false, problems };
  mergeInto(added, ownAdded);
  mergeInto(removed, ownRemoved);
  const both = [...added.keys()].filter((date) => removed.has(date));
  if (both.length) return { ok: false, problems: [`calendar.added and calendar.removed both name ${both.join(', ')}`] };

  const holidays = new Set([...listed.keys()].filter((date) => !removed.has(date)));
  for (const date of added.keys()) holidays.add(date);
  return {
    ok: true,
    calendar: {
      timeZone,
      holidays: [...holidays].sort(),
      source: { library: HOLIDAY_LIBRARY.name, libraryVersion: HOLIDAY_LIBRARY.version, ...source },
      added: [...added.values()].sort(byDate),
      removed: [...removed.values()].sort(byDate),
      coveredFrom,
      coveredThrough,
    },
  };
}
