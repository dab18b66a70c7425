import { PROPOSAL_STATUSES, TIERS, type Page as ApiPage, type ProposalSummaryView } from '../../../../libs/http-contract/index.js';
import { get, query, reaches } from '../api.js';
import { chip, enumOptions, field, input, pager, select, table } from '../components.js';
import { h } from '../dom.js';
import { dateTime, money } from '../format.js';
import { enumLabel, t } from '../i18n.js';
import type { Page, PageContext } from '../page.js';
import { navigate } from '../router.js';

export async function proposalsPage(ctx: PageContext): Promise<Page> {
  const filters = { status: ctx.query.get('status') ?? '', tier: ctx.query.get('tier') ?? '', q: ctx.query.get('q') ?? '', page: Number(ctx.query.get('page') ?? 1) || 1 };
  const data = await get<ApiPage<ProposalSummaryView>>(`/proposals${query({ ...filters, pageSize: 20 })}`);
  const agency = reaches('authorProposals');
  const go = (change: Partial<typeof filters>) => navigate(`/proposals${query({ ...filters, ...change })}`);

  const status = select('status', enumOptions('status', PROPOSAL_STATUSES, t('common.any')), filters.status);
  const tier = select('tier', enumOptions('tier', TIERS, t('common.any')), filters.tier);
  const q = input('q', filters.q, { type: 'search' });
  const form = h(
    'form',
    { class: 'filters', role: 'search', onsubmit: (e: Event) => (e.preventDefault(), go({ status: status.value, tier: tier.value, q: q.value.trim(), page: 1 })) },
    field(t('proposals.search'), q),
    field(t('common.status'), status),
    field(t('common.tier'), tier),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'secondary' }, t('common.filter'))),
  );

  const title = agency ? t('nav.myProposals') : t('nav.proposals');
  return {
    title,
    content: h(
      'div',
      null,
      h('div', { class: 'page-head' }, h('h1', null, title), agency ? h('a', { class: 'button', href: '#/proposals/new' }, t('proposals.new')) : null),
      form,
      table(
        title,
        [
          { label: t('common.title'), cell: (p) => h('a', { href: `#/proposals/${p.id}` }, p.title) },
          { label: t('common.agency'), cell: (p) => p.agencyCode },
          { label: t('common.status'), cell: (p) => [chip('status', p.status), p.stages.length ? h('span', { class: 'muted small' }, ` ${p.stages.map((s) => enumLabel('stage', s)).join(', ')}`) : null] },
          { label: t('common.tier'), cell: (p) => chip('tier', p.tier) },
          { label: t('proposals.requested'), cell: (p) => money(p.requestedAmount), numeric: true },
          { label: t('common.updated'), cell: (p) => dateTime(p.updatedAt) },
        ],
        data.items,
        agency ? t('proposals.emptyAgency') : t('common.none'),
      ),
      pager(data.page, data.pageSize, data.total, (page) => go({ page })),
    ),
  };
}
