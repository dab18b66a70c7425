import {
  COST_CATEGORIES,
  COST_KINDS,
  PROPOSAL_CATEGORIES,
  PROPOSAL_FLAGS,
  RISK_FACTORS,
  VERDICTS,
  type BenefitLine,
  type CostCategory,
  type CostKind,
  type CostLine,
  type HistoryView,
  type ProposalCategory,
  type ProposalData,
  type ProposalView,
  type StandardsCatalogue,
  type Verdict,
} from '../../../../libs/http-contract/index.js';
import { ApiError, get, newIdempotencyKey, patch, post } from '../api.js';
import { checkbox, clearErrors, confirmDialog, enumOptions, field, input, section, select, setFlash, showProblem, table, textarea } from '../components.js';
import { h } from '../dom.js';
import { money } from '../format.js';
import { t } from '../i18n.js';
import type { Page, PageContext } from '../page.js';
import { navigate } from '../router.js';
import { openQuestions } from './questions.js';
import { cellInput, cellSelect, RowGroup } from '../rows.js';

type Mode = 'create' | 'edit' | 'respond';

const num = (v: string): number => (v.trim() === '' ? NaN : Number(v));

export async function proposalFormPage(ctx: PageContext, mode: Mode): Promise<Page> {
  const id = ctx.params.id;
  const [proposal, catalogue, history] = await Promise.all([
    id ? get<ProposalView>(`/proposals/${id}`) : Promise.resolve(null),
    get<StandardsCatalogue>('/standards'),
    id && mode === 'respond' ? get<HistoryView>(`/proposals/${id}/history`) : Promise.resolve(null),
  ]);
  const data: ProposalData = proposal ?? { title: '' };
  const idempotencyKey = newIdempotencyKey();

  const title = input('title', data.title, { maxlength: 200 });
  const summary = textarea('summary', data.summary, { rows: 4, maxlength: 5000 });
  const category = select('category', enumOptions('category', PROPOSAL_CATEGORIES, t('form.choose')), data.category);
  const flags = PROPOSAL_FLAGS.map((k) => ({ k, el: checkbox(k, data[k]) }));
  const risks = RISK_FACTORS.map((k) => ({ k, el: checkbox(`risk.${k}`, data.risk?.[k]) }));
  const horizon = input('horizonYears', data.horizonYears, { type: 'number', min: 1, max: 15, inputmode: 'numeric', oninput: () => refreshTotals() });
  const transactions = input('annualTransactions', data.annualTransactions, { type: 'number', min: 0, inputmode: 'numeric' });

  const totals = h('div', { 'aria-live': 'polite' });
  const refreshTotals = () => totals.replaceChildren(totalsTable(costs.values(), benefits.values()));

  const costs = new RowGroup<CostLine>(
    'costs',
    data.costs ?? [],
    () => ({ year: 1, kind: 'CAPEX', category: 'DEVELOPMENT', description: '', amount: 0 }),
    (row, name, update) => [
      cellInput(name('year'), row.year, t('form.year'), (v) => update({ year: num(v) }), { type: 'number', min: 1, class: 'w-year' }),
      cellSelect(name('kind'), enumOptions('costKind', COST_KINDS), row.kind, t('form.kind'), (v) => update({ kind: v as CostKind })),
      cellSelect(name('category'), enumOptions('costCategory', COST_CATEGORIES), row.category, t('form.costCategory'), (v) => update({ category: v as CostCategory })),
      cellInput(name('description'), row.description, t('form.description'), (v) => update({ description: v })),
      cellInput(name('amount'), row.amount, t('form.amount'), (v) => update({ amount: num(v) }), { type: 'number', min: 0, class: 'w-amount' }),
      cellInput(name('quantity'), row.quantity, t('form.quantity'), (v) => update({ quantity: v.trim() ? num(v) : undefined }), { type: 'number', min: 0, class: 'w-small' }),
      cellInput(name('unitPrice'), row.unitPrice, t('form.unitPrice'), (v) => update({ unitPrice: v.trim() ? num(v) : undefined }), { type: 'number', min: 0, class: 'w-amount' }),
    ],
    () => refreshTotals(),
  );
  const benefits = new RowGroup<BenefitLine>(
    'benefits',
    data.benefits ?? [],
    () => ({ year: 2, description: '', amount: 0 }),
    (row, name, update) => [
      cellInput(name('year'), row.year, t('form.year'), (v) => update({ year: num(v) }), { type: 'number', min: 1, class: 'w-year' }),
      cellInput(name('description'), row.description, t('form.description'), (v) => update({ description: v })),
      cellInput(name('amount'), row.amount, t('form.amount'), (v) => update({ amount: num(v) }), { type: 'number', min: 0, class: 'w-amount' }),
    ],
    () => refreshTotals(),
  );
  refreshTotals();

  // The standards this proposal must meet follow from its data: the API computes them on every save.
  const descriptions = new Map(catalogue.standards.map((s) => [s.code, s.description]));
  const applicable = proposal?.applicableStandards ?? [];
  const answers = new Map((data.selfAssessment ?? []).map((a) => [a.standardCode, a]));
  const assessmentRows = applicable.map((std, i) => ({
    code: std.code,
    answer: select(`selfAssessment[${i}].answer`, enumOptions('answer', VERDICTS, t('form.choose')), answers.get(std.code)?.answer, { 'aria-label': t('form.answerFor', { code: std.code }) }),
    evidence: textarea(`selfAssessment[${i}].evidence`, answers.get(std.code)?.evidence, { rows: 2, 'aria-label': t('form.evidenceFor', { code: std.code }) }),
    std,
  }));

  const body = (): ProposalData => {
    const out: ProposalData = { title: title.value.trim() };
    if (summary.value.trim()) out.summary = summary.value.trim();
    if (category.value) out.category = category.value as ProposalCategory;
    for (const f of flags) out[f.k] = f.el.checked;
    out.risk = Object.fromEntries(risks.map((r) => [r.k, r.el.checked]));
    if (horizon.value.trim()) out.horizonYears = num(horizon.value);
    if (transactions.value.trim()) out.annualTransactions = num(transactions.value);
    out.costs = costs.values().map((c) => Object.fromEntries(Object.entries(c).filter(([, v]) => v !== undefined && v !== '')) as unknown as CostLine);
    out.benefits = benefits.values();
    const assessed = assessmentRows.filter((r) => r.answer.value).map((r) => ({ standardCode: r.code, answer: r.answer.value as Verdict, ...(r.evidence.value.trim() ? { evidence: r.evidence.value.trim() } : {}) }));
    if (assessed.length || proposal?.selfAssessment?.length) out.selfAssessment = assessed;
    return out;
  };

  const response = mode === 'respond' ? textarea('response', '', { rows: 4, maxlength: 5000 }) : null;

  /** Errors on `changes.x` (an answer's new data) belong to the form's own `x` controls. */
  const show = (error: unknown) => {
    if (error instanceof ApiError && error.problem.errors) {
      error.problem.errors = error.problem.errors.map((e) => ({ ...e, field: e.field.replace(/^changes\./, '') }));
    }
    showProblem(form, error);
  };

  const save = async (): Promise<string | null> => {
    clearErrors(form);
    try {
      if (mode === 'create') {
        const created = await post<{ id: string }>('/proposals', body(), { idempotencyKey });
        return created.id;
      }
      await patch(`/proposals/${id}`, body());
      return id;
    } catch (error) {
      show(error);
      return null;
    }
  };

  const onSave = async () => {
    const saved = await save();
    if (!saved) return;
    setFlash(t('form.saved'));
    navigate(`/proposals/${saved}/edit`);
  };

  const onSubmit = async () => {
    const saved = await save();
    if (!saved) return;
    const confirmed = await confirmDialog(t('form.confirmSubmitTitle'), h('p', null, t('form.confirmSubmitBody')), t('form.submit'));
    if (confirmed === null) return;
    try {
      await post(`/proposals/${saved}/submit`, {}, { idempotencyKey: newIdempotencyKey() });
      setFlash(t('form.submitted'));
      navigate(`/proposals/${saved}`);
    } catch (error) {
      show(error);
    }
  };

  const onRespond = async () => {
    clearErrors(form);
    try {
      await post(`/proposals/${id}/respond`, { response: response?.value.trim() ?? '', changes: body() });
      setFlash(t('respond.sent'));
      navigate(`/proposals/${id}`);
    } catch (error) {
      show(error);
    }
  };

  const heading = mode === 'create' ? t('form.newTitle') : mode === 'edit' ? t('form.editTitle') : t('respond.title');
  const form: HTMLFormElement = h(
    'form',
    { novalidate: true, onsubmit: (e: Event) => (e.preventDefault(), void (mode === 'respond' ? onRespond() : onSave())) },
    mode === 'respond' && proposal && history
      ? section(t('respond.questions'), openQuestions(proposal, history.items), field(t('respond.response'), response as HTMLTextAreaElement, { required: true, hint: t('respond.hint') }))
      : null,
    section(
      t('form.general'),
      field(t('form.title'), title, { required: true, hint: t('form.titleHint') }),
      field(t('form.summary'), summary),
      field(t('form.category'), category),
      h('fieldset', null, h('legend', null, t('form.characteristics')), flags.map((f) => field(t(`form.${f.k}`), f.el))),
      h('fieldset', null, h('legend', null, t('form.risk')), risks.map((r) => field(t(`form.${r.k}`), r.el))),
      h('div', { class: 'grid-2' }, field(t('form.horizonYears'), horizon, { hint: t('form.horizonHint') }), field(t('form.annualTransactions'), transactions)),
    ),
    section(t('form.costs'), costs.view(t('form.costs'), [t('form.year'), t('form.kind'), t('form.costCategory'), t('form.description'), t('form.amount'), t('form.quantity'), t('form.unitPrice')], t('form.addCost'))),
    section(t('form.benefits'), benefits.view(t('form.benefits'), [t('form.year'), t('form.description'), t('form.amount')], t('form.addBenefit'))),
    section(t('form.totals'), totals),
    section(
      t('form.selfAssessment'),
      applicable.length
        ? table(
            t('form.selfAssessment'),
            [
              { label: t('common.standard'), cell: (r) => [h('strong', null, r.code), ' ', r.std.title, r.std.mandatory ? h('span', { class: 'badge' }, t('common.mandatory')) : null, h('p', { class: 'muted small' }, descriptions.get(r.code) ?? '')] },
              { label: t('form.answer'), cell: (r) => r.answer },
              { label: t('form.evidence'), cell: (r) => r.evidence },
            ],
            assessmentRows,
          )
        : h('p', { class: 'hint' }, t('form.standardsAfterSave')),
    ),
    h(
      'div',
      { class: 'actions sticky' },
      mode === 'respond'
        ? h('button', { type: 'submit' }, t('respond.send'))
        : [h('button', { type: 'submit', class: 'secondary' }, t('form.saveDraft')), h('button', { type: 'button', onclick: () => void onSubmit() }, t('form.submit'))],
      h('a', { href: id ? `#/proposals/${id}` : '#/proposals' }, t('common.cancel')),
    ),
  );
  return { title: heading, content: h('div', null, h('h1', null, heading), proposal ? h('p', { class: 'muted' }, proposal.title) : null, form) };
}

/** CAPEX, OPEX and benefits per year, recomputed as the agency types. */
function totalsTable(costs: CostLine[], benefits: BenefitLine[]): HTMLElement {
  const years = new Map<number, { capex: number; opex: number; benefits: number }>();
  const at = (y: number) => years.get(y) ?? (years.set(y, { capex: 0, opex: 0, benefits: 0 }), years.get(y)!);
  for (const c of costs) if (Number.isInteger(c.year) && Number.isFinite(c.amount)) at(c.year)[c.kind === 'OPEX' ? 'opex' : 'capex'] += c.amount;
  for (const b of benefits) if (Number.isInteger(b.year) && Number.isFinite(b.amount)) at(b.year).benefits += b.amount;
  const rows = [...years.entries()].sort(([a], [b]) => a - b).map(([year, v]) => ({ year: String(year), ...v }));
  const sum = rows.reduce((acc, r) => ({ year: t('common.total'), capex: acc.capex + r.capex, opex: acc.opex + r.opex, benefits: acc.benefits + r.benefits }), { year: t('common.total'), capex: 0, opex: 0, benefits: 0 });
  return table(
    t('form.totals'),
    [
      { label: t('form.year'), cell: (r) => r.year },
      { label: 'CAPEX', cell: (r) => money(r.capex), numeric: true },
      { label: 'OPEX', cell: (r) => money(r.opex), numeric: true },
      { label: t('form.benefits'), cell: (r) => money(r.benefits), numeric: true },
      { label: t('form.net'), cell: (r) => money(r.benefits - r.capex - r.opex), numeric: true },
    ],
    rows.length ? [...rows, sum] : [],
    t('form.noFigures'),
  );
}
