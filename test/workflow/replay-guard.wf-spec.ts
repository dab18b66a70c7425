import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { installWorkerRuntime } from '../../libs/temporal/src/worker-runtime';
import { WORKFLOW_BUNDLE } from '../support/test-stack';
import { HISTORIES_DIR } from './workflow-harness';

jest.setTimeout(120_000);

const ROOT = join(__dirname, '..', '..');
/** The evaluation's first activity call, in the compiled workflow. */
const FIRST_CALL = /const context = await this\.begin\(\);/;

/**
 * The replay of recorded histories (replay.wf-spec.ts) is the CI guard against a workflow change
 * made without patched(). This proves the guard bites: the same workflow with one command added
 * before the others (an extra activity first, as a careless edit would) fails replay with a
 * determinism error,
 * while the shipped bundle replays the same history cleanly.
 */
describe('replay catches a workflow change made without patched()', () => {
  let dir: string;

  beforeAll(() => {
    installWorkerRuntime('warn', false);
    dir = mkdtempSync(join(tmpdir(), 'appraise-altered-workflow-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('fails the replay of a recorded history with a DeterminismViolationError', async () => {
    const history = historyFromJSON(JSON.parse(readFileSync(join(HISTORIES_DIR, 'medium-approved.json'), 'utf8')));
    await expect(Worker.runReplayHistory({ workflowBundle: { codePath: WORKFLOW_BUNDLE } }, history, 'shipped')).resolves.toBeUndefined();

    // A copy of the compiled workflows that calls an activity before the first one of the
    // history; libs and node_modules are the real ones.
    mkdirSync(join(dir, 'dist'));
    cpSync(join(ROOT, 'dist', 'workflows'), join(dir, 'dist', 'workflows'), { recursive: true });
    symlinkSync(join(ROOT, 'dist', 'libs'), join(dir, 'dist', 'libs'));
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
    const file = join(dir, 'dist', 'workflows', 'evaluation.workflow.js');
    const source = readFileSync(file, 'utf8');
    expect(source).toMatch(FIRST_CALL);
    writeFileSync(file, source.replace(FIRST_CALL, (call) => `await activities.committeeMembers({ excludedUserIds: [] });\n        ${call}`));
    const { code } = await bundleWorkflowCode({ workflowsPath: join(dir, 'dist', 'workflows', 'index.js'), logger: undefined });

    const replay = Worker.runReplayHistory({ workflowBundle: { code } }, history, 'altered');
    await expect(replay).rejects.toBeInstanceOf(DeterminismViolationError);
    await expect(replay).rejects.toThrow(/nondetermin/i);
  });
});
