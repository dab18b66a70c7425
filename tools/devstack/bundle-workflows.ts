/** Bundles the workflow code at build time; any bundling error fails the build. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';

export const WORKFLOWS_ENTRY = join(__dirname, '..', '..', 'workflows', 'index.js');
export const WORKFLOW_BUNDLE_PATH = join(__dirname, '..', '..', 'workflows', 'workflow-bundle.js');

async function main(): Promise<void> {
  const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_ENTRY, logger: undefined });
  mkdirSync(dirname(WORKFLOW_BUNDLE_PATH), { recursive: true });
  writeFileSync(WORKFLOW_BUNDLE_PATH, code);
  console.error(`  workflow bundle: ${WORKFLOW_BUNDLE_PATH} (${Math.round(code.length / 1024)} KiB)`);
}

main().catch((error: unknown) => {
  console.error(`workflow bundling failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
