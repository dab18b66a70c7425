import type { CandidateView, Items, Page as ApiPage, TaskView, WorkloadView } from '../../../../libs/http-contract/index.js';
import { get, post, query } from '../api.js';
import { confirmDialog, field, section, select, setFlash, showProblem, table } from '../components.js';
import { h } from '../dom.js';
import { dateTime } from '../format.js';
import { enumLabel, t } from '../i18n.js';
import type { Page } from '../page.js';
import { navigate } from '../router.js';
import { taskFlags } from './inbox.js';

export async function supervisionPage(): Promise<Page> {
  const [workload, escalated, open] = await Promise.all([
    get<WorkloadView>('/supervision/workload'),
    get<ApiPage<TaskView>>(`/tasks${query({ scope: 'all', status: 'OPEN', escalated: 'true', pageSize: 100 })}`),
    get<ApiPage<TaskView>>(`/tasks${query({ scope: 'all', status: 'OPEN', pageSize: 100 })}`),
  ]);
  const names = new Map(workload.items.map((p) => [p.userId, p.name]));
  const page = h('div', null);

  const reassign = async (task: TaskView) => {
    try {
      const candidates = await get<Items<CandidateView>>(`/tasks/${task.id}/candidates`);
      if (!candidates.items.length) {
        showProblem(page, new Error(t('supervision.nobody')));
        return;
      }
      const chooser = select('userId', candidates.items.map((c) => ({ value: c.id, label: `${c.name} (${c.email})${c.deputy ? ` · ${t('supervision.deputy')}` : ''}` })), task.assigneeId ?? candidates.items[0].id);
      const ok = await confirmDialog(t('supervision.reassignTitle'), [h('p', null, `${task.proposalTitle} · ${enumLabel('stage', task.type)}`), field(t('supervision.assignTo'), chooser)], t('supervision.assign'));
      if (ok === null) return;
      await post(`/tasks/${task.id}/assign`, { userId: chooser.value });
      setFlash(t('supervision.assigned'));
      navigate('/supervision');
    } catch (error) {
      showProblem(page, error);
    }
  };

  const taskColumns = [
    { label: t('common.proposal'), cell: (x: TaskView) => h('a', { href: `#/tasks/${x.id}` }, x.proposalTitle) },
    { label: t('common.task'), cell: (x: TaskView) => `${enumLabel('stage', x.type)}${x.approvalLevel ? ` · ${enumLabel('level', x.approvalLevel)}` : ''}` },
    { label: t('supervision.holder'), cell: (x: TaskView) => (x.assigneeId ? (names.get(x.assigneeId) ?? x.assigneeId) : h('span', { class: 'muted' }, t('task.unassigned'))) },
    { label: t('inbox.due'), cell: (x: TaskView) => dateTime(x.dueAt) },
    { label: t('inbox.flags'), cell: (x: TaskView) => taskFlags(x) },
    { label: t('common.actions'), cell: (x: TaskView) => h('button', { type: 'button', class: 'secondary small', onclick: () => void reassign(x) }, t('supervision.reassign')) },
  ];

  page.append(
    h('h1', null, t('nav.supervision')),
    section(
      t('supervision.workload'),
      h('p', null, t('supervision.unassigned', { n: workload.unassigned })),
      table(t('supervision.workload'), [
        { label: t('supervision.person'), cell: (p) => [h('span', null, p.name), h('span', { class: 'muted small' }, ` ${p.email}`)] },
        { label: t('supervision.roles'), cell: (p) => `${p.roles.map((r) => enumLabel('role', r)).join(', ')}${p.approvalLevel ? ` · ${enumLabel('level', p.approvalLevel)}` : ''}` },
        { label: t('supervision.open'), cell: (p) => String(p.open), numeric: true },
        { label: t('inbox.overdue'), cell: (p) => String(p.overdue), numeric: true },
        { label: t('inbox.escalated'), cell: (p) => String(p.escalated), numeric: true },
      ], workload.items),
    ),
    section(t('supervision.escalated'), table(t('supervision.escalated'), taskColumns, escalated.items, t('supervision.noEscalated'))),
    section(t('supervision.openTasks'), h('p', { class: 'muted' }, t('supervision.openTotal', { n: open.total })), table(t('supervision.openTasks'), taskColumns, open.items)),
  );
  return { title: t('nav.supervision'), content: page };
}
