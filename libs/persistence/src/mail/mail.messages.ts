/**
 * The text of every message the system mails, in Spanish and English: pure functions of the
 * event, the proposal and the recipient's language, rendered when the message is queued (the
 * outbox keeps what was said). Links point at the web interface's pages (apps/web/src/main.ts
 * routes, hash navigation).
 */

export type MailLanguage = 'es' | 'en';
export const MAIL_LANGUAGES: readonly MailLanguage[] = ['es', 'en'];

/** What happened, as far as a message needs to tell it. */
export type MailEvent =
  | { kind: 'TASK_AVAILABLE'; taskId: string; taskType: string; approvalLevel: string | null; dueAt: string }
  | { kind: 'TASK_ASSIGNED'; taskId: string; taskType: string; approvalLevel: string | null; dueAt: string | null }
  | { kind: 'TASK_REMINDER'; taskId: string; taskType: string; approvalLevel: string | null; dueAt: string }
  | { kind: 'TASK_ESCALATED'; taskId: string | null; taskType: string | null; approvalLevel: string | null; reason: string }
  | { kind: 'AGENCY_REQUEST'; returned: boolean; questions: string[]; missing: string[]; dueAt: string | null }
  | { kind: 'AGENCY_REMINDER'; dueAt: string | null }
  | { kind: 'OUTCOME'; status: string };
export type MailEventKind = MailEvent['kind'];

/**
 * Mail that asks the recipient to act, which nobody can unsubscribe from; the rest (a task
 * offered to a whole role, an outcome) is optional.
 */
export const REQUIRES_ACTION: Record<MailEventKind, boolean> = {
  TASK_AVAILABLE: false,
  TASK_ASSIGNED: true,
  TASK_REMINDER: true,
  TASK_ESCALATED: true,
  AGENCY_REQUEST: true,
  AGENCY_REMINDER: true,
  OUTCOME: false,
};

export interface MailContext {
  proposal: { id: string; title: string };
  recipientName: string;
  language: MailLanguage;
  /** PUBLIC_BASE_URL, no trailing slash. */
  baseUrl: string;
  /** The signed link that unsubscribes the recipient from optional mail; null on mail that requires action. */
  unsubscribeUrl: string | null;
}

export interface RenderedMail {
  subject: string;
  body: string;
}

const TASK_NAMES: Record<MailLanguage, Record<string, string>> = {
  es: { TECHNICAL_REVIEW: 'revisión técnica', COST_EFFICIENCY_REVIEW: 'revisión de costo-eficiencia', APPROVAL: 'aprobación' },
  en: { TECHNICAL_REVIEW: 'technical review', COST_EFFICIENCY_REVIEW: 'cost-efficiency review', APPROVAL: 'approval' },
};

const OUTCOME_NAMES: Record<MailLanguage, Record<string, string>> = {
  es: { APPROVED: 'aprobada', APPROVED_WITH_CONDITIONS: 'aprobada con condiciones', REJECTED: 'rechazada', WITHDRAWN: 'retirada', LAPSED: 'caducada' },
  en: { APPROVED: 'approved', APPROVED_WITH_CONDITIONS: 'approved with conditions', REJECTED: 'rejected', WITHDRAWN: 'withdrawn', LAPSED: 'lapsed' },
};

function taskName(language: MailLanguage, type: string | null, level: string | null): string {
  const name = (type && TASK_NAMES[language][type]) || type || (language === 'es' ? 'tarea' : 'task');
  if (!level) return name;
  return language === 'es' ? `${name} (nivel ${level})` : `${name} (level ${level})`;
}

/** dd-mm-aaaa in Chile's time zone for Spanish; ISO date for English. */
function day(language: MailLanguage, iso: string | null): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  if (language === 'en') return date.toLocaleDateString('en-CA', { timeZone: 'America/Santiago' });
  return date.toLocaleDateString('es-CL', { timeZone: 'America/Santiago', day: '2-digit', month: '2-digit', year: 'numeric' });
}

function list(items: string[]): string {
  return items.map((item) => `  - ${item}`).join('\n');
}

/** The page a message links to: the task for task mail, the proposal otherwise. */
export function mailLink(event: MailEvent, context: Pick<MailContext, 'baseUrl' | 'proposal'>): string {
  const taskId = 'taskId' in event ? event.taskId : null;
  if (taskId && event.kind !== 'TASK_ESCALATED') return `${context.baseUrl}/#/tasks/${taskId}`;
  if (event.kind === 'TASK_ESCALATED') return `${context.baseUrl}/#/supervision`;
  if (event.kind === 'AGENCY_REQUEST') return `${context.baseUrl}/#/proposals/${context.proposal.id}/respond`;
  return `${context.baseUrl}/#/proposals/${context.proposal.id}`;
}

export function renderMail(event: MailEvent, context: MailContext): RenderedMail {
  const { language: lang, proposal } = context;
  const title = `«${proposal.title}»`;
  const es = lang === 'es';
  let subject: string;
  let lines: string[];
  switch (event.kind) {
    case 'TASK_AVAILABLE': {
      const task = taskName(lang, event.taskType, event.approvalLevel);
      subject = es ? `Nueva tarea disponible: ${task} de ${title}` : `New task available: ${task} of ${title}`;
      lines = es
        ? [`La propuesta ${title} espera una ${task}, abierta a su rol. Plazo: ${day(lang, event.dueAt)}.`, 'Puede tomarla desde su bandeja de entrada.']
        : [`The proposal ${title} awaits a ${task}, open to your role. Due: ${day(lang, event.dueAt)}.`, 'You can claim it from your inbox.'];
      break;
    }
    case 'TASK_ASSIGNED': {
      const task = taskName(lang, event.taskType, event.approvalLevel);
      subject = es ? `Se le asignó una tarea: ${task} de ${title}` : `A task was assigned to you: ${task} of ${title}`;
      lines = es
        ? [`Se le asignó la ${task} de la propuesta ${title}.`, ...(event.dueAt ? [`Plazo: ${day(lang, event.dueAt)}.`] : [])]
        : [`You were assigned the ${task} of the proposal ${title}.`, ...(event.dueAt ? [`Due: ${day(lang, event.dueAt)}.`] : [])];
      break;
    }
    case 'TASK_REMINDER': {
      const task = taskName(lang, event.taskType, event.approvalLevel);
      subject = es ? `Recordatorio: ${task} de ${title}` : `Reminder: ${task} of ${title}`;
      lines = es
        ? [`La ${task} de la propuesta ${title} vence el ${day(lang, event.dueAt)}.`]
        : [`The ${task} of the proposal ${title} is due on ${day(lang, event.dueAt)}.`];
      break;
    }
    case 'TASK_ESCALATED': {
      const task = taskName(lang, event.taskType, event.approvalLevel);
      subject = es ? `Escalamiento: ${task} de ${title}` : `Escalation: ${task} of ${title}`;
      lines = es
        ? [`La ${task} de la propuesta ${title} necesita a la supervisión.`, `Motivo registrado: ${event.reason}`]
        : [`The ${task} of the proposal ${title} needs a supervisor.`, `Recorded reason: ${event.reason}`];
      break;
    }
    case 'AGENCY_REQUEST': {
      if (event.returned) {
        subject = es ? `Propuesta devuelta: ${title}` : `Proposal returned: ${title}`;
        lines = es ? [`La propuesta ${title} no pasó la revisión de admisibilidad y fue devuelta a su institución.`] : [`The proposal ${title} did not pass screening and was returned to your agency.`];
      } else {
        subject = es ? `Se solicitan cambios: ${title}` : `Changes requested: ${title}`;
        lines = es ? [`Los revisores solicitan cambios a la propuesta ${title}.`] : [`The reviewers request changes to the proposal ${title}.`];
      }
      if (event.questions.length) lines.push(es ? 'Preguntas:' : 'Questions:', list(event.questions));
      if (event.missing.length) lines.push(es ? 'Falta o debe corregirse:' : 'Missing or to be corrected:', list(event.missing));
      if (event.dueAt) lines.push(es ? `Plazo para responder: ${day(lang, event.dueAt)}.` : `Answer by: ${day(lang, event.dueAt)}.`);
      break;
    }
    case 'AGENCY_REMINDER':
      subject = es ? `Recordatorio: la propuesta ${title} espera su respuesta` : `Reminder: the proposal ${title} awaits your answer`;
      lines = es ? [`La propuesta ${title} espera la respuesta de su institución. Plazo: ${day(lang, event.dueAt)}.`] : [`The proposal ${title} awaits your agency's answer. Due: ${day(lang, event.dueAt)}.`];
      break;
    case 'OUTCOME': {
      const status = OUTCOME_NAMES[lang][event.status] ?? event.status;
      subject = es ? `Resultado de la evaluación: ${title} ${status}` : `Evaluation outcome: ${title} ${status}`;
      lines = es ? [`La evaluación de la propuesta ${title} terminó: ${status}.`] : [`The evaluation of the proposal ${title} has ended: ${status}.`];
      break;
    }
  }
  const greeting = es ? `Hola, ${context.recipientName}:` : `Hello ${context.recipientName},`;
  const open = es ? `Abrir: ${mailLink(event, context)}` : `Open: ${mailLink(event, context)}`;
  const footer = context.unsubscribeUrl
    ? es
      ? `Para dejar de recibir avisos que no requieren su acción: ${context.unsubscribeUrl}`
      : `To stop receiving notices that need no action from you: ${context.unsubscribeUrl}`
    : es
      ? 'Este aviso requiere su acción y se envía siempre.'
      : 'This notice asks for your action and is always sent.';
  const body = [greeting, '', ...lines, '', open, '', '-- ', es ? 'Appraise, evaluación de proyectos TIC' : 'Appraise, ICT project evaluation', footer, ''].join('\n');
  return { subject, body };
}
