import { TASK_TYPES, type ConditionItem, type PeriodFigures, type PortfolioReport } from '../../../../libs/http-contract/index.js';
import { get, query } from '../api.js';
import { barChart, field, input, section, table } from '../components.js';
import { h } from '../dom.js';
import { date, money, number, percent } from '../format.js';
import { enumLabel, t } from '../i18n.js';
import type { Page, PageContext } from '../page.js';
import { navigate } from '../router.js';

function byAgency(f: PeriodFigures | null): Map<string, { requested: number; approved: number }> {
  const out = new Map<string, { requested: number; approved: number }>();
  for (const r of f?.byAgency ?? []) {
    const v = out.get(r.agencyCode) ?? { requested: 0, approved: 0 };
    out.set(r.agencyCode, { requested: v.requested + r.requested, approved: v.approved + r.approved });
  }
  return out;
}

export async function portfolioPage(ctx: PageContext): Promise<Page> {
  const year = new Date().getFullYear();
  const range = {
    from: ctx.query.get('from') || `${year}-01-01`,
    to: ctx.query.get('to') || `${year}-12-31`,
    baselineFrom: ctx.query.get('baselineFrom') || `${year - 1}-01-01`,
    baselineTo: ctx.query.get('baselineTo') || `${year - 1}-12-31`,
  };
  const report = await get<PortfolioReport>(`/reports/portfolio${query(range)}`);
  const { period, baseline } = report;
  const controls = Object.fromEntries(Object.entries(range).map(([k, v]) => [k, input(k, v, { type: 'date' })])) as Record<keyof typeof range, HTMLInputElement>;
  const form = h(
    'form',
    { class: 'filters', novalidate: true, onsubmit: (e: Event) => (e.preventDefault(), navigate(`/portfolio${query(Object.fromEntries(Object.entries(controls).map(([k, c]) => [k, c.value])))}`)) },
    h('fieldset', null, h('legend', null, t('portfolio.period')), field(t('outcomes.from'), controls.from), field(t('outcomes.to'), controls.to)),
    h('fieldset', null, h('legend', null, t('portfolio.baseline')), field(t('outcomes.from'), controls.baselineFrom), field(t('outcomes.to'), controls.baselineTo)),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'secondary' }, t('common.filter'))),
  );

  type Row = { label: string; value: (f: PeriodFigures) => string };
  const kpis: Row[] = [
    { label: t('portfolio.decided'), value: (f) => number(f.outcomes.total) },
    { label: t('portfolio.approvalRate'), value: (f) => percent(f.approvalRate) },
    { label: t('portfolio.requested'), value: (f) => money(f.requestedTotal) },
    { label: t('portfolio.approved'), value: (f) => money(f.approvedTotal) },
    { label: t('portfolio.cycleP50'), value: (f) => number(f.cycleDays.p50, 1) },
    { label: t('portfolio.cycleP90'), value: (f) => number(f.cycleDays.p90, 1) },
    { label: t('portfolio.evaluationWorkingP50'), value: (f) => number(f.workingDays.evaluation.p50, 1) },
    { label: t('portfolio.evaluationWorkingP90'), value: (f) => number(f.workingDays.evaluation.p90, 1) },
    { label: t('portfolio.agencyWorkingP50'), value: (f) => number(f.workingDays.withAgency.p50, 1) },
    { label: t('portfolio.withinTarget'), value: (f) => `${number(f.workingDays.withinTarget)} / ${number(f.workingDays.measured)}` },
    { label: t('portfolio.slaBreaches'), value: (f) => number(f.slaBreaches.total) },
    { label: t('portfolio.openConditions'), value: (f) => number(f.openConditions.count) },
    { label: t('portfolio.overdueConditions'), value: (f) => number(f.overdueConditions.count) },
  ];
  const periodLabel = `${date(period.from)} – ${date(period.to)}`;
  const baselineLabel = baseline ? `${date(baseline.from)} – ${date(baseline.to)}` : '—';

  const agencies = byAgency(period);
  const agencyCodes = [...agencies.keys()].sort();
  const baseAgencies = byAgency(baseline);
  const notMet = new Map<string, { period: number; baseline: number }>();
  for (const s of period.mostNotMetStandards) notMet.set(s.standardCode, { period: s.count, baseline: 0 });
  for (const s of baseline?.mostNotMetStandards ?? []) notMet.set(s.standardCode, { period: notMet.get(s.standardCode)?.period ?? 0, baseline: s.count });
  const notMetCodes = [...notMet.entries()].sort((a, b) => b[1].period - a[1].period || b[1].baseline - a[1].baseline).slice(0, 10).map(([c]) => c);
  const conditionsTable = (caption: string, items: ConditionItem[]) =>
    table(caption, [
      { label: t('common.proposal'), cell: (c) => h('a', { href: `#/proposals/${c.proposalId}` }, c.title ?? c.proposalId) },
      { label: t('proposal.condition'), cell: (c) => c.text },
      { label: t('proposal.dueDate'), cell: (c) => date(c.dueDate) },
    ], items);

  return {
    title: t('nav.portfolio'),
    content: h(
      'div',
      null,
      h('h1', null, t('nav.portfolio')),
      form,
      section(
        t('portfolio.summary'),
        h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            null,
            h('caption', { class: 'visually-hidden' }, t('portfolio.summary')),
            h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('portfolio.figure')), h('th', { scope: 'col', class: 'num' }, `${t('portfolio.period')} (${periodLabel})`), h('th', { scope: 'col', class: 'num' }, `${t('portfolio.baseline')} (${baselineLabel})`))),
            h('tbody', null, kpis.map((k) => h('tr', null, h('th', { scope: 'row' }, k.label), h('td', { class: 'num' }, k.value(period)), h('td', { class: 'num' }, baseline ? k.value(baseline) : '—')))),
          ),
        ),
      ),
      section(
        t('portfolio.byAgency'),
        barChart(t('portfolio.byAgencyChart'), agencyCodes, [
          { label: t('portfolio.requested'), className: 'series-requested', values: agencyCodes.map((a) => agencies.get(a)?.requested ?? 0) },
          { label: t('portfolio.approved'), className: 'series-approved', values: agencyCodes.map((a) => agencies.get(a)?.approved ?? 0) },
          { label: `${t('portfolio.approved')} (${t('portfolio.baseline')})`, className: 'series-baseline', values: agencyCodes.map((a) => baseAgencies.get(a)?.approved ?? 0) },
        ], (n) => money(n)),
      ),
      section(
        t('portfolio.stages'),
        barChart(t('portfolio.stagesChart'), TASK_TYPES.map((s) => enumLabel('stage', s)), [
          { label: `p50 ${t('portfolio.period')}`, className: 'series-requested', values: TASK_TYPES.map((s) => period.stageDays[s].p50 ?? 0) },
          { label: `p90 ${t('portfolio.period')}`, className: 'series-approved', values: TASK_TYPES.map((s) => period.stageDays[s].p90 ?? 0) },
          { label: `p50 ${t('portfolio.baseline')}`, className: 'series-baseline', values: TASK_TYPES.map((s) => baseline?.stageDays[s].p50 ?? 0) },
        ], (n) => `${number(n, 1)} ${t('portfolio.days')}`),
      ),
      section(
        t('portfolio.notMet'),
        barChart(t('portfolio.notMetChart'), notMetCodes, [
          { label: t('portfolio.period'), className: 'series-requested', values: notMetCodes.map((c) => notMet.get(c)?.period ?? 0) },
          { label: t('portfolio.baseline'), className: 'series-baseline', values: notMetCodes.map((c) => notMet.get(c)?.baseline ?? 0) },
        ]),
      ),
      section(t('portfolio.overdueConditions'), conditionsTable(t('portfolio.overdueConditions'), period.overdueConditions.items)),
      section(t('portfolio.openConditions'), conditionsTable(t('portfolio.openConditions'), period.openConditions.items)),
    ),
  };
}
