import Holidays from 'date-holidays';

/**
 * The one door to the holiday library. It is asked only when a policy version is made; its
 * answer is written into that version, so due dates and workflow replays never depend on which
 * version of the library is installed later.
 */
export const HOLIDAY_LIBRARY = { name: 'date-holidays', version: '3.37.0' } as const;

/** A day the library gives, with the rule that produced it (`easter -2`, `09-18`, ...). */
export interface LibraryHoliday {
  date: string;
  name: string;
  rule: string;
}

export interface HolidayPlace {
  /** ISO 3166-1 alpha-2, e.g. CL. */
  country: string;
  /** ISO 3166-2 subdivision (the library's "state"), e.g. AP. */
  region?: string;
}

// Instances hold no clock and never change once set up: one per place, one per correction rule.
const instances = new Map<string, Holidays>();

function cached(key: string, create: () => Holidays): Holidays {
  let instance = instances.get(key);
  if (!instance) {
    instance = create();
    instances.set(key, instance);
  }
  return instance;
}

function libraryFor(place: HolidayPlace): Holidays {
  return cached(`${place.country}/${place.region ?? ''}`, () => {
    const holidays = new Holidays({ types: ['public'] });
    holidays.init(place.country, place.region ?? '');
    return holidays;
  });
}

/** Whether the library has rules for this country (and region): an unknown one yields nothing, silently. */
export function libraryKnows(place: HolidayPlace): boolean {
  const lookup = new Holidays();
  if (!Object.hasOwn(lookup.getCountries(), place.country)) return false;
  return place.region === undefined || Object.hasOwn(lookup.getStates(place.country) ?? {}, place.region);
}

function dayOf(holiday: { date: string }): string {
  // "2026-09-18 00:00:00", local to the country's zone: the date is what counts.
  return holiday.date.slice(0, 10);
}

/** The public holidays the library lists for a year (bank, school and observance days left out). */
export function libraryHolidays(place: HolidayPlace, year: number): LibraryHoliday[] {
  return libraryFor(place)
    .getHolidays(year)
    .filter((h) => h.type === 'public')
    .map((h) => ({ date: dayOf(h), name: h.name, rule: h.rule }));
}

/**
 * The dates a rule of the library's grammar (`easter -1`, `06-29 if tuesday then previous monday`)
 * gives in a year, evaluated alone in the place's main time zone.
 */
export function datesOfRule(place: HolidayPlace, rule: string, year: number): string[] {
  const holidays = cached(`${place.country}/${place.region ?? ''}/${rule}`, () => {
    const alone = new Holidays();
    const [timeZone] = libraryFor(place).getTimezones();
    if (timeZone) alone.setTimezone(timeZone);
    if (!alone.setHoliday(rule, { name: rule, type: 'public' })) throw new Error(`date-holidays does not understand the rule "${rule}"`);
    return alone;
  });
  return holidays.getHolidays(year).map(dayOf);
}
