import { barChart, definitionList, section, table } from '../components.js';
import { h } from '../dom.js';
import { money, number, percent } from '../format.js';
import { t } from '../i18n.js';
import type { BenefitLine, Metrics } from '../../../../libs/http-contract/index.js';

/** The cost-efficiency figures the API computed (DOMAIN.md), with costs and benefits per year. */
export function metricsSection(metrics: Metrics | null | undefined, benefits: BenefitLine[] = []): HTMLElement | null {
  if (!metrics) return null;
  const benefitByYear = new Map<number, number>();
  for (const b of benefits) benefitByYear.set(b.year, (benefitByYear.get(b.year) ?? 0) + b.amount);
  const years = [...new Set([...metrics.tcoByYear.map((y) => y.year), ...benefitByYear.keys()])].sort((a, b) => a - b);
  const byYear = new Map(metrics.tcoByYear.map((y) => [y.year, y]));
  const series = [
    { label: 'CAPEX', className: 'series-capex', values: years.map((y) => byYear.get(y)?.capex ?? 0) },
    { label: 'OPEX', className: 'series-opex', values: years.map((y) => byYear.get(y)?.opex ?? 0) },
    ...(benefits.length ? [{ label: t('form.benefits'), className: 'series-benefits', values: years.map((y) => benefitByYear.get(y) ?? 0) }] : []),
  ];
  return section(
    t('metrics.title'),
    definitionList([
      [t('metrics.tco'), money(metrics.tco)],
      [t('metrics.npv'), money(metrics.npv)],
      [t('metrics.bcr'), number(metrics.benefitCostRatio, 2)],
      [t('metrics.payback'), metrics.paybackYear === null ? t('metrics.noPayback') : String(metrics.paybackYear)],
      [t('metrics.npvPerPeso'), number(metrics.npvPerPeso, 4)],
      [t('metrics.costPerTransaction'), money(metrics.costPerTransaction)],
      [t('metrics.discountRate'), percent(metrics.discountRate)],
      [t('metrics.npvCostsUp'), money(metrics.sensitivity.npvCostsUp20)],
      [t('metrics.npvBenefitsDown'), money(metrics.sensitivity.npvBenefitsDown20)],
    ]),
    years.length && (metrics.tco > 0 || benefits.length) ? barChart(t('metrics.chart'), years.map((y) => `${t('form.year')} ${y}`), series, (n) => money(n)) : null,
    metrics.benchmarkFlags.length
      ? [
          h('h3', null, t('metrics.flags')),
          table(t('metrics.flags'), [
            { label: t('metrics.costLine'), cell: (f) => `#${f.costIndex + 1}` },
            { label: t('form.unitPrice'), cell: (f) => money(f.unitPrice), numeric: true },
            { label: t('metrics.reference'), cell: (f) => money(f.referencePrice), numeric: true },
            { label: t('metrics.ratio'), cell: (f) => number(f.ratio, 2), numeric: true },
          ], metrics.benchmarkFlags),
        ]
      : null,
  );
}
