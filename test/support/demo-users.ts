import { ApiClient } from './http-client';

/** The demo accounts of API.md, by first name. */
export const DEMO_EMAILS = {
  ana: 'ana.torres@minsal.example',
  bruno: 'bruno.diaz@mineduc.example',
  carla: 'carla.rojas@digital.example',
  diego: 'diego.soto@digital.example',
  elena: 'elena.vera@hacienda.example',
  felipe: 'felipe.mora@hacienda.example',
  gabriela: 'gabriela.pinto@digital.example',
  nicolas: 'nicolas.reyes@digital.example',
  hector: 'hector.lagos@hacienda.example',
  olga: 'olga.castro@hacienda.example',
  irene: 'irene.fuentes@hacienda.example',
  jorge: 'jorge.paredes@digital.example',
  karen: 'karen.silva@segpres.example',
  maria: 'maria.nunez@dipres.example',
  lucia: 'lucia.campos@contraloria.example',
  admin: 'admin@digital.example',
} as const;

export type DemoName = keyof typeof DEMO_EMAILS;

export async function loginAll(baseUrl: string, names: DemoName[]): Promise<Record<DemoName, ApiClient>> {
  const anon = new ApiClient(baseUrl);
  const clients = {} as Record<DemoName, ApiClient>;
  await Promise.all(names.map(async (name) => (clients[name] = await anon.login(DEMO_EMAILS[name]))));
  return clients;
}

/** The ids of logged-in users, by name. */
export async function userIds<N extends string>(clients: Record<N, ApiClient>): Promise<Record<N, string>> {
  const entries = await Promise.all(Object.entries<ApiClient>(clients).map(async ([name, client]) => [name, (await client.get('/auth/me')).body.id as string] as const));
  return Object.fromEntries(entries) as Record<N, string>;
}

/** A user the admin creates, logged in. */
export async function createUser(admin: ApiClient, email: string, roles: string[], agencyCode: string): Promise<{ id: string; client: ApiClient }> {
  const password = 'created-user-password';
  const res = await admin.post('/admin/users', { email, name: email.split('@')[0], password, roles, agencyCode });
  expect({ status: res.status, body: res.body }).toMatchObject({ status: 201 });
  return { id: res.body.id as string, client: await new ApiClient(admin.baseUrl).login(email, password) };
}
