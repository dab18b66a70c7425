/**
 * Whether a database error says that the data or the statement itself is wrong, so that trying
 * again cannot help: PostgreSQL's classes 22 (data exception: invalid text or JSON, a value out
 * of range), 23 (a constraint), 42 (syntax or access rule: a defect of ours), 2B and 44. A
 * connection lost, a deadlock or a database shutting down are worth retrying; these are not.
 */
export function isPermanentDatabaseError(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 4; depth += 1) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^(22|23|42|2B|44)[0-9A-Z]{3}$/.test(code)) return true;
    e = (e as { driverError?: unknown }).driverError ?? (e as { cause?: unknown }).cause;
  }
  return false;
}
