/** What the floor's driver and its workflow share (the workflow module itself stays in the bundle). */
import { defineUpdate } from '@temporalio/workflow';

export const FLOOR_WORKFLOW_TYPE = 'floorEvaluation';

export interface FloorActivities {
  step(name: string): Promise<void>;
}

/** A decision on one stage; answers with the number of decisions the evaluation has acted on. */
export const floorDecide = defineUpdate<{ decided: number }, [string]>('floorDecide');

/** A claim of one stage's task, as the evaluation's `claim` update: one activity in its handler, answered at once. */
export const floorClaim = defineUpdate<void, [string]>('floorClaim');
