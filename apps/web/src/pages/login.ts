import { signIn, signInOptions } from '../api.js';
import { clearErrors, field, input, showProblem } from '../components.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import type { Page } from '../page.js';
import { navigate } from '../router.js';

export async function loginPage(): Promise<Page> {
  const options = await signInOptions();
  const title = h('h1', null, t('login.title'));
  if (!options.localLogin) return { title: t('login.title'), content: h('div', null, title, h('p', null, t('login.off'))) };
  const demo = options.demoAccounts;
  const email = input('email', '', { type: 'email', autocomplete: 'username', list: 'demo-accounts' });
  const password = input('password', '', { type: 'password', autocomplete: 'current-password' });
  const form: HTMLFormElement = h(
    'form',
    {
      class: 'card narrow',
      novalidate: true,
      onsubmit: async (e: Event) => {
        e.preventDefault();
        clearErrors(form);
        try {
          await signIn(email.value.trim(), password.value);
          navigate('/');
        } catch (error) {
          showProblem(form, error);
        }
      },
    },
    field(t('login.email'), email, { required: true }),
    field(t('login.password'), password, { required: true, ...(demo ? { hint: t('login.hint') } : {}) }),
    h('datalist', { id: 'demo-accounts' }, (demo?.emails ?? []).map((a) => h('option', { value: a }))),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('login.submit'))),
  );
  const intro = demo ? `${t('login.intro')} ${t('login.demo', { password: demo.password })}` : t('login.intro');
  return { title: t('login.title'), content: h('div', null, title, h('p', null, intro), form) };
}
