import type { Policy } from './policy.model.js';
import type { CostCategory, ProposalData } from './proposal.model.js';
import { totalCostOfOwnership } from './tiering.js';
import { deepFreeze } from './validation-helpers.js';

/** A reference unit price finance benchmarks cost lines against. */
export interface ReferencePrice {
  category: CostCategory;
  /** What one unit is, e.g. "person-day"; a cost line's unitPrice is assumed to be per this unit. */
  unit: string;
  /** Whole pesos per unit. */
  price: number;
  description: string;
}

/**
 * Indicative 2026 market prices in CLP, one per category (OTHER has none, so it is never
 * benchmarked). Configuration, not law: finance replaces the table as prices move.
 */
export const DEFAULT_REFERENCE_PRICES: readonly ReferencePrice[] = deepFreeze([
  { category: 'DEVELOPMENT', unit: 'person-day', price: 400_000, description: 'Software development, blended senior/mid day rate' },
  { category: 'LICENSES', unit: 'user-year', price: 300_000, description: 'Commercial software licence, per named user per year' },
  { category: 'HOSTING', unit: 'VM-month', price: 150_000, description: 'Certified cloud hosting, one mid-size virtual machine per month' },
  { category: 'STAFF', unit: 'person-month', price: 3_500_000, description: 'In-house professional, fully loaded cost per month' },
  { category: 'HARDWARE', unit: 'server', price: 12_000_000, description: 'Rack server with three years of support' },
  { category: 'SERVICES', unit: 'consultant-day', price: 500_000, description: 'Specialist consultancy day rate' },
]);

export interface CostEfficiencyOptions {
  /** A decimal, e.g. 0.06. */
  discountRate: number;
  /** A decimal, e.g. 0.25 flags unit prices more than 25% over the reference. */
  benchmarkTolerance: number;
  referencePrices: readonly ReferencePrice[];
  /** Used when the proposal does not state its own horizon. */
  horizonYears: number;
}

export interface YearCost {
  year: number;
  capex: number;
  opex: number;
}

export interface BenchmarkFlag {
  /** Index into the proposal's cost lines. */
  costIndex: number;
  unitPrice: number;
  referencePrice: number;
  /** unitPrice / referencePrice, 4 decimals. */
  ratio: number;
}

export interface Metrics {
  tco: number;
  tcoByYear: YearCost[];
  npv: number;
  benefitCostRatio: number | null;
  paybackYear: number | null;
  npvPerPeso: number | null;
  costPerTransaction: number | null;
  discountRate: number;
  sensitivity: { npvCostsUp20: number; npvBenefitsDown20: number };
  benchmarkFlags: BenchmarkFlag[];
}

/** The options a policy implies; reference prices are kept apart because finance owns them. */
export function metricsOptionsFromPolicy(
  policy: Policy,
  referencePrices: readonly ReferencePrice[] = DEFAULT_REFERENCE_PRICES,
): CostEfficiencyOptions {
  return {
    discountRate: policy.discountRate,
    benchmarkTolerance: policy.benchmarkTolerance,
    referencePrices,
    horizonYears: policy.defaultHorizonYears,
  };
}

/** Money is shown and stored in whole pesos; `+ 0` turns a rounded -0 into 0. */
function roundPesos(value: number): number {
  return Math.round(value) + 0;
}

function roundRatio(value: number): number {
  return Math.round(value * 10_000) / 10_000 + 0;
}

/** Year t is discounted by (1 + r)^(t - 1): the first year is not discounted. */
function presentValue(flows: ReadonlyMap<number, number>, rate: number): number {
  let total = 0;
  for (const [year, amount] of flows) total += amount / Math.pow(1 + rate, year - 1);
  return total;
}

/**
 * The cost-efficiency figures of DOMAIN.md, the one implementation every part of the system
 * uses. Full precision throughout; rounding happens only on the returned figures.
 *
 * Lines dated outside 1..horizon (possible only in unscreened drafts) still count, in their
 * own year, so `tco` always equals the tier's total and the sum of `tcoByYear`.
 *
 * Payback: the first year whose cumulative benefits reach cumulative costs, counting only
 * once some cost has been incurred; a proposal with no costs has nothing to pay back (null).
 */
export function computeMetrics(data: ProposalData, options: CostEfficiencyOptions): Metrics {
  const horizon = data.horizonYears ?? options.horizonYears;
  const rate = options.discountRate;
  const costLines = data.costs ?? [];
  const benefitLines = data.benefits ?? [];

  const byYear = new Map<number, YearCost>();
  for (let year = 1; year <= horizon; year++) byYear.set(year, { year, capex: 0, opex: 0 });
  const costFlows = new Map<number, number>();
  const benefitFlows = new Map<number, number>();
  for (const line of costLines) {
    const row = byYear.get(line.year) ?? { year: line.year, capex: 0, opex: 0 };
    if (line.kind === 'CAPEX') row.capex += line.amount;
    else row.opex += line.amount;
    byYear.set(line.year, row);
    costFlows.set(line.year, (costFlows.get(line.year) ?? 0) + line.amount);
  }
  for (const line of benefitLines) {
    benefitFlows.set(line.year, (benefitFlows.get(line.year) ?? 0) + line.amount);
  }

  const tco = totalCostOfOwnership(data);
  const pvCosts = presentValue(costFlows, rate);
  const pvBenefits = presentValue(benefitFlows, rate);
  const npv = pvBenefits - pvCosts;
  const hasCosts = pvCosts > 0;

  const years = [...new Set([...byYear.keys(), ...benefitFlows.keys()])].sort((a, b) => a - b);
  let paybackYear: number | null = null;
  let cumulativeCosts = 0;
  let cumulativeBenefits = 0;
  for (const year of years) {
    cumulativeCosts += costFlows.get(year) ?? 0;
    cumulativeBenefits += benefitFlows.get(year) ?? 0;
    if (cumulativeCosts > 0 && cumulativeBenefits >= cumulativeCosts) {
      paybackYear = year;
      break;
    }
  }

  const transactions = data.annualTransactions;
  const costPerTransaction =
    transactions !== undefined && transactions !== null && transactions > 0 && horizon > 0
      ? roundPesos(tco / horizon / transactions)
      : null;

  return {
    tco,
    tcoByYear: [...byYear.values()]
      .sort((a, b) => a.year - b.year)
      .map((row) => ({ year: row.year, capex: roundPesos(row.capex), opex: roundPesos(row.opex) })),
    npv: roundPesos(npv),
    benefitCostRatio: hasCosts ? roundRatio(pvBenefits / pvCosts) : null,
    paybackYear,
    npvPerPeso: hasCosts ? roundRatio(npv / pvCosts) : null,
    costPerTransaction,
    discountRate: rate,
    // x * 6 / 5 rather than x * 1.2: 1.2 has no exact binary form, and the error could
    // tip a figure ending in .5 pesos the wrong way when rounded.
    sensitivity: {
      npvCostsUp20: roundPesos(pvBenefits - (pvCosts * 6) / 5),
      npvBenefitsDown20: roundPesos((pvBenefits * 4) / 5 - pvCosts),
    },
    benchmarkFlags: benchmarkCostLines(data, options),
  };
}

/**
 * Cost lines whose unit price is more than the tolerance over the reference price for
 * their category (the first reference listed for a category is the one used). Lines
 * without a unit price, or in a category without a usable reference, are not judged.
 */
export function benchmarkCostLines(
  data: ProposalData,
  options: Pick<CostEfficiencyOptions, 'benchmarkTolerance' | 'referencePrices'>,
): BenchmarkFlag[] {
  const flags: BenchmarkFlag[] = [];
  (data.costs ?? []).forEach((line, costIndex) => {
    const { unitPrice } = line;
    if (typeof unitPrice !== 'number' || !Number.isFinite(unitPrice)) return;
    const reference = options.referencePrices.find((p) => p.category === line.category);
    if (!reference || !(reference.price > 0)) return;
    // Rounded to a millionth of a peso so 400,000 * 1.1 compares as 440,000 and a price
    // exactly at the limit is not flagged by floating-point noise.
    const limit = Math.round(reference.price * (1 + options.benchmarkTolerance) * 1e6) / 1e6;
    if (unitPrice > limit) {
      flags.push({ costIndex, unitPrice, referencePrice: reference.price, ratio: roundRatio(unitPrice / reference.price) });
    }
  });
  return flags;
}
