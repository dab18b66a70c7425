import {
  APPROVAL_CHOICES,
  PROPOSAL_FLAGS,
  REVIEW_OPINIONS,
  RISK_FACTORS,
  VERDICTS,
  type ApprovalDecision,
  type DecisionResult,
  type ReviewDecision,
  type TaskDetailView,
} from '../../../../libs/http-contract/index.js';
import { currentUser, get, post, reaches } from '../api.js';
import { chip, clearErrors, definitionList, enumOptions, field, input, section, select, setFlash, showProblem, table, textarea } from '../components.js';
import { append, h } from '../dom.js';
import { dateTime, money, today } from '../format.js';
import { enumLabel, t } from '../i18n.js';
import type { Page, PageContext } from '../page.js';
import { navigate } from '../router.js';
import { cellInput, cellSelect, RowGroup } from '../rows.js';
import { taskFlags } from './inbox.js';
import { metricsSection } from './metrics.js';

interface ConditionRow {
  text: string;
  standardCode: string;
  dueDate: string;
}

export async function taskPage(ctx: PageContext): Promise<Page> {
  const task = await get<TaskDetailView>(`/tasks/${ctx.params.id}`);
  const me = currentUser();
  const canAct = task.status === 'OPEN' && (!task.assigneeId || task.assigneeId === me?.id) && reaches('actOnTasks');
  const heading = `${enumLabel('stage', task.type)}${task.approvalLevel ? ` · ${enumLabel('level', task.approvalLevel)}` : ''}`;
  const page = h('div', null);

  const claim = async () => {
    try {
      await post(`/tasks/${task.id}/claim`);
      setFlash(t('task.claimed'));
      navigate(`/tasks/${task.id}`);
    } catch (error) {
      showProblem(page, error);
    }
  };

  const p = task.proposal;
  append(page, [
    h('div', { class: 'page-head' }, h('h1', null, heading), chip('taskStatus', task.status), taskFlags(task)),
    h('p', null, h('a', { href: `#/proposals/${task.proposalId}` }, task.proposalTitle), h('span', { class: 'muted' }, ` · ${task.agencyCode} · ${t('proposal.version')} ${p.version}`)),
    definitionList([
      [t('inbox.due'), dateTime(task.dueAt)],
      [t('task.holder'), task.assigneeId ? (task.assigneeId === me?.id ? t('inbox.heldByMe') : t('inbox.held')) : t('task.unassigned')],
      [t('common.tier'), chip('tier', p.tier)],
      [t('proposal.status'), chip('status', p.status)],
    ]),
    canAct && !task.assigneeId ? h('div', { class: 'actions' }, h('button', { type: 'button', class: 'secondary', onclick: () => void claim() }, t('task.claim'))) : null,
    section(
      t('task.proposal'),
      definitionList([
        [t('form.category'), p.category ? enumLabel('category', p.category) : '—'],
        [t('form.horizonYears'), String(p.horizonYears ?? '—')],
        [t('form.annualTransactions'), String(p.annualTransactions ?? '—')],
        [t('form.characteristics'), PROPOSAL_FLAGS.filter((k) => p[k]).map((k) => t(`form.${k}`)).join(', ') || '—'],
        [t('form.risk'), RISK_FACTORS.filter((k) => p.risk?.[k]).map((k) => t(`form.${k}`)).join(', ') || '—'],
      ]),
      p.summary ? h('p', null, p.summary) : null,
      h('h3', null, t('form.costs')),
      table(t('form.costs'), [
        { label: '#', cell: (c) => String((p.costs ?? []).indexOf(c) + 1) },
        { label: t('form.year'), cell: (c) => String(c.year) },
        { label: t('form.kind'), cell: (c) => enumLabel('costKind', c.kind) },
        { label: t('form.costCategory'), cell: (c) => enumLabel('costCategory', c.category) },
        { label: t('form.description'), cell: (c) => c.description },
        { label: t('form.amount'), cell: (c) => money(c.amount), numeric: true },
      ], p.costs ?? []),
    ),
    metricsSection(task.metrics, p.benefits ?? []),
    task.opinions.length
      ? section(
          t('task.earlierOpinions'),
          table(t('task.earlierOpinions'), [
            { label: t('common.stage'), cell: (o) => enumLabel('stage', o.type) },
            { label: t('proposal.version'), cell: (o) => String(o.version) },
            { label: t('task.opinion'), cell: (o) => (typeof o.decision.opinion === 'string' ? enumLabel('opinion', o.decision.opinion) : '—') },
            { label: t('task.comment'), cell: (o) => String(o.decision.comment ?? '') },
            { label: t('task.decidedAt'), cell: (o) => dateTime(o.completedAt) },
          ], task.opinions),
        )
      : null,
    canAct ? decisionForm(task) : task.decision ? recordedDecision(task.decision) : null,
  ]);
  return { title: `${heading} · ${task.proposalTitle}`, content: page };
}

/** A decision as recorded: the choice, the comment, and what it rated and asked. */
function recordedDecision(decision: ReviewDecision | ApprovalDecision): HTMLElement {
  const d: Partial<ReviewDecision> & Partial<ApprovalDecision> = decision;
  return section(
    t('task.recorded'),
    definitionList([
      [d.opinion ? t('task.opinion') : t('task.decision'), d.opinion ? enumLabel('opinion', d.opinion) : d.decision ? enumLabel('decision', d.decision) : '—'],
      ...(d.approvedAmount !== undefined ? ([[t('task.approvedAmount'), money(d.approvedAmount)]] as [string, string][]) : []),
      [t('task.comment'), d.comment ?? '—'],
    ]),
    d.verdicts?.length
      ? table(t('task.verdicts'), [
          { label: t('common.standard'), cell: (v) => v.standardCode },
          { label: t('task.verdict'), cell: (v) => enumLabel('answer', v.verdict) },
          { label: t('task.comment'), cell: (v) => v.comment ?? '' },
        ], d.verdicts)
      : null,
    d.conditions?.length ? [h('h3', null, t('proposal.conditions')), h('ul', null, d.conditions.map((c) => h('li', null, `${c.text} (${c.dueDate})`)))] : null,
    d.questions?.length ? [h('h3', null, t('task.questions')), h('ul', null, d.questions.map((q) => h('li', null, q)))] : null,
  );
}

function conditionRows(codes: string[]): RowGroup<ConditionRow> {
  return new RowGroup<ConditionRow>(
    'conditions',
    [],
    () => ({ text: '', standardCode: '', dueDate: today(90) }),
    (row, name, update) => [
      cellInput(name('text'), row.text, t('proposal.condition'), (v) => update({ text: v })),
      cellSelect(name('standardCode'), [{ value: '', label: '—' }, ...codes.map((c) => ({ value: c, label: c }))], row.standardCode, t('common.standard'), (v) => update({ standardCode: v })),
      cellInput(name('dueDate'), row.dueDate, t('proposal.dueDate'), (v) => update({ dueDate: v }), { type: 'date' }),
    ],
    () => undefined,
  );
}

function conditionsBody(rows: ConditionRow[]) {
  return rows.map((c) => ({ text: c.text.trim(), dueDate: c.dueDate, ...(c.standardCode ? { standardCode: c.standardCode } : {}) }));
}

function decisionForm(task: TaskDetailView): HTMLElement {
  const codes = task.applicableStandards.map((s) => s.code);
  const conditions = conditionRows(codes);
  const comment = textarea('comment', '', { rows: 3 });
  const review = task.type !== 'APPROVAL';
  const answers = new Map(task.selfAssessment.map((a) => [a.standardCode, a]));

  const opinion = select('opinion', enumOptions('opinion', REVIEW_OPINIONS, t('form.choose')), '');
  const verdicts = task.applicableStandards.map((std, i) => ({
    std,
    verdict: select(`verdicts[${i}].verdict`, enumOptions('answer', VERDICTS, t('form.choose')), '', { 'aria-label': t('task.verdictFor', { code: std.code }) }),
    comment: textarea(`verdicts[${i}].comment`, '', { rows: 2, 'aria-label': t('task.commentFor', { code: std.code }) }),
  }));
  const questions = new RowGroup<{ text: string }>('questions', [], () => ({ text: '' }), (row, name, update) => [cellInput(name(), row.text, t('task.question'), (v) => update({ text: v }))], () => undefined);
  const costLines = (task.proposal.costs ?? []).map((c, i) => ({ value: String(i), label: `#${i + 1} ${c.description} (${money(c.amount)})` }));
  const flagged = new RowGroup<{ costIndex: string; reason: string }>(
    'flaggedCostLines',
    [],
    () => ({ costIndex: costLines[0]?.value ?? '0', reason: '' }),
    (row, name, update) => [cellSelect(name('costIndex'), costLines, row.costIndex, t('task.costLine'), (v) => update({ costIndex: v })), cellInput(name('reason'), row.reason, t('task.flagReason'), (v) => update({ reason: v }))],
    () => undefined,
  );

  const decision = select('decision', enumOptions('decision', APPROVAL_CHOICES, t('form.choose')), '');
  const approvedAmount = input('approvedAmount', '', { type: 'number', min: 0, inputmode: 'numeric' });

  const body = (): Record<string, unknown> => {
    const c = conditionsBody(conditions.values());
    if (!review) {
      return {
        decision: decision.value || undefined,
        ...(approvedAmount.value.trim() ? { approvedAmount: Number(approvedAmount.value) } : {}),
        ...(c.length ? { conditions: c } : {}),
        ...(comment.value.trim() ? { comment: comment.value.trim() } : {}),
      };
    }
    const q = questions.values().map((x) => x.text.trim()).filter(Boolean);
    const f = flagged.values().map((x) => ({ costIndex: Number(x.costIndex), reason: x.reason.trim() }));
    return {
      opinion: opinion.value || undefined,
      verdicts: verdicts.filter((v) => v.verdict.value).map((v) => ({ standardCode: v.std.code, verdict: v.verdict.value, ...(v.comment.value.trim() ? { comment: v.comment.value.trim() } : {}) })),
      ...(c.length ? { conditions: c } : {}),
      ...(q.length ? { questions: q } : {}),
      ...(task.type === 'COST_EFFICIENCY_REVIEW' && f.length ? { flaggedCostLines: f } : {}),
      ...(comment.value.trim() ? { comment: comment.value.trim() } : {}),
    };
  };

  const form: HTMLFormElement = h(
    'form',
    {
      novalidate: true,
      onsubmit: async (e: Event) => {
        e.preventDefault();
        clearErrors(form);
        try {
          const result = await post<DecisionResult>(`/tasks/${task.id}/decision`, body());
          setFlash(t('task.decided', { status: enumLabel('status', result.proposal.status) }));
          navigate('/inbox');
        } catch (error) {
          showProblem(form, error);
        }
      },
    },
    review
      ? [
          h('h3', null, t('task.verdicts')),
          h('p', { class: 'hint' }, t('task.verdictsHint')),
          table(t('task.verdicts'), [
            { label: t('common.standard'), cell: (v) => [h('strong', null, v.std.code), ' ', v.std.title, v.std.mandatory ? h('span', { class: 'badge' }, t('common.mandatory')) : null] },
            { label: t('task.selfAssessment'), cell: (v) => { const a = answers.get(v.std.code); return a ? [h('span', null, enumLabel('answer', a.answer)), a.evidence ? h('p', { class: 'muted small' }, a.evidence) : null] : h('span', { class: 'muted' }, t('task.notAssessed')); } },
            { label: t('task.verdict'), cell: (v) => v.verdict },
            { label: t('task.comment'), cell: (v) => v.comment },
          ], verdicts),
          field(t('task.opinion'), opinion, { required: true }),
          h('h3', null, t('task.questions')),
          h('p', { class: 'hint' }, t('task.questionsHint')),
          questions.view(t('task.questions'), [t('task.question')], t('task.addQuestion')),
          task.type === 'COST_EFFICIENCY_REVIEW' && costLines.length ? [h('h3', null, t('task.flagged')), flagged.view(t('task.flagged'), [t('task.costLine'), t('task.flagReason')], t('task.addFlag'))] : null,
        ]
      : [field(t('task.decision'), decision, { required: true }), field(t('task.approvedAmount'), approvedAmount, { hint: t('task.approvedAmountHint') })],
    h('h3', null, t('proposal.conditions')),
    conditions.view(t('proposal.conditions'), [t('proposal.condition'), t('common.standard'), t('proposal.dueDate')], t('task.addCondition')),
    field(t('task.comment'), comment, { hint: review ? undefined : t('task.commentHint') }),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('task.record'))),
  );
  return section(t('task.decisionTitle'), form);
}
