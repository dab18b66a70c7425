/**
 * The engine floor: a bare workflow with the shape of a MEDIUM evaluation as the real one runs
 * it (test/replay/histories/medium-approved.json), and nothing else. Every activity does
 * nothing, so what is left is the cost of Temporal itself for our design:
 *
 * - 3 activities in a row (begin, screening, triage), then 2 more (one per review's tasks);
 * - 4 claims, Updates that run one activity in their handler (the holder recorded) and answer
 *   at once, as `claim` does;
 * - 4 decisions, Updates, the first two arriving together (the two reviews), each running one
 *   activity in its handler and answering only once the main flow has acted on it (the next
 *   step's activity done), as `decide` does;
 * - a timer around every wait for people (the task clocks), cancelled when the wait ends;
 * - an activity to open each approval level, and one for the outcome: 16 activities in all;
 * - the search-attribute upserts of the status changes.
 */
import { allHandlersFinished, condition, proxyActivities, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import { SEARCH_ATTRIBUTES } from '../../libs/temporal/src/evaluation.contract';
import { floorClaim, floorDecide, type FloorActivities } from './floor.contract';

const { step } = proxyActivities<FloorActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', backoffCoefficient: 2 },
});

/** A task clock far in the future, as a real service level is: started, then cancelled. */
const TASK_CLOCK_MS = 7 * 24 * 3600 * 1000;

export async function floorEvaluation(): Promise<number> {
  let reviewsOpen = false;
  let decided = 0;
  let issued = 0;
  let settled = 0;
  let closed = false;
  const status = (value: string) => upsertSearchAttributes([{ key: SEARCH_ATTRIBUTES.status, value }]);
  const stepDue = () => upsertSearchAttributes([{ key: SEARCH_ATTRIBUTES.stepDueAt, value: new Date(Date.now() + TASK_CLOCK_MS) }]);

  setHandler(floorClaim, async (stage: string) => {
    await condition(() => reviewsOpen);
    await step(`claim ${stage}`);
  });

  setHandler(floorDecide, async (stage: string) => {
    await condition(() => reviewsOpen);
    await step(`decide ${stage}`);
    decided += 1;
    const ticket = ++issued;
    await condition(() => settled >= ticket || closed);
    return { decided };
  });

  /** Waits for `n` decisions, answering the Updates handled meanwhile, like waitForPeople. */
  const waitFor = async (n: number) => {
    while (decided < n) {
      settled = issued;
      await condition(() => decided >= n || issued > settled, TASK_CLOCK_MS);
    }
  };

  status('SUBMITTED');
  await step('begin');
  await step('screening');
  await step('triage');
  status('IN_REVIEW');
  status('IN_REVIEW');
  await step('tasks technical');
  await step('tasks finance');
  stepDue();
  reviewsOpen = true;
  await waitFor(2);
  status('IN_REVIEW');
  status('IN_APPROVAL');
  await step('tasks head');
  stepDue();
  await waitFor(3);
  status('IN_APPROVAL');
  await step('tasks budget');
  stepDue();
  await waitFor(4);
  await step('outcome');
  status('APPROVED');
  closed = true;
  settled = issued;
  await condition(allHandlersFinished);
  return decided;
}
