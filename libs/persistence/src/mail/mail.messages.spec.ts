import { mailMessageId } from './record-mail';
import { renderMail, type MailEvent } from './mail.messages';
import { UnsubscribeLinks } from './unsubscribe-link';

const proposal = { id: '11111111-2222-4333-8444-555555555555', title: 'Historia clínica electrónica' };
const base = { proposal, recipientName: 'Carla Soto', baseUrl: 'https://appraise.example.gob.cl', unsubscribeUrl: null };
const available: MailEvent = { kind: 'TASK_AVAILABLE', taskId: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee', taskType: 'TECHNICAL_REVIEW', approvalLevel: null, dueAt: '2026-12-10T15:00:00.000Z' };

describe('mail messages', () => {
  it('name the proposal by its title and link to its page, in Spanish with dates as dd-mm-aaaa', () => {
    const mail = renderMail(available, { ...base, language: 'es', unsubscribeUrl: 'https://appraise.example.gob.cl/api/v1/mail/unsubscribe?token=x' });
    expect(mail.subject).toBe('Nueva tarea disponible: revisión técnica de «Historia clínica electrónica»');
    expect(mail.body).toContain('Hola, Carla Soto:');
    expect(mail.body).toContain('Plazo: 10-12-2026.');
    expect(mail.body).toContain('Abrir: https://appraise.example.gob.cl/#/tasks/aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee');
    expect(mail.body).toContain('Para dejar de recibir avisos que no requieren su acción: https://appraise.example.gob.cl/api/v1/mail/unsubscribe?token=x');
  });

  it('speak English to whoever chose it, and say when a message asks for action', () => {
    const mail = renderMail({ kind: 'AGENCY_REQUEST', returned: false, questions: ['¿Cuál es el costo anual?'], missing: [], dueAt: null }, { ...base, language: 'en' });
    expect(mail.subject).toBe('Changes requested: «Historia clínica electrónica»');
    expect(mail.body).toContain('  - ¿Cuál es el costo anual?');
    expect(mail.body).toContain(`Open: https://appraise.example.gob.cl/#/proposals/${proposal.id}/respond`);
    expect(mail.body).toContain('This notice asks for your action and is always sent.');
  });

  it('name outcomes and escalations in the reader’s language', () => {
    expect(renderMail({ kind: 'OUTCOME', status: 'APPROVED_WITH_CONDITIONS' }, { ...base, language: 'es' }).subject).toBe('Resultado de la evaluación: «Historia clínica electrónica» aprobada con condiciones');
    const escalation = renderMail({ kind: 'TASK_ESCALATED', taskId: null, taskType: 'APPROVAL', approvalLevel: 'COMMITTEE', reason: 'the task is past its due date' }, { ...base, language: 'en' });
    expect(escalation.subject).toBe('Escalation: approval (level COMMITTEE) of «Historia clínica electrónica»');
    expect(escalation.body).toContain('Open: https://appraise.example.gob.cl/#/supervision');
  });

  it('give each event and recipient one Message-ID, the same on every attempt', () => {
    const id = mailMessageId('task:1:CREATED', 'user-1', 'digital.gob.cl');
    expect(id).toMatch(/^<[0-9a-f]{32}@digital\.gob\.cl>$/);
    expect(mailMessageId('task:1:CREATED', 'user-1', 'digital.gob.cl')).toBe(id);
    expect(mailMessageId('task:1:CREATED', 'user-2', 'digital.gob.cl')).not.toBe(id);
  });
});

describe('unsubscribe links', () => {
  const userId = '0b5e3c1e-7a4f-4c1b-9d2e-3f4a5b6c7d8e';
  const links = new UnsubscribeLinks('a-secret-of-enough-length-for-tests');

  it('name the person they were signed for', () => {
    expect(links.verify(links.token(userId))).toBe(userId);
    expect(links.url('https://a.example', userId)).toBe(`https://a.example/api/v1/mail/unsubscribe?token=${encodeURIComponent(links.token(userId))}`);
  });

  it('refuse a token signed with another key, for another person, or tampered with', () => {
    const token = links.token(userId);
    expect(new UnsubscribeLinks('another-secret-of-enough-length').verify(token)).toBeNull();
    expect(links.verify(token.replace(userId, '0b5e3c1e-7a4f-4c1b-9d2e-3f4a5b6c7d8f'))).toBeNull();
    expect(links.verify(`${token.slice(0, -2)}AA`)).toBeNull();
    expect(links.verify('garbage')).toBeNull();
    expect(links.verify('')).toBeNull();
  });

  it('cannot pass for an access token: the key is derived for this purpose alone', () => {
    const [, signature] = links.token(userId).split('.');
    const { createHmac } = jest.requireActual<typeof import('node:crypto')>('node:crypto');
    expect(signature).not.toBe(createHmac('sha256', 'a-secret-of-enough-length-for-tests').update(userId).digest('base64url'));
  });
});
