import { DEFAULT_POLICY, localDateOf, validateCalendarForPublication, validatePolicy, type Policy } from '../../domain';
import { makeHolidayCalendar } from './calendar-maker';

export type PolicyForPublication = { ok: true; policy: Policy } | { ok: false; problems: string[] };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The policy an admin's body becomes when published at `publishedAt`, or every problem with it.
 * A calendar with a `source` is made here from the holiday library (the `holidays`, range and
 * library version the body carries, e.g. copied from GET /policy, are replaced); a calendar
 * without one is taken as written. Either way it must agree with itself and reach
 * CALENDAR_YEARS_AHEAD years past the publication date.
 */
export function policyForPublication(body: unknown, publishedAt: Date): PolicyForPublication {
  if (isRecord(body) && isRecord(body.calendar) && body.calendar.source !== undefined) {
    const made = makeHolidayCalendar(body.calendar, publishedAt);
    if (!made.ok) {
      // Report the rest of the policy too, so one round trip shows every problem.
      const others = validatePolicy({ ...body, calendar: { timeZone: 'UTC', holidays: [] } });
      return { ok: false, problems: [...made.problems, ...others] };
    }
    body = { ...body, calendar: made.calendar };
  }
  const problems = validatePolicy(body);
  problems.push(...validateCalendarForPublication(isRecord(body) ? body.calendar : undefined, publishedAt));
  return problems.length ? { ok: false, problems } : { ok: true, policy: body as Policy };
}

/**
 * The version name of the default policy made in a year. The default's settings are those of
 * DEFAULT_POLICY (2026.1); only its calendar is made, so one name per year names one content
 * (with the library pinned). Change the prefix if the default settings ever change.
 */
export function defaultPolicyVersion(year: number): string {
  return `default-${year}`;
}

/**
 * The default policy as made at `now`: the settings of DEFAULT_POLICY (2026.1) with Chile's
 * holidays from the library, corrected, from 1 January of this year to 31 December ten years on.
 * What a fresh database is seeded with (tools/devstack/setup-database.ts).
 */
export function makeDefaultPolicy(now: Date): Policy {
  const { timeZone } = DEFAULT_POLICY.calendar;
  const made = makeHolidayCalendar({ timeZone, source: { country: 'CL' } }, now);
  if (!made.ok) throw new Error(`the default holiday calendar could not be made: ${made.problems.join('; ')}`);
  const year = Number(localDateOf(now, timeZone).slice(0, 4));
  const policy: Policy = { ...structuredClone(DEFAULT_POLICY), version: defaultPolicyVersion(year), calendar: made.calendar };
  const problems = [...validatePolicy(policy), ...validateCalendarForPublication(policy.calendar, now)];
  if (problems.length) throw new Error(`the default policy is invalid: ${problems.join('; ')}`);
  return policy;
}
