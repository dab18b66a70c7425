import { input, select } from './components.js';
import { h } from './dom.js';
import { t } from './i18n.js';

/** Rows of a repeatable group (cost lines, benefits) whose controls are named `group[i].field`. */
export class RowGroup<T> {
  private rows: T[];
  readonly body = h('tbody');
  constructor(
    private readonly group: string,
    initial: T[],
    private readonly blank: () => T,
    private readonly cells: (row: T, name: (f?: string) => string, update: (change: Partial<T>) => void) => HTMLElement[],
    private readonly changed: () => void,
  ) {
    this.rows = initial.map((r) => ({ ...r }));
    this.render();
  }
  /** The rows as an editable table, with a button that adds one. */
  view(caption: string, headers: string[], addLabel: string): HTMLElement {
    return h(
      'div',
      null,
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'editable' },
          h('caption', { class: 'visually-hidden' }, caption),
          h('thead', null, h('tr', null, [...headers, ''].map((c) => h('th', { scope: 'col' }, c)))),
          this.body,
        ),
      ),
      h('button', { type: 'button', class: 'secondary', onclick: () => this.add() }, addLabel),
    );
  }
  values(): T[] {
    return this.rows;
  }
  add(): void {
    this.rows.push(this.blank());
    this.render();
    this.changed();
    this.body.querySelector<HTMLElement>('tr:last-child input, tr:last-child select')?.focus();
  }
  private render(): void {
    this.body.replaceChildren(
      ...this.rows.map((row, i) => {
        const name = (f?: string) => (f ? `${this.group}[${i}].${f}` : `${this.group}[${i}]`);
        const update = (change: Partial<T>) => {
          this.rows[i] = { ...this.rows[i], ...change };
          this.changed();
        };
        const remove = h('button', { type: 'button', class: 'secondary small', 'aria-label': t('form.removeRow', { n: i + 1 }), onclick: () => (this.rows.splice(i, 1), this.render(), this.changed()) }, t('form.remove'));
        return h('tr', null, ...this.cells(row, name, update).map((c) => h('td', null, c)), h('td', null, remove));
      }),
    );
  }
}

/** A control inside a table row: labelled for assistive technology by the column and the row. */
export function cellInput(name: string, value: string | number | undefined, label: string, onInput: (v: string) => void, attrs: Record<string, string | number> = {}): HTMLInputElement {
  return input(name, value ?? '', { 'aria-label': label, oninput: (e: Event) => onInput((e.target as HTMLInputElement).value), ...attrs });
}
export function cellSelect(name: string, options: { value: string; label: string }[], value: string, label: string, onChange: (v: string) => void): HTMLSelectElement {
  return select(name, options, value, { 'aria-label': label, onchange: (e: Event) => onChange((e.target as HTMLSelectElement).value) });
}
