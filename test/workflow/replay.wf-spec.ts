import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { installWorkerRuntime } from '../../libs/temporal/src/worker-runtime';
import { WORKFLOW_BUNDLE } from '../support/test-stack';
import { HISTORIES_DIR } from './workflow-harness';

jest.setTimeout(60_000);

/**
 * Every recorded history must replay against the current workflow code. A change to the
 * workflow's control flow that is not behind patched() fails here, in CI, before it reaches
 * evaluations in flight.
 */
describe('replay of recorded evaluation histories', () => {
  const files = readdirSync(HISTORIES_DIR).filter((f) => f.endsWith('.json'));

  it('has recorded histories to replay', () => {
    expect(files.length).toBeGreaterThanOrEqual(2);
  });

  it.each(files)('%s replays without nondeterminism', async (file) => {
    installWorkerRuntime('warn', false);
    const history = historyFromJSON(JSON.parse(readFileSync(join(HISTORIES_DIR, file), 'utf8')));
    await expect(
      Worker.runReplayHistory({ workflowBundle: { codePath: WORKFLOW_BUNDLE } }, history, `replay-${file}`),
    ).resolves.toBeUndefined();
  });
});
