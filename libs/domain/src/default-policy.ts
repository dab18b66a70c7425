import type { Policy } from './policy.model.js';
import { deepFreeze } from './validation-helpers.js';

/**
 * Chile's national holidays for 2026 and 2027, as configuration (admins publish new
 * policy versions as the official calendar is confirmed). Moveable rules applied:
 * Good Friday and Holy Saturday follow Easter (5 April 2026, 28 March 2027); Saint Peter
 * and Saint Paul and the Meeting of Two Worlds move to the Monday when they fall on a
 * Tuesday to Thursday (Ley 19.668); the Indigenous Peoples' day is the winter solstice
 * (Ley 21.357). Regional holidays and election days are left out.
 *
 * Pinned by policy 2026.1, so it stays as published, with one known omission: Friday 17
 * September 2027 is a holiday (Ley 20.983: the 18th and 19th fall on a weekend). Calendars made
 * from the holiday library (libs/calendar) have it, and declare the range they cover.
 */
export const CHILE_HOLIDAYS_2026_2027: readonly string[] = Object.freeze([
  '2026-01-01', // Año Nuevo
  '2026-04-03', // Viernes Santo
  '2026-04-04', // Sábado Santo
  '2026-05-01', // Día del Trabajo
  '2026-05-21', // Glorias Navales
  '2026-06-21', // Pueblos Indígenas
  '2026-06-29', // San Pedro y San Pablo
  '2026-07-16', // Virgen del Carmen
  '2026-08-15', // Asunción de la Virgen
  '2026-09-18', // Independencia Nacional
  '2026-09-19', // Glorias del Ejército
  '2026-10-12', // Encuentro de Dos Mundos
  '2026-10-31', // Iglesias Evangélicas y Protestantes
  '2026-11-01', // Todos los Santos
  '2026-12-08', // Inmaculada Concepción
  '2026-12-25', // Navidad
  '2027-01-01', // Año Nuevo
  '2027-03-26', // Viernes Santo
  '2027-03-27', // Sábado Santo
  '2027-05-01', // Día del Trabajo
  '2027-05-21', // Glorias Navales
  '2027-06-21', // Pueblos Indígenas
  '2027-06-28', // San Pedro y San Pablo (29 June is a Tuesday)
  '2027-07-16', // Virgen del Carmen
  '2027-08-15', // Asunción de la Virgen
  '2027-09-18', // Independencia Nacional
  '2027-09-19', // Glorias del Ejército
  '2027-10-11', // Encuentro de Dos Mundos (12 October is a Tuesday)
  '2027-10-31', // Iglesias Evangélicas y Protestantes
  '2027-11-01', // Todos los Santos
  '2027-12-08', // Inmaculada Concepción
  '2027-12-25', // Navidad
]);

/**
 * The defaults of the product brief. Every figure is configuration: change it by
 * publishing a new policy version. Frozen; build a variant with spreads.
 */
export const DEFAULT_POLICY: Policy = deepFreeze({
  version: '2026.1',
  currency: 'CLP',
  tiers: { lowBelow: 50_000_000, mediumUpTo: 1_000_000_000 },
  defaultHorizonYears: 5,
  discountRate: 0.06,
  benchmarkTolerance: 0.25,
  reviewMode: 'PARALLEL',
  committeeQuorum: 2,
  approvalLevelsByTier: {
    LOW: ['DIGITAL_HEAD'],
    MEDIUM: ['DIGITAL_HEAD', 'BUDGET_DIRECTOR'],
    HIGH: ['DIGITAL_HEAD', 'BUDGET_DIRECTOR', 'COMMITTEE'],
  },
  sla: {
    technicalReview: { workingDays: 10 },
    costEfficiencyReview: { workingDays: 10 },
    approvalLevel: { workingDays: 5 },
    agencyResponse: { workingDays: 20 },
    wholeEvaluation: { workingDays: 20 },
    reminderFraction: 0.8,
  },
  calendar: {
    timeZone: 'America/Santiago',
    holidays: [...CHILE_HOLIDAYS_2026_2027],
  },
});
