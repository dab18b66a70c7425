import { isClosedStatus, type ChainVerificationReport, type DraftWithdrawal, type HistoryRecordView, type HistoryView, type Outcome, type ProposalView, type Route } from '../../../../libs/http-contract/index.js';
import { currentUser, get, newIdempotencyKey, post, reaches } from '../api.js';
import { chip, confirmDialog, definitionList, section, setFlash, showProblem, table } from '../components.js';
import { append, h, type Child } from '../dom.js';
import { date, dateTime, money, number } from '../format.js';
import { enumLabel, t } from '../i18n.js';
import type { Page, PageContext } from '../page.js';
import { navigate } from '../router.js';
import { metricsSection } from './metrics.js';
import { verifyProposalRecords } from '../chain.js';
import { openQuestions } from './questions.js';

export async function proposalPage(ctx: PageContext): Promise<Page> {
  const id = ctx.params.id;
  const [proposal, history] = await Promise.all([get<ProposalView>(`/proposals/${id}`), get<HistoryView>(`/proposals/${id}/history`)]);
  const user = currentUser();
  const ownAgency = reaches('authorProposals') && user?.agencyCode === proposal.agencyCode;
  const awaitingAgency = proposal.status === 'RETURNED' || proposal.status === 'CHANGES_REQUESTED';
  const actionsBox = h('div', { class: 'actions' });
  const page = h('div', null);

  const withdraw = async () => {
    const reason = await confirmDialog(t('proposal.withdrawTitle'), h('p', null, t('proposal.withdrawBody')), t('proposal.withdraw'), t('proposal.withdrawReason'));
    if (reason === null) return;
    try {
      await post(`/proposals/${id}/withdraw`, { reason });
      setFlash(t('proposal.withdrawn'));
      navigate(`/proposals/${id}`);
    } catch (error) {
      showProblem(page, error);
    }
  };
  const submit = async () => {
    if ((await confirmDialog(t('form.confirmSubmitTitle'), h('p', null, t('form.confirmSubmitBody')), t('form.submit'))) === null) return;
    try {
      await post(`/proposals/${id}/submit`, {}, { idempotencyKey: newIdempotencyKey() });
      setFlash(t('form.submitted'));
      navigate(`/proposals/${id}`);
    } catch (error) {
      showProblem(page, error);
    }
  };
  if (ownAgency && proposal.status === 'DRAFT') {
    actionsBox.append(h('a', { class: 'button secondary', href: `#/proposals/${id}/edit` }, t('proposal.edit')), h('button', { type: 'button', onclick: () => void submit() }, t('form.submit')));
  }
  if (ownAgency && awaitingAgency) actionsBox.append(h('a', { class: 'button', href: `#/proposals/${id}/respond` }, t('proposal.answer')));
  if (ownAgency && !isClosedStatus(proposal.status)) actionsBox.append(h('button', { type: 'button', class: 'danger', onclick: () => void withdraw() }, t('proposal.withdraw')));

  append(page, [
    h('div', { class: 'page-head' }, h('h1', null, proposal.title), chip('status', proposal.status)),
    actionsBox,
    section(
      t('proposal.overview'),
      definitionList([
        [t('common.agency'), proposal.agencyCode],
        [t('common.tier'), chip('tier', proposal.tier)],
        [t('proposal.stages'), proposal.stages.length ? proposal.stages.map((s) => enumLabel('stage', s)).join(', ') : '—'],
        [t('proposals.requested'), money(proposal.requestedAmount)],
        [t('proposal.version'), String(proposal.currentVersion || 1)],
        [t('form.category'), proposal.category ? enumLabel('category', proposal.category) : '—'],
        [t('proposal.submittedAt'), dateTime(proposal.submittedAt)],
        [t('proposal.versions'), `${t('proposal.catalogue')} ${proposal.catalogueVersion} · ${t('proposal.policy')} ${proposal.policyVersion}`],
      ]),
      proposal.summary ? h('p', null, proposal.summary) : null,
      proposal.tierReasons.length ? [h('h3', null, t('proposal.tierReasons')), h('ul', null, proposal.tierReasons.map((r) => h('li', null, r)))] : null,
      proposal.route ? [h('h3', null, t('proposal.route')), routeText(proposal.route)] : null,
    ),
    awaitingAgency ? section(t('respond.questions'), openQuestions(proposal, history.items)) : null,
    proposal.outcome ? outcomeSection(proposal.outcome) : null,
    proposal.openTasks.length
      ? section(
          t('proposal.openTasks'),
          table(t('proposal.openTasks'), [
            { label: t('common.task'), cell: (x) => (reaches('readTasks') ? h('a', { href: `#/tasks/${x.id}` }, taskName(x)) : taskName(x)) },
            { label: t('inbox.due'), cell: (x) => dateTime(x.dueAt) },
            { label: t('inbox.flags'), cell: (x) => (x.escalated ? h('span', { class: 'badge badge-escalated' }, t('inbox.escalated')) : '') },
          ], proposal.openTasks),
        )
      : null,
    metricsSection(proposal.metrics, proposal.benefits),
    timeline(id, history.items),
    reaches('verifyRecord') ? chainVerification() : null,
  ]);
  return { title: proposal.title, content: page };
}

function taskName(x: { type: string; approvalLevel: string | null }): string {
  return `${enumLabel('stage', x.type)}${x.approvalLevel ? ` · ${enumLabel('level', x.approvalLevel)}` : ''}`;
}

function routeText(route: Route): HTMLElement {
  return h(
    'p',
    null,
    [...(route.reviews ?? []).map((r) => enumLabel('stage', r)), ...(route.approvalLevels ?? []).map((l) => enumLabel('level', l))].join(' → ') || '—',
    route.reviewMode ? h('span', { class: 'muted' }, ` (${enumLabel('reviewMode', route.reviewMode)})`) : null,
  );
}

function outcomeSection(outcome: Outcome | DraftWithdrawal): HTMLElement {
  const line = h('p', { class: 'outcome-line' }, chip('status', outcome.status), ' ', dateTime(outcome.decidedAt));
  // A draft withdrawn before it was submitted had no evaluation: there is only when and why.
  if (!('opinions' in outcome)) return section(t('proposal.outcome'), line, definitionList([[t('proposal.reason'), outcome.reason]]));
  return section(
    t('proposal.outcome'),
    line,
    definitionList([
      [t('proposals.requested'), money(outcome.requestedAmount)],
      [t('outcomes.approved'), money(outcome.approvedAmount)],
      [t('common.tier'), chip('tier', outcome.tier)],
      [t('proposal.reason'), outcome.reason ?? '—'],
    ]),
    h('h3', null, t('proposal.conditions')),
    table(t('proposal.conditions'), [
      { label: t('proposal.condition'), cell: (c) => c.text },
      { label: t('common.standard'), cell: (c) => c.standardCode ?? '—' },
      { label: t('proposal.dueDate'), cell: (c) => date(c.dueDate) },
      { label: t('proposal.source'), cell: (c) => (c.source ? enumLabel('source', c.source) : '—') },
    ], outcome.conditions),
    h('h3', null, t('proposal.opinions')),
    table(t('proposal.opinions'), [
      { label: t('common.stage'), cell: (o) => enumLabel('stage', o.type) },
      { label: t('task.opinion'), cell: (o) => enumLabel('opinion', o.decision.opinion) },
      { label: t('task.comment'), cell: (o) => o.decision.comment ?? '' },
    ], outcome.opinions),
    h('h3', null, t('proposal.approvals')),
    table(t('proposal.approvals'), [
      { label: t('common.level'), cell: (a) => enumLabel('level', a.level) },
      { label: t('task.decision'), cell: (a) => enumLabel('decision', a.decision.decision) },
      { label: t('outcomes.approved'), cell: (a) => money(a.decision.approvedAmount ?? null), numeric: true },
      { label: t('task.comment'), cell: (a) => a.decision.comment ?? '' },
    ], outcome.approvals),
  );
}

/** A one-line account of a record, for people: the hashes are there for verification. */
function describe(r: HistoryRecordView): Child {
  const d = r.data;
  switch (r.type) {
    case 'DECISION_RECORDED': {
      const decision = (d.decision ?? {}) as Record<string, unknown>;
      const choice = (decision.opinion ?? decision.decision) as string | undefined;
      return `${enumLabel('stage', String(d.taskType ?? ''))}: ${choice ? enumLabel(decision.opinion ? 'opinion' : 'decision', choice) : ''}`;
    }
    case 'TRIAGED':
      return d.tier ? `${t('common.tier')}: ${enumLabel('tier', String(d.tier))}` : '';
    case 'SCREENED':
      return d.passed ? t('history.screenPassed') : t('history.screenMissing', { n: Array.isArray(d.missing) ? d.missing.length : 0 });
    case 'TASK_CREATED':
    case 'ESCALATED':
    case 'REMINDER_SENT':
      return [d.taskType ?? d.type, d.approvalLevel].filter(Boolean).map((x) => enumLabel(x === d.approvalLevel ? 'level' : 'stage', String(x))).join(' · ');
    case 'OUTCOME':
      return d.status ? enumLabel('status', String(d.status)) : '';
    case 'WITHDRAWN':
    case 'RESPONDED':
      return String(d.reason ?? d.response ?? '');
    case 'OPERATOR_ALERT':
      return String(d.activity ?? '');
    // Administration's records belong to no proposal; named here for completeness.
    case 'ADMIN_USER_CREATED':
    case 'ADMIN_USER_UPDATED':
    case 'ADMIN_USER_DISABLED':
    case 'ADMIN_USER_ENABLED':
    case 'ADMIN_PASSWORD_RESET':
    case 'USER_PROVISIONED':
    case 'USER_UPDATED_BY_PROVIDER':
    case 'IDENTITY_LINKED':
    case 'IDENTITY_UNLINKED':
      return String(d.email ?? '');
    case 'ADMIN_AGENCY_CREATED':
      return String(d.code ?? '');
    case 'CATALOGUE_PUBLISHED':
    case 'POLICY_PUBLISHED':
      return String(d.version ?? '');
    case 'SUBMITTED':
    case 'VERSION_CREATED':
    case 'TASK_CLAIMED':
    case 'TASK_ASSIGNED':
    case 'TASK_CANCELLED':
    case 'RETURNED':
    case 'CHANGES_REQUESTED':
    case 'LAPSED':
    default:
      return d.version !== undefined ? `${t('proposal.version')} ${number(Number(d.version))}` : '';
  }
}

/** The proposal's own records, re-hashed in the browser (chain.ts); the result is announced. */
function localVerification(proposalId: string, records: HistoryRecordView[]): HTMLElement {
  const box = h('p', { 'aria-live': 'polite', 'data-testid': 'local-chain-result' }, t('common.loading'));
  void verifyProposalRecords(proposalId, records).then(
    (v) => {
      box.className = v.ok ? 'verify-ok' : 'verify-bad';
      box.textContent = v.ok ? t('history.localOk', { n: v.records, links: v.links }) : t('history.chainBad', { seq: String(v.firstBadSeq) });
    },
    () => (box.textContent = t('history.localUnavailable')),
  );
  return box;
}

function timeline(proposalId: string, records: HistoryRecordView[]): HTMLElement {
  return section(
    t('history.title'),
    localVerification(proposalId, records),
    h(
      'ol',
      { class: 'timeline' },
      records.map((r) =>
        h(
          'li',
          null,
          h('div', { class: 'timeline-head' }, h('strong', null, enumLabel('record', r.type)), ' ', h('time', { datetime: r.at }, dateTime(r.at)), h('span', { class: 'muted' }, ` · ${r.actor}`)),
          h('div', null, describe(r)),
          h('details', null, h('summary', null, t('history.integrity', { seq: r.seq })), h('p', { class: 'mono small' }, `prev ${r.prevHash}`), h('p', { class: 'mono small' }, `hash ${r.hash}`)),
        ),
      ),
    ),
  );
}

function chainVerification(): HTMLElement {
  const result = h('div', { 'aria-live': 'polite' });
  const run = async () => {
    result.replaceChildren(h('p', null, t('common.loading')));
    try {
      const v = await get<ChainVerificationReport>('/audit/verify');
      const text = v.ok
        ? v.checkpoint
          ? t('history.chainOkFrom', { seq: String(v.checkpoint.seq), n: number(v.records) })
          : t('history.chainOk', { n: number(v.records) })
        : v.firstBadSeq !== null
          ? t('history.chainBad', { seq: String(v.firstBadSeq) })
          : t('history.chainCheckpointBad', { problem: v.problems[0] ?? '' });
      result.replaceChildren(h('p', { class: v.ok ? 'verify-ok' : 'verify-bad', 'data-testid': 'chain-result' }, text));
    } catch (error) {
      showProblem(result, error);
    }
  };
  void run();
  return section(t('history.chain'), h('p', { class: 'hint' }, t('history.chainHint')), result, h('button', { type: 'button', class: 'secondary', onclick: () => void run() }, t('history.verifyAgain')));
}

