import type { HolidayChange } from '../../domain';
import { datesOfRule, type HolidayPlace, type LibraryHoliday } from './holiday-library';

/** A rule of the law that the library gets wrong, corrected in every year a calendar is made for. */
export interface StandingCorrection {
  change: 'add' | 'remove';
  /** In the library's rule grammar: the days to add, or the library rule whose days to remove. */
  rule: string;
  reason: string;
}

/**
 * Where date-holidays 3.37.0 parts from the law, by country; applied to every calendar made
 * for that country (its regions included) and written into the calendar's `added` and
 * `removed`, so the published version shows them. holiday-corrections.spec.ts checks the result
 * against hand-worked dates: re-check these when the library is upgraded.
 */
export const STANDING_CORRECTIONS: Readonly<Record<string, readonly StandingCorrection[]>> = {
  CL: [
    { change: 'add', rule: 'easter -1', reason: 'Sábado Santo (Ley 2.977); date-holidays 3.37.0 omits it' },
    {
      change: 'remove',
      rule: 'easter',
      reason: 'Domingo de Resurrección is no legal holiday (date-holidays 3.37.0 lists it as "Pascua"); a Sunday, so no working day changes',
    },
  ],
};

/** The standing corrections of one year, given what the library lists for it. */
export function correctionsFor(place: HolidayPlace, year: number, listed: readonly LibraryHoliday[]): { added: HolidayChange[]; removed: HolidayChange[] } {
  const listedDates = new Set(listed.map((h) => h.date));
  const added: HolidayChange[] = [];
  const removed: HolidayChange[] = [];
  for (const correction of STANDING_CORRECTIONS[place.country] ?? []) {
    if (correction.change === 'add') {
      for (const date of datesOfRule(place, correction.rule, year)) {
        if (!listedDates.has(date)) added.push({ date, reason: correction.reason });
      }
    } else {
      for (const holiday of listed) {
        if (holiday.rule === correction.rule) removed.push({ date: holiday.date, reason: correction.reason });
      }
    }
  }
  return { added, removed };
}
