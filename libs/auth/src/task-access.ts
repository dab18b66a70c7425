import type { Actor } from './roles';

export interface TaskAccessFacts {
  type: string;
  approvalLevel: string | null;
  candidateRole: string;
  agencyCode: string;
}

export interface StageDecided {
  type: string;
  approvalLevel: string | null;
}

export type Eligibility = { eligible: true } | { eligible: false; reason: string };

/**
 * Separation of duties and candidacy, checked when a task is offered and again when it is
 * decided: the task's role (and approval level), never a proposal of one's own agency, and at
 * most one stage of a proposal per person.
 */
export function taskEligibility(actor: Actor, task: TaskAccessFacts, stagesDecided: readonly StageDecided[]): Eligibility {
  if (!actor.roles.includes(task.candidateRole as Actor['roles'][number])) {
    return { eligible: false, reason: `this task needs the ${task.candidateRole} role` };
  }
  if (task.approvalLevel && actor.approvalLevel !== task.approvalLevel) {
    return { eligible: false, reason: `this task needs approval level ${task.approvalLevel}` };
  }
  if (actor.agencyCode === task.agencyCode) {
    return { eligible: false, reason: 'nobody acts on a task of a proposal from their own agency' };
  }
  const other = stagesDecided.find((s) => s.type !== task.type || s.approvalLevel !== task.approvalLevel);
  if (other) {
    const stage = other.approvalLevel ? `${other.type} at ${other.approvalLevel}` : other.type;
    return { eligible: false, reason: `separation of duties: you already acted on ${stage} of this proposal` };
  }
  return { eligible: true };
}

/** Who may list and read every task: oversight of the work, not the work itself. */
export function seesAllTasks(actor: Actor): boolean {
  return actor.roles.some((r) => r === 'supervisor' || r === 'admin' || r === 'auditor');
}
