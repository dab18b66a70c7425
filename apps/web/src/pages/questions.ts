import { h } from '../dom.js';
import { date } from '../format.js';
import { enumLabel, t } from '../i18n.js';
import type { HistoryRecordView, ProposalView } from '../../../../libs/http-contract/index.js';

interface AgencyRequest {
  questions?: { from: string; question: string }[];
  missing?: { field: string; message: string }[];
  dueAt?: string;
}

/** What the agency is asked now: the latest request's questions and what screening found missing. */
export function openQuestions(proposal: ProposalView, history: HistoryRecordView[]): HTMLElement {
  const request = [...history].reverse().find((r) => r.type === 'CHANGES_REQUESTED' || r.type === 'RETURNED');
  const data = (request?.data ?? {}) as AgencyRequest;
  const missing = data.missing?.length ? data.missing : proposal.screeningIssues ?? [];
  const questions = data.questions ?? [];
  if (!questions.length && !missing.length) return h('p', { class: 'muted' }, t('respond.none'));
  return h(
    'div',
    { class: 'questions' },
    data.dueAt ? h('p', null, t('respond.dueBy', { date: date(data.dueAt) })) : null,
    questions.length ? h('ul', null, questions.map((q) => h('li', null, h('strong', null, `${enumLabel('stage', q.from)}: `), q.question))) : null,
    missing.length ? [h('p', null, t('respond.missing')), h('ul', null, missing.map((m) => h('li', null, h('code', null, m.field), ` — ${m.message}`)))] : null,
  );
}
