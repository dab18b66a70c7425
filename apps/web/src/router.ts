/** Hash navigation; main.ts renders on every change (and again when asked to for the same page). */
export function navigate(path: string): void {
  if (location.hash === `#${path}`) window.dispatchEvent(new Event('appraise:render'));
  else location.hash = path;
}

export function link(path: string): string {
  return `#${path}`;
}
