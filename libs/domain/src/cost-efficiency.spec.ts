import type { CostEfficiencyOptions } from './cost-efficiency';
import { benchmarkCostLines, computeMetrics, DEFAULT_REFERENCE_PRICES, metricsOptionsFromPolicy } from './cost-efficiency';
import { DEFAULT_POLICY } from './default-policy';
import type { CostLine, ProposalData } from './proposal.model';
import { COST_CATEGORIES } from './proposal.model';

const OPTIONS: CostEfficiencyOptions = {
  discountRate: 0.06,
  benchmarkTolerance: 0.25,
  referencePrices: DEFAULT_REFERENCE_PRICES,
  horizonYears: 5,
};

function cost(year: number, kind: CostLine['kind'], amount: number, extra: Partial<CostLine> = {}): CostLine {
  return { year, kind, category: 'OTHER', description: `${kind} year ${year}`, amount, ...extra };
}

function proposal(fields: Omit<ProposalData, 'title'>): ProposalData {
  return { title: 'Metrics case', ...fields };
}

describe('computeMetrics: a 3-year case worked by hand at r = 0.06', () => {
  // Costs: year 1 capex 100,000,000; years 2 and 3 opex 20,000,000 each. TCO 140,000,000.
  // Benefits: year 2 60,000,000; year 3 80,000,000. 70,000 transactions a year.
  //
  // Discount factors (1.06)^(t-1): year 1 -> 1, year 2 -> 1.06, year 3 -> 1.1236.
  // PV(costs)    = 100,000,000 + 20,000,000/1.06 + 20,000,000/1.1236
  //              = 100,000,000 + 18,867,924.5283 + 17,799,928.8003 = 136,667,853.3286
  // PV(benefits) = 60,000,000/1.06 + 80,000,000/1.1236
  //              = 56,603,773.5849 + 71,199,715.2011              = 127,803,488.7860
  // NPV          = 127,803,488.7860 - 136,667,853.3286 = -8,864,364.5425  -> -8,864,365
  // BCR          = 127,803,488.7860 / 136,667,853.3286 = 0.935139...      -> 0.9351
  // NPV per peso = -8,864,364.5425 / 136,667,853.3286  = -0.064860...     -> -0.0649
  // Payback: cumulative (costs, benefits) = y1 (100M, 0), y2 (120M, 60M), y3 (140M, 140M):
  //          benefits first reach costs in year 3.
  // Cost per transaction = (140,000,000 / 3) / 70,000 = 666.67 -> 667
  // Costs +20%:    127,803,488.7860 - 1.2 * 136,667,853.3286 = 127,803,488.7860 - 164,001,423.9943
  //              = -36,197,935.2083 -> -36,197,935
  // Benefits -20%: 0.8 * 127,803,488.7860 - 136,667,853.3286 = 102,242,791.0288 - 136,667,853.3286
  //              = -34,425,062.2998 -> -34,425,062
  const data = proposal({
    horizonYears: 3,
    annualTransactions: 70_000,
    costs: [cost(1, 'CAPEX', 100_000_000), cost(2, 'OPEX', 20_000_000), cost(3, 'OPEX', 20_000_000)],
    benefits: [
      { year: 2, description: 'Savings', amount: 60_000_000 },
      { year: 3, description: 'Savings', amount: 80_000_000 },
    ],
  });

  it('gives the hand-worked figures', () => {
    expect(computeMetrics(data, OPTIONS)).toEqual({
      tco: 140_000_000,
      tcoByYear: [
        { year: 1, capex: 100_000_000, opex: 0 },
        { year: 2, capex: 0, opex: 20_000_000 },
        { year: 3, capex: 0, opex: 20_000_000 },
      ],
      npv: -8_864_365,
      benefitCostRatio: 0.9351,
      paybackYear: 3,
      npvPerPeso: -0.0649,
      costPerTransaction: 667,
      discountRate: 0.06,
      sensitivity: { npvCostsUp20: -36_197_935, npvBenefitsDown20: -34_425_062 },
      benchmarkFlags: [],
    });
  });

  it('does not depend on the order of the lines', () => {
    const shuffled = { ...data, costs: [...data.costs!].reverse(), benefits: [...data.benefits!].reverse() };
    expect(computeMetrics(shuffled, OPTIONS)).toEqual(computeMetrics(data, OPTIONS));
  });
});

describe('computeMetrics: other hand-worked cases', () => {
  it('never pays back when benefits stay below costs', () => {
    // Year 1 cost 50,000,000; year 2 benefit 10,000,000.
    // NPV = 10,000,000/1.06 - 50,000,000 = 9,433,962.2642 - 50,000,000 = -40,566,037.7358 -> -40,566,038
    // BCR = 9,433,962.2642 / 50,000,000 = 0.188679... -> 0.1887
    // NPV per peso = -40,566,037.7358 / 50,000,000 = -0.811320... -> -0.8113
    // Cumulative benefits: 0 (y1) < 50M, 10M (y2) < 50M: no payback.
    const m = computeMetrics(
      proposal({ horizonYears: 2, costs: [cost(1, 'CAPEX', 50_000_000)], benefits: [{ year: 2, description: 'b', amount: 10_000_000 }] }),
      OPTIONS,
    );
    expect(m.npv).toBe(-40_566_038);
    expect(m.benefitCostRatio).toBe(0.1887);
    expect(m.npvPerPeso).toBe(-0.8113);
    expect(m.paybackYear).toBeNull();
  });

  it('pays back in year 1 when first-year benefits already match first-year costs', () => {
    // Year 1: cost 10,000,000, benefit 10,000,000 -> cumulative 10M >= 10M in year 1.
    // Year 2: cost 10,000,000, benefit 15,000,000.
    // NPV = (10,000,000 + 15,000,000/1.06) - (10,000,000 + 10,000,000/1.06) = 5,000,000/1.06 = 4,716,981.13 -> 4,716,981
    const m = computeMetrics(
      proposal({
        horizonYears: 2,
        costs: [cost(1, 'CAPEX', 10_000_000), cost(2, 'OPEX', 10_000_000)],
        benefits: [
          { year: 1, description: 'b', amount: 10_000_000 },
          { year: 2, description: 'b', amount: 15_000_000 },
        ],
      }),
      OPTIONS,
    );
    expect(m.paybackYear).toBe(1);
    expect(m.npv).toBe(4_716_981);
  });

  it('pays back in the year cumulative benefits overtake costs, not the year benefits exceed that year\'s costs', () => {
    // Costs 30M in year 1, 5M in years 2-4; benefits 12M in years 2-4.
    // Cumulative: y2 35M vs 12M, y3 40M vs 24M, y4 45M vs 36M: never within 4 years.
    // With a fifth year (5M cost, 12M benefit): y5 50M vs 48M: still not. Sixth: 55M vs 60M -> year 6.
    const costs = [cost(1, 'CAPEX', 30_000_000), ...[2, 3, 4, 5, 6].map((y) => cost(y, 'OPEX', 5_000_000))];
    const benefits = [2, 3, 4, 5, 6].map((y) => ({ year: y, description: 'b', amount: 12_000_000 }));
    expect(computeMetrics(proposal({ horizonYears: 6, costs, benefits }), OPTIONS).paybackYear).toBe(6);
    const fourYears = proposal({ horizonYears: 4, costs: costs.slice(0, 4), benefits: benefits.slice(0, 3) });
    expect(computeMetrics(fourYears, OPTIONS).paybackYear).toBeNull();
  });

  it('splits capex and opex by year, lists empty years as zeros, and sums several lines of a year', () => {
    // Horizon 4: year 1 capex 5,000,000 + 2,500,000; year 3 opex 700,000 + capex 300,000; years 2 and 4 empty.
    const m = computeMetrics(
      proposal({
        horizonYears: 4,
        costs: [cost(1, 'CAPEX', 5_000_000), cost(3, 'OPEX', 700_000), cost(1, 'CAPEX', 2_500_000), cost(3, 'CAPEX', 300_000)],
      }),
      OPTIONS,
    );
    expect(m.tco).toBe(8_500_000);
    expect(m.tcoByYear).toEqual([
      { year: 1, capex: 7_500_000, opex: 0 },
      { year: 2, capex: 0, opex: 0 },
      { year: 3, capex: 300_000, opex: 700_000 },
      { year: 4, capex: 0, opex: 0 },
    ]);
  });

  it('with a 0% rate, discounting changes nothing: NPV is the plain difference', () => {
    // Costs 1,000 + 1,000 + 1,000 = 3,000; benefits 2,000 + 2,000 = 4,000.
    // NPV = 1,000; BCR = 4,000/3,000 = 1.3333; NPV per peso = 1,000/3,000 = 0.3333.
    // Costs +20%: 4,000 - 3,600 = 400. Benefits -20%: 3,200 - 3,000 = 200.
    const m = computeMetrics(
      proposal({
        horizonYears: 3,
        costs: [1, 2, 3].map((y) => cost(y, 'OPEX', 1_000)),
        benefits: [2, 3].map((y) => ({ year: y, description: 'b', amount: 2_000 })),
      }),
      { ...OPTIONS, discountRate: 0 },
    );
    expect(m).toMatchObject({
      npv: 1_000,
      benefitCostRatio: 1.3333,
      npvPerPeso: 0.3333,
      paybackYear: 2, // cumulative: year 1 costs 1,000 vs benefits 0; year 2 costs 2,000 vs benefits 2,000 (reached)
      discountRate: 0,
      sensitivity: { npvCostsUp20: 400, npvBenefitsDown20: 200 },
    });
  });
});

describe('computeMetrics: zero and missing figures', () => {
  it('has no ratios, payback or cost per transaction for a proposal without costs', () => {
    // Benefit 1,000,000 in year 1, undiscounted. PV(costs) = 0, so every ratio to costs is undefined.
    const m = computeMetrics(
      proposal({ horizonYears: 2, costs: [], benefits: [{ year: 1, description: 'b', amount: 1_000_000 }], annualTransactions: 100 }),
      OPTIONS,
    );
    expect(m).toEqual({
      tco: 0,
      tcoByYear: [
        { year: 1, capex: 0, opex: 0 },
        { year: 2, capex: 0, opex: 0 },
      ],
      npv: 1_000_000,
      benefitCostRatio: null,
      paybackYear: null,
      npvPerPeso: null,
      costPerTransaction: 0, // (0 / 2) / 100
      discountRate: 0.06,
      sensitivity: { npvCostsUp20: 1_000_000, npvBenefitsDown20: 800_000 },
      benchmarkFlags: [],
    });
  });

  it('treats cost lines of amount 0 like no costs', () => {
    const m = computeMetrics(proposal({ horizonYears: 1, costs: [cost(1, 'CAPEX', 0)] }), OPTIONS);
    expect(m.benefitCostRatio).toBeNull();
    expect(m.npvPerPeso).toBeNull();
    expect(m.paybackYear).toBeNull();
  });

  it('reports a zero NPV as 0, never -0', () => {
    const m = computeMetrics(proposal({ horizonYears: 1, costs: [] }), OPTIONS);
    expect(Object.is(m.npv, 0)).toBe(true);
    expect(Object.is(m.sensitivity.npvCostsUp20, 0)).toBe(true);
    expect(Object.is(m.sensitivity.npvBenefitsDown20, 0)).toBe(true);
  });

  it('has a benefit-cost ratio of 0 and no payback for costs without benefits', () => {
    // NPV = -(1,000,000 + 1,000,000/1.06) = -1,943,396.23 -> -1,943,396; NPV per peso = -1.
    const m = computeMetrics(proposal({ horizonYears: 2, costs: [cost(1, 'CAPEX', 1_000_000), cost(2, 'OPEX', 1_000_000)] }), OPTIONS);
    expect(m.benefitCostRatio).toBe(0);
    expect(m.npvPerPeso).toBe(-1);
    expect(m.npv).toBe(-1_943_396);
    expect(m.paybackYear).toBeNull();
  });

  it('has no cost per transaction without a positive annual volume', () => {
    const base = { horizonYears: 1, costs: [cost(1, 'CAPEX', 1_000)] };
    expect(computeMetrics(proposal(base), OPTIONS).costPerTransaction).toBeNull();
    expect(computeMetrics(proposal({ ...base, annualTransactions: 0 }), OPTIONS).costPerTransaction).toBeNull();
  });

  it('rounds cost per transaction to whole pesos', () => {
    // (10,000,000 / 4) / 3,000 = 833.33 -> 833; (10,000,000 / 4) / 2,000 = 1,250 exactly.
    const base = { horizonYears: 4, costs: [cost(1, 'CAPEX', 10_000_000)] };
    expect(computeMetrics(proposal({ ...base, annualTransactions: 3_000 }), OPTIONS).costPerTransaction).toBe(833);
    expect(computeMetrics(proposal({ ...base, annualTransactions: 2_000 }), OPTIONS).costPerTransaction).toBe(1_250);
  });

  it('falls back to the horizon in the options when the proposal has none', () => {
    // Horizon 5 from the options: five years listed; 5,000,000 / 5 / 1,000 = 1,000 per transaction.
    const m = computeMetrics({ title: 'No horizon', costs: [cost(1, 'CAPEX', 5_000_000)], annualTransactions: 1_000 }, OPTIONS);
    expect(m.tcoByYear.map((row) => row.year)).toEqual([1, 2, 3, 4, 5]);
    expect(m.costPerTransaction).toBe(1_000);
  });

  it('keeps lines outside the horizon of an unscreened draft in their own year, so totals agree', () => {
    const m = computeMetrics(proposal({ horizonYears: 2, costs: [cost(1, 'CAPEX', 100), cost(4, 'OPEX', 50)] }), OPTIONS);
    expect(m.tco).toBe(150);
    expect(m.tcoByYear).toEqual([
      { year: 1, capex: 100, opex: 0 },
      { year: 2, capex: 0, opex: 0 },
      { year: 4, capex: 0, opex: 50 },
    ]);
  });
});

describe('benchmarks', () => {
  // DEVELOPMENT reference 400,000 per person-day; 25% tolerance -> flagged above 500,000.
  const dev = (unitPrice: number | undefined): CostLine =>
    cost(1, 'CAPEX', 10_000_000, { category: 'DEVELOPMENT', quantity: 10, ...(unitPrice === undefined ? {} : { unitPrice }) });

  it('flags unit prices more than 25% over the reference, with the ratio to 4 decimals', () => {
    const data = proposal({ horizonYears: 1, costs: [dev(400_000), dev(500_000), dev(500_001), dev(600_000), dev(undefined)] });
    // 500,001 / 400,000 = 1.2500025 -> 1.25; 600,000 / 400,000 = 1.5
    expect(computeMetrics(data, OPTIONS).benchmarkFlags).toEqual([
      { costIndex: 2, unitPrice: 500_001, referencePrice: 400_000, ratio: 1.25 },
      { costIndex: 3, unitPrice: 600_000, referencePrice: 400_000, ratio: 1.5 },
    ]);
  });

  it('does not flag a price exactly at the limit when floating point would put the limit a hair below it', () => {
    // 400,000 * 1.15 is 459,999.99999999994 in binary floating point; 460,000 is exactly 15% over.
    const data = proposal({ horizonYears: 1, costs: [dev(460_000), dev(460_001)] });
    expect(benchmarkCostLines(data, { benchmarkTolerance: 0.15, referencePrices: DEFAULT_REFERENCE_PRICES })).toEqual([
      { costIndex: 1, unitPrice: 460_001, referencePrice: 400_000, ratio: 1.15 },
    ]);
  });

  it('uses the reference of the line\'s own category and skips categories without one', () => {
    // HOSTING reference 150,000 per VM-month: 200,000 is 1.3333 times it. OTHER has no reference.
    const data = proposal({
      horizonYears: 1,
      costs: [
        cost(1, 'OPEX', 2_400_000, { category: 'HOSTING', quantity: 12, unitPrice: 200_000 }),
        cost(1, 'OPEX', 9_000_000, { category: 'OTHER', quantity: 1, unitPrice: 9_000_000 }),
      ],
    });
    expect(computeMetrics(data, OPTIONS).benchmarkFlags).toEqual([
      { costIndex: 0, unitPrice: 200_000, referencePrice: 150_000, ratio: 1.3333 },
    ]);
  });

  it('uses the tolerance and table it is given', () => {
    const data = proposal({ horizonYears: 1, costs: [dev(420_000)] });
    expect(computeMetrics(data, { ...OPTIONS, benchmarkTolerance: 0 }).benchmarkFlags).toHaveLength(1);
    expect(computeMetrics(data, { ...OPTIONS, referencePrices: [] }).benchmarkFlags).toEqual([]);
  });
});

describe('reference prices and options', () => {
  it('has one positive price per category except OTHER', () => {
    const categories = DEFAULT_REFERENCE_PRICES.map((p) => p.category);
    expect(new Set(categories).size).toBe(categories.length);
    expect(categories.sort()).toEqual(COST_CATEGORIES.filter((c) => c !== 'OTHER').sort());
    for (const price of DEFAULT_REFERENCE_PRICES) {
      expect(Number.isInteger(price.price) && price.price > 0).toBe(true);
      expect(price.unit).not.toBe('');
    }
  });

  it('derives the options from a policy', () => {
    expect(metricsOptionsFromPolicy(DEFAULT_POLICY)).toEqual({
      discountRate: 0.06,
      benchmarkTolerance: 0.25,
      referencePrices: DEFAULT_REFERENCE_PRICES,
      horizonYears: 5,
    });
  });
});
