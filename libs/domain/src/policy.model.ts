import type { Tier } from './proposal.model.js';
import { TIERS } from './proposal.model.js';
import {
  describeValue,
  isFiniteNumber,
  isInteger,
  isIsoDate,
  isNonEmptyString,
  isOneOf,
  isRecord,
} from './validation-helpers.js';
import { validateCalendarCoverage } from './working-calendar.js';

export const APPROVAL_LEVELS = ['DIGITAL_HEAD', 'BUDGET_DIRECTOR', 'COMMITTEE'] as const;
export type ApprovalLevel = (typeof APPROVAL_LEVELS)[number];

export const REVIEW_MODES = ['PARALLEL', 'SEQUENTIAL'] as const;
export type ReviewMode = (typeof REVIEW_MODES)[number];

/**
 * A service level. Working days are the real rule; seconds exist so tests and demos can
 * shrink every duration without touching the calendar logic.
 */
export type SlaDuration = { workingDays: number } | { seconds: number };

export interface SlaPolicy {
  technicalReview: SlaDuration;
  costEfficiencyReview: SlaDuration;
  /** Applies to each approval level separately. */
  approvalLevel: SlaDuration;
  /** Time the agency has to answer a change request before the proposal lapses. */
  agencyResponse: SlaDuration;
  /** Submit-to-outcome target: reported, not enforced. */
  wholeEvaluation: SlaDuration;
  /** Share of a duration after which a reminder goes out (0.8 = at 80%). */
  reminderFraction: number;
}

/** A day a policy adds to, or removes from, the holidays a library lists; `reason` cites the law. */
export interface HolidayChange {
  /** yyyy-mm-dd, local to the calendar's zone. */
  date: string;
  reason: string;
}

/** Which holiday library made a calendar's list, and for where. */
export interface HolidaySource {
  /** The npm package, e.g. `date-holidays`. */
  library: string;
  /** Its exact version when the list was made: the list is stored, never asked for again. */
  libraryVersion: string;
  /** ISO 3166-1 alpha-2 country code the library was asked for, e.g. `CL`. */
  country: string;
  /** ISO 3166-2 subdivision (a Chilean región, e.g. `AP`), for its regional holidays too. */
  region?: string;
}

/**
 * The days that count. Policies pinned before calendars declared their coverage (2026.1) have
 * only `timeZone` and `holidays`; their coverage is taken to be the whole years their holidays
 * fall in (see `calendarCoverage`).
 */
export interface WorkingCalendar {
  /** IANA zone in which working days are counted. */
  timeZone: string;
  /**
   * Non-working dates, ISO yyyy-mm-dd, local to `timeZone`: what due dates skip. For a list made
   * by a library it is the library's list for the covered range, minus `removed`, plus `added`.
   */
  holidays: string[];
  /** Set when a library made the list (at publication; it is never recomputed). */
  source?: HolidaySource;
  /** Days the policy adds on top of the library's list (Holy Saturday, extra days fixed by law). */
  added?: HolidayChange[];
  /** Days of the library's list the policy takes out (days the law does not make holidays). */
  removed?: HolidayChange[];
  /** First date whose holidays the list is known to hold (yyyy-mm-dd, inclusive). */
  coveredFrom?: string;
  /** Last date whose holidays the list is known to hold (yyyy-mm-dd, inclusive). */
  coveredThrough?: string;
}

export interface TierThresholds {
  /** Total cost strictly below this (and no raising answer) is LOW. */
  lowBelow: number;
  /** Total cost up to and including this is at most MEDIUM; above it is HIGH. */
  mediumUpTo: number;
}

export interface Policy {
  version: string;
  currency: 'CLP';
  tiers: TierThresholds;
  defaultHorizonYears: number;
  /** Social discount rate, a decimal (0.06 = 6% a year). */
  discountRate: number;
  /** A unit price more than this share over its reference price is flagged (0.25 = 25%). */
  benchmarkTolerance: number;
  reviewMode: ReviewMode;
  committeeQuorum: number;
  approvalLevelsByTier: Record<Tier, ApprovalLevel[]>;
  sla: SlaPolicy;
  calendar: WorkingCalendar;
}

export const SLA_STEPS = [
  'technicalReview',
  'costEfficiencyReview',
  'approvalLevel',
  'agencyResponse',
  'wholeEvaluation',
] as const;
export type SlaStep = (typeof SLA_STEPS)[number];

/** Problems with one SLA duration, or none. `path` names it in the messages. */
export function validateSlaDuration(value: unknown, path: string): string[] {
  if (!isRecord(value)) {
    return [`${path} must be an object with either workingDays or seconds (got ${describeValue(value)})`];
  }
  const hasDays = 'workingDays' in value;
  const hasSeconds = 'seconds' in value;
  if (hasDays === hasSeconds) {
    return [`${path} must have exactly one of workingDays or seconds`];
  }
  if (hasDays && !(isInteger(value.workingDays) && value.workingDays >= 1)) {
    return [`${path}.workingDays must be a whole number of at least 1 (got ${describeValue(value.workingDays)})`];
  }
  if (hasSeconds && !(isFiniteNumber(value.seconds) && value.seconds > 0)) {
    return [`${path}.seconds must be a number greater than 0 (got ${describeValue(value.seconds)})`];
  }
  return [];
}

/** True when the zone is one the runtime's time-zone database knows. */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/**
 * Human-readable problems with a policy an admin wants to publish; empty when it is
 * usable. Checks everything the engine relies on, so a published policy can never make
 * tiering, routing or due dates fail mid-evaluation.
 */
export function validatePolicy(p: unknown): string[] {
  if (!isRecord(p)) return [`policy must be an object (got ${describeValue(p)})`];
  const problems: string[] = [];

  if (!isNonEmptyString(p.version)) problems.push('version must be a non-empty string');
  if (p.currency !== 'CLP') problems.push(`currency must be "CLP" (got ${describeValue(p.currency)})`);

  if (!isRecord(p.tiers)) {
    problems.push('tiers must be an object with lowBelow and mediumUpTo');
  } else {
    const { lowBelow, mediumUpTo } = p.tiers;
    const lowOk = isInteger(lowBelow) && lowBelow >= 0;
    const mediumOk = isInteger(mediumUpTo) && mediumUpTo >= 0;
    if (!lowOk) problems.push(`tiers.lowBelow must be a whole number of pesos, 0 or more (got ${describeValue(lowBelow)})`);
    if (!mediumOk) problems.push(`tiers.mediumUpTo must be a whole number of pesos, 0 or more (got ${describeValue(mediumUpTo)})`);
    if (lowOk && mediumOk && mediumUpTo < lowBelow) {
      problems.push(`tiers.mediumUpTo (${mediumUpTo}) must not be below tiers.lowBelow (${lowBelow})`);
    }
  }

  if (!(isInteger(p.defaultHorizonYears) && p.defaultHorizonYears >= 1 && p.defaultHorizonYears <= 30)) {
    problems.push(`defaultHorizonYears must be a whole number from 1 to 30 (got ${describeValue(p.defaultHorizonYears)})`);
  }
  if (!(isFiniteNumber(p.discountRate) && p.discountRate >= 0 && p.discountRate < 1)) {
    problems.push(`discountRate must be a decimal from 0 up to (not including) 1, e.g. 0.06 (got ${describeValue(p.discountRate)})`);
  }
  if (!(isFiniteNumber(p.benchmarkTolerance) && p.benchmarkTolerance >= 0)) {
    problems.push(`benchmarkTolerance must be a decimal of 0 or more, e.g. 0.25 (got ${describeValue(p.benchmarkTolerance)})`);
  }
  if (!isOneOf(REVIEW_MODES, p.reviewMode)) {
    problems.push(`reviewMode must be one of ${REVIEW_MODES.join(', ')} (got ${describeValue(p.reviewMode)})`);
  }
  if (!(isInteger(p.committeeQuorum) && p.committeeQuorum >= 1)) {
    problems.push(`committeeQuorum must be a whole number of at least 1 (got ${describeValue(p.committeeQuorum)})`);
  }

  if (!isRecord(p.approvalLevelsByTier)) {
    problems.push('approvalLevelsByTier must be an object with a list of levels for each of LOW, MEDIUM, HIGH');
  } else {
    for (const tier of TIERS) {
      const levels = p.approvalLevelsByTier[tier];
      const path = `approvalLevelsByTier.${tier}`;
      if (!Array.isArray(levels) || levels.length === 0) {
        problems.push(`${path} must be a non-empty list of approval levels`);
        continue;
      }
      levels.forEach((level: unknown, i) => {
        if (!isOneOf(APPROVAL_LEVELS, level)) {
          problems.push(`${path}[${i}] must be one of ${APPROVAL_LEVELS.join(', ')} (got ${describeValue(level)})`);
        }
      });
      if (new Set(levels).size !== levels.length) problems.push(`${path} lists the same level more than once`);
    }
  }

  if (!isRecord(p.sla)) {
    problems.push('sla must be an object');
  } else {
    for (const step of SLA_STEPS) problems.push(...validateSlaDuration(p.sla[step], `sla.${step}`));
    const fraction = p.sla.reminderFraction;
    if (!(isFiniteNumber(fraction) && fraction > 0 && fraction < 1)) {
      problems.push(`sla.reminderFraction must be a decimal between 0 and 1, e.g. 0.8 (got ${describeValue(fraction)})`);
    }
  }

  if (!isRecord(p.calendar)) {
    problems.push('calendar must be an object with timeZone and holidays');
  } else {
    const { timeZone, holidays } = p.calendar;
    if (!isNonEmptyString(timeZone) || !isKnownTimeZone(timeZone)) {
      problems.push(`calendar.timeZone must be an IANA time zone such as America/Santiago (got ${describeValue(timeZone)})`);
    }
    if (!Array.isArray(holidays)) {
      problems.push('calendar.holidays must be a list of dates (yyyy-mm-dd)');
    } else {
      holidays.forEach((day: unknown, i) => {
        if (!isIsoDate(day)) problems.push(`calendar.holidays[${i}] must be a real date written yyyy-mm-dd (got ${describeValue(day)})`);
      });
    }
    problems.push(...validateCalendarCoverage(p.calendar));
  }

  return problems;
}
