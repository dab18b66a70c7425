import type { FieldError } from './errors.js';

/**
 * What PostgreSQL text and jsonb, and so the hash-chained record, can hold. A JavaScript string
 * can hold more: JSON.parse turns `\u0000` into U+0000 and `"\ud800"` into half of a UTF-16
 * pair. PostgreSQL refuses U+0000 in text and jsonb; jsonb refuses the escape of a lone
 * surrogate, and text, through the driver's UTF-8 encoding, silently turns one into U+FFFD. A
 * decision holding either was accepted and then failed in every retry of the activity that
 * records it, so every text a client sends is checked against this rule at the edge.
 */
export type UnstorableReason = 'NUL' | 'LONE_SURROGATE';

const SURROGATE = /[\ud800-\udfff]/;
const WHAT: Record<UnstorableReason, string> = { NUL: 'NUL characters', LONE_SURROGATE: 'lone UTF-16 surrogates' };

/**
 * Why `text` cannot be stored, or null when it can. A lone surrogate is a high one (U+D800 to
 * U+DBFF) not followed by a low one (U+DC00 to U+DFFF), or a low one not preceded by a high one.
 * A NUL is reported before a lone surrogate.
 */
export function whyUnstorable(text: string): UnstorableReason | null {
  if (!text.includes('\u0000') && !SURROGATE.test(text)) return null;
  let reason: UnstorableReason | null = null;
  for (let i = 0; i < text.length; i += 1) {
    const unit = text.charCodeAt(i);
    if (unit === 0) return 'NUL';
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i += 1;
      else reason ??= 'LONE_SURROGATE';
    } else if (unit >= 0xdc00 && unit <= 0xdfff) {
      reason ??= 'LONE_SURROGATE';
    }
  }
  return reason;
}

/** The sentence for a problem, starting with what holds the text, like every validation message. */
export function unstorableMessage(subject: string, reason: UnstorableReason): string {
  return `${subject} must not contain ${WHAT[reason]}`;
}

/**
 * No body of the API nests deeper than a few levels (a catalogue's `standards[0].appliesTo.tiers`
 * is the deepest). Far deeper JSON parses, but overflows the stack of any recursive walk over it
 * (this one, the canonical JSON of the record and of idempotency keys) and of PostgreSQL's jsonb
 * parser: refused like unstorable text.
 */
export const MAX_JSON_DEPTH = 32;

/**
 * Every place in a parsed JSON value (a body, a query, the claims of a token) that cannot be
 * stored: strings and object keys at any depth, named by dotted path with indexes, and nesting
 * beyond MAX_JSON_DEPTH. `root` names the value itself and the holder of its keys. At most
 * `limit` problems, so a huge body does not make a huge answer.
 */
export function unstorableFields(value: unknown, root: string, limit = 20): FieldError[] {
  const problems: FieldError[] = [];
  const visit = (item: unknown, path: string, depth: number): void => {
    if (problems.length >= limit) return;
    const field = path || root;
    if (typeof item === 'string') {
      const reason = whyUnstorable(item);
      if (reason) problems.push({ field, message: unstorableMessage(field, reason) });
      return;
    }
    if (item === null || typeof item !== 'object') return;
    if (depth > MAX_JSON_DEPTH) {
      problems.push({ field, message: `${field} nests more than ${MAX_JSON_DEPTH} levels deep` });
      return;
    }
    if (Array.isArray(item)) {
      item.forEach((element, i) => visit(element, `${path}[${i}]`, depth + 1));
      return;
    }
    for (const [key, element] of Object.entries(item)) {
      const reason = whyUnstorable(key);
      if (reason && problems.length < limit) problems.push({ field, message: unstorableMessage('field names', reason) });
      visit(element, path ? `${path}.${key}` : key, depth + 1);
    }
  };
  visit(value, '', 1);
  return problems;
}
