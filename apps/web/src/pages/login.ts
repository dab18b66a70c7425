import { signIn } from '../api.js';
import { clearErrors, field, input, showProblem } from '../components.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import type { Page } from '../page.js';
import { navigate } from '../router.js';

const DEMO_ACCOUNTS = [
  'ana.torres@minsal.example',
  'carla.rojas@digital.example',
  'elena.vera@hacienda.example',
  'gabriela.pinto@digital.example',
  'hector.lagos@hacienda.example',
  'lucia.campos@contraloria.example',
  'admin@digital.example',
];

export async function loginPage(): Promise<Page> {
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
    field(t('login.password'), password, { required: true, hint: t('login.hint') }),
    h('datalist', { id: 'demo-accounts' }, DEMO_ACCOUNTS.map((a) => h('option', { value: a }))),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('login.submit'))),
  );
  return { title: t('login.title'), content: h('div', null, h('h1', null, t('login.title')), h('p', null, t('login.intro')), form) };
}
