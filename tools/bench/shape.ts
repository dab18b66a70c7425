import type { WorkflowHandle } from '@temporalio/client';

type History = Awaited<ReturnType<WorkflowHandle['fetchHistory']>>;
type HistoryEvent = NonNullable<History['events']>[number];

/** What Temporal did for one evaluation, counted from its history. */
export interface HistoryShape {
  activities: number;
  updates: number;
  timers: number;
  searchAttributeUpserts: number;
  workflowTasks: number;
  events: number;
}

export function countShape(history: History | null): HistoryShape {
  const events = history?.events ?? [];
  const count = (pick: (e: HistoryEvent) => unknown) => events.filter((e) => pick(e)).length;
  return {
    activities: count((e) => e.activityTaskScheduledEventAttributes),
    updates: count((e) => e.workflowExecutionUpdateAcceptedEventAttributes),
    timers: count((e) => e.timerStartedEventAttributes),
    searchAttributeUpserts: count((e) => e.upsertWorkflowSearchAttributesEventAttributes),
    workflowTasks: count((e) => e.workflowTaskCompletedEventAttributes),
    events: events.length,
  };
}
