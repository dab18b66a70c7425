/** The agencies and demo accounts of API.md, seeded by `npm start`. */
export const DEMO_AGENCIES = [
  { code: 'MINSAL', name: 'Ministerio de Salud' },
  { code: 'MINEDUC', name: 'Ministerio de Educación' },
  { code: 'DIGITAL', name: 'División de Gobierno Digital' },
  { code: 'HACIENDA', name: 'Ministerio de Hacienda' },
  { code: 'SEGPRES', name: 'Ministerio Secretaría General de la Presidencia' },
  { code: 'DIPRES', name: 'Dirección de Presupuestos' },
  { code: 'CONTRALORIA', name: 'Contraloría General de la República' },
] as const;

export interface DemoUser {
  email: string;
  name: string;
  roles: string[];
  agencyCode: string;
  approvalLevel: string | null;
  deputy: boolean;
}

const user = (email: string, name: string, roles: string[], agencyCode: string, approvalLevel: string | null = null, deputy = false): DemoUser => ({
  email,
  name,
  roles,
  agencyCode,
  approvalLevel,
  deputy,
});

export const DEMO_USERS: readonly DemoUser[] = [
  user('ana.torres@minsal.example', 'Ana Torres', ['agency_submitter'], 'MINSAL'),
  user('bruno.diaz@mineduc.example', 'Bruno Díaz', ['agency_submitter'], 'MINEDUC'),
  user('carla.rojas@digital.example', 'Carla Rojas', ['technical_reviewer'], 'DIGITAL'),
  user('diego.soto@digital.example', 'Diego Soto', ['technical_reviewer'], 'DIGITAL'),
  user('elena.vera@hacienda.example', 'Elena Vera', ['finance_reviewer'], 'HACIENDA'),
  user('felipe.mora@hacienda.example', 'Felipe Mora', ['finance_reviewer'], 'HACIENDA'),
  user('gabriela.pinto@digital.example', 'Gabriela Pinto', ['approver', 'supervisor'], 'DIGITAL', 'DIGITAL_HEAD'),
  user('nicolas.reyes@digital.example', 'Nicolás Reyes', ['approver'], 'DIGITAL', 'DIGITAL_HEAD', true),
  user('hector.lagos@hacienda.example', 'Héctor Lagos', ['approver', 'supervisor'], 'HACIENDA', 'BUDGET_DIRECTOR'),
  user('olga.castro@hacienda.example', 'Olga Castro', ['approver'], 'HACIENDA', 'BUDGET_DIRECTOR', true),
  user('irene.fuentes@hacienda.example', 'Irene Fuentes', ['approver'], 'HACIENDA', 'COMMITTEE'),
  user('jorge.paredes@digital.example', 'Jorge Paredes', ['approver', 'technical_reviewer'], 'DIGITAL', 'COMMITTEE'),
  user('karen.silva@segpres.example', 'Karen Silva', ['approver'], 'SEGPRES', 'COMMITTEE'),
  user('maria.nunez@dipres.example', 'María Núñez', ['approver'], 'DIPRES', 'COMMITTEE'),
  user('lucia.campos@contraloria.example', 'Lucía Campos', ['auditor'], 'CONTRALORIA'),
  user('admin@digital.example', 'Administración', ['admin'], 'DIGITAL'),
];
