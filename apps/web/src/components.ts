import { ApiError, type Problem } from './api.js';
import { h, nextId, s, type Attrs, type Child } from './dom.js';
import { enumLabel, t, type EnumGroup } from './i18n.js';
import { number } from './format.js';

/** A status, tier or outcome as a coloured chip; the text carries the meaning, not the colour. */
export function chip(group: EnumGroup, value: string | null | undefined): HTMLElement {
  if (!value) return h('span', { class: 'muted' }, '—');
  return h('span', { class: `chip chip-${value.toLowerCase().replace(/_/g, '-')}` }, enumLabel(group, value));
}

export interface FieldOptions {
  hint?: string;
  required?: boolean;
  class?: string;
}

/** A labelled control; the control carries `data-field` so API errors land beside it. */
export function field(label: string, control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement, options: FieldOptions = {}): HTMLElement {
  if (!control.id) control.id = nextId();
  const hintId = options.hint ? nextId('hint') : undefined;
  if (hintId) control.setAttribute('aria-describedby', hintId);
  if (options.required) control.required = true;
  const checkbox = control instanceof HTMLInputElement && control.type === 'checkbox';
  const labelEl = h('label', { for: control.id }, label, options.required ? h('span', { class: 'required', 'aria-hidden': 'true' }, ' *') : null);
  return h(
    'div',
    { class: `field${checkbox ? ' field-checkbox' : ''}${options.class ? ` ${options.class}` : ''}` },
    checkbox ? [control, labelEl] : [labelEl, control],
    hintId ? h('p', { class: 'hint', id: hintId }, options.hint) : null,
  );
}

export function input(name: string, value: string | number | null | undefined, attrs: Attrs = {}): HTMLInputElement {
  return h('input', { name, 'data-field': name, type: 'text', value: value ?? '', ...attrs });
}

export function checkbox(name: string, checked: boolean | undefined): HTMLInputElement {
  return h('input', { name, 'data-field': name, type: 'checkbox', checked: !!checked });
}

export function textarea(name: string, value: string | null | undefined, attrs: Attrs = {}): HTMLTextAreaElement {
  const el = h('textarea', { name, 'data-field': name, rows: 3, ...attrs });
  el.value = value ?? '';
  return el;
}

export function select(name: string, options: { value: string; label: string }[], value: string | null | undefined, attrs: Attrs = {}): HTMLSelectElement {
  const el = h('select', { name, 'data-field': name, ...attrs }, ...options.map((o) => h('option', { value: o.value }, o.label)));
  el.value = value ?? options[0]?.value ?? '';
  return el;
}

export function enumOptions(group: EnumGroup, values: readonly string[], empty?: string): { value: string; label: string }[] {
  return [...(empty !== undefined ? [{ value: '', label: empty }] : []), ...values.map((v) => ({ value: v, label: enumLabel(group, v) }))];
}

/** Clears the messages `showProblem` put into `scope`. */
export function clearErrors(scope: HTMLElement): void {
  scope.querySelectorAll('.field-error').forEach((e) => e.remove());
  scope.querySelectorAll('[aria-invalid]').forEach((e) => {
    e.removeAttribute('aria-invalid');
    const described = (e.getAttribute('aria-describedby') ?? '').split(' ').filter((id) => id && !id.startsWith('err-'));
    if (described.length) e.setAttribute('aria-describedby', described.join(' '));
    else e.removeAttribute('aria-describedby');
  });
  scope.querySelectorAll('.error-summary').forEach((e) => e.remove());
}

/**
 * Shows an API problem: each field error next to its control (matched by `data-field`), and a
 * summary at the top of `scope` that lists them all and is announced to screen readers.
 */
export function showProblem(scope: HTMLElement, error: unknown): void {
  clearErrors(scope);
  const problem: Problem = error instanceof ApiError ? error.problem : { title: t('error.unexpected'), status: 0, detail: String(error) };
  const items: Child[] = [];
  for (const fe of problem.errors ?? []) {
    const control = scope.querySelector<HTMLElement>(`[data-field="${CSS.escape(fe.field)}"]`);
    if (control) {
      const id = nextId('err');
      control.setAttribute('aria-invalid', 'true');
      control.setAttribute('aria-describedby', `${control.getAttribute('aria-describedby') ?? ''} ${id}`.trim());
      const message = h('p', { class: 'field-error', id }, fe.message);
      (control.closest('.field, td') ?? control.parentElement)?.appendChild(message);
      items.push(h('li', null, h('a', { href: `#${control.id}`, onclick: (e: Event) => (e.preventDefault(), control.focus()) }, `${fe.field}: ${fe.message}`)));
    } else {
      items.push(h('li', null, `${fe.field}: ${fe.message}`));
    }
  }
  const summary = h(
    'div',
    { class: 'error-summary', role: 'alert', tabindex: -1 },
    h('p', { class: 'error-title' }, problem.status ? `${problem.title} (${problem.status})` : problem.title),
    problem.status === 429 ? h('p', null, t('error.rateLimited', { seconds: problem.retryAfterSeconds ?? '?' })) : null,
    problem.detail ? h('p', null, problem.detail) : null,
    items.length ? h('ul', null, items) : null,
    problem.correlationId ? h('p', { class: 'muted small' }, `${t('error.reference')}: ${problem.correlationId}`) : null,
  );
  scope.prepend(summary);
  summary.focus();
}

/** A message for the next page (after a navigation), shown once. */
let flash: string | null = null;
export function setFlash(message: string): void {
  flash = message;
}
export function takeFlash(): HTMLElement | null {
  const message = flash;
  flash = null;
  return message ? h('div', { class: 'flash', role: 'status' }, message) : null;
}

export interface Column<T> {
  label: string;
  cell: (row: T) => Child;
  numeric?: boolean;
}

export function table<T>(caption: string, columns: Column<T>[], rows: T[], empty = t('common.none')): HTMLElement {
  if (!rows.length) return h('p', { class: 'empty' }, empty);
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      null,
      h('caption', { class: 'visually-hidden' }, caption),
      h('thead', null, h('tr', null, columns.map((c) => h('th', { scope: 'col', class: c.numeric ? 'num' : null }, c.label)))),
      h('tbody', null, rows.map((r) => h('tr', null, columns.map((c) => h('td', { class: c.numeric ? 'num' : null }, c.cell(r)))))),
    ),
  );
}

export function pager(page: number, pageSize: number, total: number, go: (page: number) => void): HTMLElement {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return h(
    'nav',
    { class: 'pager', 'aria-label': t('common.pagination') },
    h('button', { type: 'button', class: 'secondary', disabled: page <= 1, onclick: () => go(page - 1) }, t('common.previous')),
    h('span', null, t('common.pageOf', { page, pages, total })),
    h('button', { type: 'button', class: 'secondary', disabled: page >= pages, onclick: () => go(page + 1) }, t('common.next')),
  );
}

/** A modal confirmation (native <dialog>: focus is trapped and Escape cancels). */
export function confirmDialog(title: string, body: Child, confirmLabel: string, withReason?: string): Promise<string | null> {
  return new Promise((resolve) => {
    const reasonInput = withReason ? textarea('reason', '', { required: true }) : null;
    const dialog = h(
      'dialog',
      { 'aria-labelledby': 'dialog-title' },
      h(
        'form',
        { method: 'dialog' },
        h('h2', { id: 'dialog-title' }, title),
        h('div', null, body),
        reasonInput && withReason ? field(withReason, reasonInput, { required: true }) : null,
        h('div', { class: 'actions' }, h('button', { type: 'submit', value: 'ok' }, confirmLabel), h('button', { type: 'submit', value: 'cancel', class: 'secondary', formnovalidate: true }, t('common.cancel'))),
      ),
    );
    dialog.addEventListener('close', () => {
      const ok = dialog.returnValue === 'ok';
      dialog.remove();
      resolve(ok ? (reasonInput?.value.trim() ?? '') : null);
    });
    document.body.appendChild(dialog);
    dialog.showModal();
  });
}

export interface Series {
  label: string;
  className: string;
  values: number[];
}

/**
 * A grouped bar chart in SVG. Each chart has a title and a description for assistive
 * technology, and the same figures are always in a table next to it.
 */
export function barChart(title: string, categories: string[], series: Series[], format: (n: number) => string = (n) => number(n)): HTMLElement {
  const width = 640;
  const rowHeight = 18 * series.length + 14;
  // Room for the longest category name (about 7 px a character at 12 px), within reason.
  const labelWidth = Math.min(260, Math.max(90, 16 + 7 * Math.max(0, ...categories.map((c) => c.length))));
  const height = categories.length * rowHeight + 30;
  const max = Math.max(1, ...series.flatMap((x) => x.values));
  const titleId = nextId('chart');
  const descId = nextId('chart-desc');
  const bars: SVGElement[] = [];
  categories.forEach((category, i) => {
    const y0 = i * rowHeight + 6;
    bars.push(s('text', { x: labelWidth - 8, y: y0 + (18 * series.length) / 2 + 4, 'text-anchor': 'end', class: 'chart-label' }, category));
    series.forEach((x, j) => {
      const value = x.values[i] ?? 0;
      const w = Math.max(value > 0 ? 2 : 0, ((width - labelWidth - 110) * value) / max);
      const y = y0 + j * 18;
      bars.push(s('rect', { x: labelWidth, y, width: w, height: 14, class: `bar ${x.className}` }, s('title', null, `${category} · ${x.label}: ${format(value)}`)));
      bars.push(s('text', { x: labelWidth + w + 6, y: y + 11, class: 'chart-value' }, format(value)));
    });
  });
  const legend = h('ul', { class: 'legend' }, series.map((x) => h('li', null, h('span', { class: `swatch ${x.className}`, 'aria-hidden': 'true' }), x.label)));
  const svg = s(
    'svg',
    { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-labelledby': `${titleId} ${descId}`, class: 'chart' },
    s('title', { id: titleId }, title),
    s('desc', { id: descId }, categories.map((c, i) => `${c}: ${series.map((x) => `${x.label} ${format(x.values[i] ?? 0)}`).join(', ')}`).join('; ')),
    ...bars,
  );
  return h('figure', { class: 'chart-figure' }, h('figcaption', null, title), legend, categories.length ? svg : h('p', { class: 'empty' }, t('common.noData')));
}

export function definitionList(entries: [string, Child][]): HTMLElement {
  return h('dl', { class: 'facts' }, entries.map(([k, v]) => h('div', null, h('dt', null, k), h('dd', null, v))));
}

export function section(title: string, ...children: Child[]): HTMLElement {
  const id = nextId('sec');
  return h('section', { 'aria-labelledby': id, class: 'card' }, h('h2', { id }, title), ...children);
}
