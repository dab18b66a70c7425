import { TASK_SCOPES, type Page as ApiPage, type TaskScope, type TaskView } from '../../../../libs/http-contract/index.js';
import { currentUser, get, query, reaches } from '../api.js';
import { chip, pager, table } from '../components.js';
import { h } from '../dom.js';
import { dateTime } from '../format.js';
import { enumLabel, t } from '../i18n.js';
import type { Page, PageContext } from '../page.js';
import { navigate } from '../router.js';

export function isOverdue(task: TaskView): boolean {
  return task.status === 'OPEN' && new Date(task.dueAt).getTime() < Date.now();
}

export function taskFlags(task: TaskView): HTMLElement {
  return h(
    'span',
    null,
    isOverdue(task) ? h('span', { class: 'badge badge-overdue' }, t('inbox.overdue')) : null,
    task.escalated ? h('span', { class: 'badge badge-escalated' }, t('inbox.escalated')) : null,
  );
}

export async function inboxPage(ctx: PageContext): Promise<Page> {
  const seesAll = reaches('readAllTasks');
  const acts = reaches('actOnTasks');
  const scopes = TASK_SCOPES.filter((s) => (s === 'all' ? seesAll : acts));
  const scope = (scopes.includes(ctx.query.get('scope') as TaskScope) ? ctx.query.get('scope') : scopes[0]) as TaskScope;
  const status = ctx.query.get('status') ?? 'OPEN';
  const order = ctx.query.get('order') === 'desc' ? 'desc' : 'asc';
  const page = Number(ctx.query.get('page') ?? 1) || 1;
  const data = await get<ApiPage<TaskView>>(`/tasks${query({ scope, status, page, pageSize: 50 })}`);
  const items = order === 'asc' ? data.items : [...data.items].reverse();
  const go = (change: Record<string, string | number>) => navigate(`/inbox${query({ scope, status, order, page, ...change })}`);
  const me = currentUser()?.id;

  const tabs = h(
    'nav',
    { class: 'tabs', 'aria-label': t('inbox.scopes') },
    h('ul', null, scopes.map((s) => h('li', null, h('a', { href: `#/inbox${query({ scope: s, status })}`, 'aria-current': s === scope ? 'page' : null }, t(`inbox.${s}`))))),
  );
  const statusSwitch = h(
    'div',
    { class: 'segmented', role: 'group', 'aria-label': t('common.status') },
    ['OPEN', 'DONE'].map((s) => h('button', { type: 'button', class: 'secondary', 'aria-pressed': String(s === status), onclick: () => go({ status: s, page: 1 }) }, enumLabel('taskStatus', s))),
  );
  const sortButton = h(
    'button',
    { type: 'button', class: 'link', onclick: () => go({ order: order === 'asc' ? 'desc' : 'asc' }) },
    t('inbox.due'),
    h('span', { 'aria-hidden': 'true' }, order === 'asc' ? ' ▲' : ' ▼'),
    h('span', { class: 'visually-hidden' }, order === 'asc' ? t('inbox.sortedAsc') : t('inbox.sortedDesc')),
  );
  const list = table(
    t('nav.inbox'),
    [
      { label: t('common.proposal'), cell: (x) => h('a', { href: `#/tasks/${x.id}` }, x.proposalTitle) },
      { label: t('common.task'), cell: (x) => `${enumLabel('stage', x.type)}${x.approvalLevel ? ` · ${enumLabel('level', x.approvalLevel)}` : ''}` },
      { label: t('common.agency'), cell: (x) => x.agencyCode },
      { label: t('common.status'), cell: (x) => [chip('taskStatus', x.status), x.assigneeId ? h('span', { class: 'muted small' }, x.assigneeId === me ? ` ${t('inbox.heldByMe')}` : ` ${t('inbox.held')}`) : null] },
      { label: t('inbox.due'), cell: (x) => h('time', { datetime: x.dueAt }, dateTime(x.dueAt)) },
      { label: t('inbox.flags'), cell: (x) => taskFlags(x) },
    ],
    items,
    t('inbox.empty'),
  );
  // The due-date column header sorts; the table marks it for assistive technology.
  const dueHeader = list.querySelectorAll('th')[4];
  if (dueHeader) {
    dueHeader.replaceChildren(sortButton);
    dueHeader.setAttribute('aria-sort', order === 'asc' ? 'ascending' : 'descending');
  }
  return {
    title: t('nav.inbox'),
    content: h('div', null, h('h1', null, t('nav.inbox')), tabs, statusSwitch, list, pager(data.page, data.pageSize, data.total, (p) => go({ page: p }))),
  };
}
