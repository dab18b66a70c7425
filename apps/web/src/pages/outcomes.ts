import { OUTCOME_STATUSES, TIERS, type OutcomePage } from '../../../../libs/http-contract/index.js';
import { download, get, query } from '../api.js';
import { chip, enumOptions, field, input, pager, select, showProblem, table } from '../components.js';
import { h } from '../dom.js';
import { date, money, number } from '../format.js';
import { t } from '../i18n.js';
import type { Page, PageContext } from '../page.js';
import { navigate } from '../router.js';

const FILTERS = ['from', 'to', 'agencyCode', 'tier', 'outcome', 'q'] as const;

export async function outcomesPage(ctx: PageContext): Promise<Page> {
  const filters = Object.fromEntries(FILTERS.map((k) => [k, ctx.query.get(k) ?? ''])) as Record<(typeof FILTERS)[number], string>;
  const page = Number(ctx.query.get('page') ?? 1) || 1;
  const data = await get<OutcomePage>(`/outcomes${query({ ...filters, page, pageSize: 25 })}`);

  const controls = {
    from: input('from', filters.from, { type: 'date' }),
    to: input('to', filters.to, { type: 'date' }),
    agencyCode: input('agencyCode', filters.agencyCode, { maxlength: 20 }),
    tier: select('tier', enumOptions('tier', TIERS, t('common.any')), filters.tier),
    outcome: select('outcome', enumOptions('status', OUTCOME_STATUSES, t('common.any')), filters.outcome),
    q: input('q', filters.q, { type: 'search' }),
  };
  const current = () => Object.fromEntries(FILTERS.map((k) => [k, controls[k].value.trim()]));
  const root = h('div', null);
  const form = h(
    'form',
    { class: 'filters', role: 'search', novalidate: true, onsubmit: (e: Event) => (e.preventDefault(), navigate(`/outcomes${query({ ...current(), page: 1 })}`)) },
    field(t('outcomes.from'), controls.from),
    field(t('outcomes.to'), controls.to),
    field(t('common.agency'), controls.agencyCode),
    field(t('common.tier'), controls.tier),
    field(t('outcomes.outcome'), controls.outcome),
    field(t('proposals.search'), controls.q),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'secondary' }, t('common.filter'))),
  );
  const exportCsv = (path: string, name: string) => async () => {
    try {
      await download(`${path}${query(filters)}`, name);
    } catch (error) {
      showProblem(root, error);
    }
  };

  root.append(
    h('h1', null, t('nav.outcomes')),
    form,
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'button', class: 'secondary', onclick: exportCsv('/outcomes/export.csv', 'outcomes.csv') }, t('outcomes.csv')),
      h('button', { type: 'button', class: 'secondary', onclick: exportCsv('/outcomes/verdicts.csv', 'verdicts.csv') }, t('outcomes.verdictsCsv')),
    ),
    table(
      t('nav.outcomes'),
      [
        { label: t('common.proposal'), cell: (o) => h('a', { href: `#/proposals/${o.proposalId}` }, o.title) },
        { label: t('common.agency'), cell: (o) => o.agencyCode },
        { label: t('common.tier'), cell: (o) => chip('tier', o.tier) },
        { label: t('outcomes.outcome'), cell: (o) => chip('status', o.outcome) },
        { label: t('proposals.requested'), cell: (o) => money(o.requestedAmount), numeric: true },
        { label: t('outcomes.approved'), cell: (o) => money(o.approvedAmount), numeric: true },
        { label: t('outcomes.conditions'), cell: (o) => String(o.conditions.length), numeric: true },
        { label: t('outcomes.decidedAt'), cell: (o) => date(o.decidedAt) },
        { label: t('outcomes.cycleDays'), cell: (o) => number(o.cycleDays, 1), numeric: true },
      ],
      data.items,
      t('outcomes.empty'),
    ),
    pager(data.page, data.pageSize, data.total, (p) => navigate(`/outcomes${query({ ...filters, page: p })}`)),
  );
  return { title: t('nav.outcomes'), content: root };
}
