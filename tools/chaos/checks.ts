/**
 * The end-of-run checks of a chaos run: against PostgreSQL, the API's chain verification,
 * Temporal's view of every workflow (status, search attributes, result) and a replay of every
 * history against the current workflow code.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client as TemporalClient, Connection } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { Client as PgClient } from 'pg';
import { installWorkerRuntime } from '../../libs/temporal/src/worker-runtime';
import { SEARCH_ATTRIBUTES, evaluationWorkflowId } from '../../libs/temporal/src/evaluation.contract';
import { temporalConnectionOptions, temporalDataConverter, type TemporalSecurity } from '../../libs/temporal/src/temporal-connection';
import type { EvaluationResult } from './scenarios';

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

export interface CheckInput {
  databaseUrl: string;
  temporal: TemporalSecurity;
  verifyChain: () => Promise<{ ok: boolean; detail: string }>;
  evaluations: EvaluationResult[];
  historiesDir: string;
  workflowBundle: string;
}

export interface CheckFigures {
  decisionsRecorded: number;
  duplicates: number;
  lost: number;
  stuck: number;
  failedWorkflows: number;
  replayed: number;
  replayFailures: number;
}

export async function runChecks(input: CheckInput): Promise<{ checks: Check[]; figures: CheckFigures }> {
  const checks: Check[] = [];
  const add = (name: string, ok: boolean, detail: string) => checks.push({ name, ok, detail });
  const evaluations = input.evaluations;
  const ids = evaluations.map((e) => e.proposalId).filter((id): id is string => id !== null);

  // 1. Every evaluation reached exactly the outcome its script intended.
  const wrong = evaluations.filter((e) => e.outcome !== e.intended);
  add('outcome as intended', wrong.length === 0, `${evaluations.length - wrong.length}/${evaluations.length}${sample(wrong.map((e) => `#${e.n} ${e.route}: ${e.outcome ?? e.error ?? 'none'}`))}`);
  const anomalies = evaluations.flatMap((e) => e.anomalies.map((a) => `#${e.n}: ${a}`));
  add('no unexpected answer', anomalies.length === 0, `${anomalies.length}${sample(anomalies)}`);

  const pg = new PgClient({ connectionString: input.databaseUrl });
  await pg.connect();
  let figures: CheckFigures;
  try {
    // 2. Each decision exactly once in the record.
    const recorded = await pg.query<{ task_id: string; n: string }>(
      `SELECT data->>'taskId' AS task_id, count(*) AS n FROM records WHERE type = 'DECISION_RECORDED' AND proposal_id = ANY($1::uuid[]) GROUP BY 1`,
      [ids],
    );
    const counts = new Map(recorded.rows.map((r) => [r.task_id, Number(r.n)]));
    const duplicates = recorded.rows.filter((r) => Number(r.n) > 1);
    const made = evaluations.flatMap((e) => e.decisions);
    const lostDecisions = made.filter((d) => (counts.get(d.taskId) ?? 0) === 0);
    const unasked = recorded.rows.filter((r) => !made.some((d) => d.taskId === r.task_id));
    add('each decision recorded once', duplicates.length === 0 && lostDecisions.length === 0 && unasked.length === 0,
      `${made.length} made, ${recorded.rows.length} recorded, ${duplicates.length} twice, ${lostDecisions.length} missing, ${unasked.length} nobody made`);
    const closing = await pg.query<{ proposal_id: string; n: string; w: string }>(
      // A withdrawal appends WITHDRAWN and then the OUTCOME; every closed evaluation has one OUTCOME.
      `SELECT proposal_id, count(*) FILTER (WHERE type = 'OUTCOME') AS n, count(*) FILTER (WHERE type = 'WITHDRAWN') AS w
         FROM records WHERE type IN ('OUTCOME', 'WITHDRAWN') AND proposal_id = ANY($1::uuid[]) GROUP BY 1`,
      [ids],
    );
    const closingTwice = closing.rows.filter((r) => Number(r.n) !== 1 || Number(r.w) > 1);
    const submittedTwice = await pg.query(`SELECT proposal_id FROM records WHERE type = 'SUBMITTED' AND proposal_id = ANY($1::uuid[]) GROUP BY 1 HAVING count(*) > 1`, [ids]);
    const drafts = await pg.query<{ n: string }>(`SELECT count(*) AS n FROM proposals WHERE title LIKE 'Chaos evaluation %' AND status = 'DRAFT'`);
    add('one outcome, one submission each', closingTwice.length === 0 && submittedTwice.rowCount === 0 && closing.rows.length === evaluations.filter((e) => e.outcome).length && Number(drafts.rows[0].n) === 0,
      `${closing.rows.length} outcomes, ${closingTwice.length} not once, ${submittedTwice.rowCount} submitted twice, ${drafts.rows[0].n} stray drafts`);

    // 3. The chain verifies.
    const chain = await input.verifyChain();
    add('history chain verifies', chain.ok, chain.detail);

    // 4. Workflows: none stuck or failed; tasks and workflows agree; search attributes agree.
    const connection = await Connection.connect(temporalConnectionOptions(input.temporal));
    const temporal = new TemporalClient({ connection, dataConverter: temporalDataConverter(input.temporal) });
    const rows = await pg.query<{ id: string; status: string; tier: string | null; agency_code: string; requested_amount: string }>(
      `SELECT id, status, tier, agency_code, requested_amount FROM proposals WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    const openTasks = await pg.query<{ proposal_id: string; n: string }>(`SELECT proposal_id, count(*) AS n FROM tasks WHERE status = 'OPEN' AND proposal_id = ANY($1::uuid[]) GROUP BY 1`, [ids]);
    const openByProposal = new Map(openTasks.rows.map((r) => [r.proposal_id, Number(r.n)]));
    let stuck = 0;
    let failed = 0;
    const orphanTasks: string[] = [];
    const waitingWithoutTask: string[] = [];
    const attributeMismatches: string[] = [];
    const resultMismatches: string[] = [];
    mkdirSync(input.historiesDir, { recursive: true });
    const histories: { workflowId: string; history: unknown }[] = [];
    try {
      for (const row of rows.rows) {
        const handle = temporal.workflow.getHandle(evaluationWorkflowId(row.id));
        const description = await handle.describe();
        const state = description.status.name;
        if (state === 'RUNNING') stuck += 1;
        else if (state !== 'COMPLETED') failed += 1;
        const open = openByProposal.get(row.id) ?? 0;
        if (open > 0 && state !== 'RUNNING') orphanTasks.push(`${row.id} (${open} open, workflow ${state})`);
        if (state === 'RUNNING' && open === 0 && row.status !== 'CHANGES_REQUESTED' && row.status !== 'RETURNED') waitingWithoutTask.push(`${row.id} (${row.status})`);
        const attrs = description.typedSearchAttributes;
        const expected: [string, unknown, unknown][] = [
          ['status', attrs.get(SEARCH_ATTRIBUTES.status), row.status],
          ['tier', attrs.get(SEARCH_ATTRIBUTES.tier) ?? null, row.tier],
          ['agency', attrs.get(SEARCH_ATTRIBUTES.agency), row.agency_code],
          ['requestedAmount', attrs.get(SEARCH_ATTRIBUTES.requestedAmount), Number(row.requested_amount)],
        ];
        for (const [what, actual, want] of expected) if (actual !== want) attributeMismatches.push(`${row.id} ${what}: ${String(actual)} vs ${String(want)}`);
        if (state === 'COMPLETED') {
          const outcome = (await handle.result()) as { status?: string };
          if (outcome.status !== row.status) resultMismatches.push(`${row.id}: workflow ${outcome.status} vs database ${row.status}`);
        }
        const history = await handle.fetchHistory();
        histories.push({ workflowId: handle.workflowId, history });
        writeFileSync(join(input.historiesDir, `${handle.workflowId}.json`), historyToJSON(history));
      }
    } finally {
      await connection.close();
    }
    const missingWorkflows = ids.length - rows.rows.length;
    add('no workflow stuck or failed', stuck === 0 && failed === 0 && missingWorkflows === 0, `${rows.rows.length} workflows: ${stuck} running, ${failed} failed or terminated`);
    add('tasks and workflows agree', orphanTasks.length === 0 && waitingWithoutTask.length === 0,
      `${orphanTasks.length} open tasks without a running workflow, ${waitingWithoutTask.length} workflows waiting without a task${sample([...orphanTasks, ...waitingWithoutTask])}`);
    add('search attributes agree with the database', attributeMismatches.length === 0, `${attributeMismatches.length} mismatches${sample(attributeMismatches)}`);
    add('workflow results agree with the database', resultMismatches.length === 0, `${resultMismatches.length} mismatches${sample(resultMismatches)}`);

    // 5. Every history replays against the current workflow code.
    const replay = await replayAll(histories, input.workflowBundle, input.temporal);
    add('every history replays', replay.failures.length === 0 && replay.replayed === histories.length, `${replay.replayed} replayed, ${replay.failures.length} failed${sample(replay.failures)}`);

    const unfinished = evaluations.filter((e) => e.outcome === null).length;
    figures = {
      decisionsRecorded: recorded.rows.reduce((sum, r) => sum + Number(r.n), 0),
      duplicates: duplicates.reduce((sum, r) => sum + Number(r.n) - 1, 0) + closingTwice.length + (submittedTwice.rowCount ?? 0),
      lost: lostDecisions.length + wrong.filter((e) => e.outcome !== null).length + unfinished,
      stuck,
      failedWorkflows: failed,
      replayed: replay.replayed,
      replayFailures: replay.failures.length,
    };
  } finally {
    await pg.end();
  }
  return { checks, figures };
}

/** Worker.runReplayHistories over the saved histories, against the prebuilt workflow bundle. */
export async function replayAll(histories: { workflowId: string; history: unknown }[], workflowBundle: string, temporal: Pick<TemporalSecurity, 'codecKeys'>): Promise<{ replayed: number; failures: string[] }> {
  installWorkerRuntime('warn', false);
  const failures: string[] = [];
  let replayed = 0;
  const results = Worker.runReplayHistories({ workflowBundle: { codePath: workflowBundle }, dataConverter: temporalDataConverter(temporal) }, histories as Parameters<typeof Worker.runReplayHistories>[1]);
  for await (const result of results) {
    replayed += 1;
    if (result.error) failures.push(`${result.workflowId}: ${result.error.name}: ${result.error.message.split('\n')[0]}`);
  }
  return { replayed, failures };
}

function sample(items: string[]): string {
  return items.length ? ` (${items.slice(0, 3).join('; ')}${items.length > 3 ? '; ...' : ''})` : '';
}

/** The final table, as printed. */
export function formatTable(rows: [string, string, string][]): string {
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r: [string, string, string]) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(rows[0]), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.slice(1).map(line)].join('\n');
}
