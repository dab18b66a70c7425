import { currentUser, hasRole, reaches, signOut, whenSignedOut } from './api.js';
import { showProblem, takeFlash } from './components.js';
import { h } from './dom.js';
import { currentLang, enumLabel, setLang, t, type Lang } from './i18n.js';
import { loginPage } from './pages/login.js';
import { inboxPage } from './pages/inbox.js';
import { outcomesPage } from './pages/outcomes.js';
import { portfolioPage } from './pages/portfolio.js';
import { proposalFormPage } from './pages/proposal-form.js';
import { proposalPage } from './pages/proposal.js';
import { proposalsPage } from './pages/proposals.js';
import { supervisionPage } from './pages/supervision.js';
import { taskPage } from './pages/task.js';
import type { PageContext, Page } from './page.js';
import { navigate } from './router.js';

type Route = { pattern: RegExp; keys: string[]; page: (ctx: PageContext) => Promise<Page>; public?: boolean };

const route = (path: string, page: Route['page'], isPublic = false): Route => {
  const keys: string[] = [];
  const pattern = new RegExp(`^${path.replace(/:(\w+)/g, (_m, key: string) => (keys.push(key), '([^/]+)'))}$`);
  return { pattern, keys, page, public: isPublic };
};

const ROUTES: Route[] = [
  route('/login', loginPage, true),
  route('/proposals', proposalsPage),
  route('/proposals/new', (ctx) => proposalFormPage(ctx, 'create')),
  route('/proposals/:id', proposalPage),
  route('/proposals/:id/edit', (ctx) => proposalFormPage(ctx, 'edit')),
  route('/proposals/:id/respond', (ctx) => proposalFormPage(ctx, 'respond')),
  route('/inbox', inboxPage),
  route('/tasks/:id', taskPage),
  route('/supervision', supervisionPage),
  route('/outcomes', outcomesPage),
  route('/portfolio', portfolioPage),
];


/** Where each person starts: their own work. */
function homeFor(): string {
  if (!currentUser()) return '/login';
  if (reaches('authorProposals')) return '/proposals';
  if (reaches('actOnTasks')) return '/inbox';
  if (hasRole('supervisor')) return '/supervision';
  if (hasRole('auditor')) return '/outcomes';
  return '/proposals';
}

/** A page is offered to exactly those the API lets in (ROLE_ACCESS, the matrix its guard applies). */
function navLinks(): [string, string][] {
  const links: [string, string][] = [];
  if (reaches('readTasks')) links.push(['/inbox', t('nav.inbox')]);
  links.push(['/proposals', reaches('authorProposals') ? t('nav.myProposals') : t('nav.proposals')]);
  if (reaches('superviseTasks')) links.push(['/supervision', t('nav.supervision')]);
  if (reaches('readOutcomes')) links.push(['/outcomes', t('nav.outcomes')]);
  if (reaches('readPortfolio')) links.push(['/portfolio', t('nav.portfolio')]);
  return links;
}

function langSwitch(): HTMLElement {
  const button = (lang: Lang, label: string) =>
    h('button', { type: 'button', class: 'lang', lang, 'aria-pressed': String(currentLang() === lang), onclick: () => (setLang(lang), void render()) }, label);
  return h('div', { class: 'lang-switch', role: 'group', 'aria-label': t('nav.language') }, button('es', 'Español'), button('en', 'English'));
}

function header(active: string): HTMLElement {
  const user = currentUser();
  return h(
    'header',
    { class: 'site-header' },
    h('a', { class: 'skip-link', href: '#main', onclick: (e: Event) => (e.preventDefault(), document.getElementById('main')?.focus()) }, t('nav.skip')),
    h('div', { class: 'brand' }, h('a', { href: '#/' }, 'Appraise'), h('span', { class: 'tagline' }, t('app.tagline'))),
    user
      ? h(
          'nav',
          { 'aria-label': t('nav.main') },
          h('ul', null, navLinks().map(([href, label]) => h('li', null, h('a', { href: `#${href}`, 'aria-current': active.startsWith(href) ? 'page' : null }, label)))),
        )
      : null,
    h(
      'div',
      { class: 'who' },
      user
        ? [
            h('span', { class: 'who-name', 'data-testid': 'who' }, user.name),
            h('span', { class: 'who-roles' }, `${user.agencyCode} · ${user.roles.map((r) => enumLabel('role', r)).join(', ')}${user.approvalLevel ? ` · ${enumLabel('level', user.approvalLevel)}` : ''}`),
            h('button', { type: 'button', class: 'link', onclick: () => (signOut(), navigate('/login')) }, t('nav.signOut')),
          ]
        : null,
      langSwitch(),
    ),
  );
}

let rendering = 0;

async function render(): Promise<void> {
  const ticket = ++rendering;
  const [path, search = ''] = location.hash.replace(/^#/, '').split('?');
  if (!path || path === '/') return navigate(homeFor());
  const match = ROUTES.map((r) => ({ r, m: r.pattern.exec(path) })).find((x) => x.m);
  if (!match?.m) return navigate(homeFor());
  if (!match.r.public && !currentUser()) return navigate('/login');
  const params: Record<string, string> = {};
  match.r.keys.forEach((key, i) => (params[key] = decodeURIComponent(match.m?.[i + 1] ?? '')));
  const app = document.getElementById('app') as HTMLElement;
  const main = h('main', { id: 'main', tabindex: -1 }, h('p', { class: 'loading', role: 'status' }, t('common.loading')));
  app.replaceChildren(header(path), main);
  try {
    const page = await match.r.page({ params, query: new URLSearchParams(search), path });
    if (ticket !== rendering) return;
    document.title = `${page.title} · Appraise`;
    main.replaceChildren(...[takeFlash(), page.content].filter((n): n is HTMLElement => !!n));
  } catch (error) {
    if (ticket !== rendering) return;
    document.title = `${t('error.title')} · Appraise`;
    const box = h('div', null, h('h1', null, t('error.title')));
    main.replaceChildren(box);
    showProblem(box, error);
  }
  (main.querySelector('h1') ?? main).setAttribute('tabindex', '-1');
  (main.querySelector<HTMLElement>('.flash, h1') ?? main).focus();
}

whenSignedOut(() => navigate('/login'));
window.addEventListener('hashchange', () => void render());
window.addEventListener('appraise:render', () => void render());
document.documentElement.lang = currentLang();
void render();
