/** What every page gets and gives back. */
export interface PageContext {
  params: Record<string, string>;
  query: URLSearchParams;
  path: string;
}

export interface Page {
  title: string;
  content: HTMLElement;
}
