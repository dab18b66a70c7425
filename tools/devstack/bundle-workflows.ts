/** Bundles the workflow code at build time; any bundling error fails the build. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { CONVERTER_PATHS } from '../../libs/temporal/src/temporal-connection';

export const WORKFLOWS_ENTRY = join(__dirname, '..', '..', 'workflows', 'index.js');
export const WORKFLOW_BUNDLE_PATH = join(__dirname, '..', '..', 'workflows', 'workflow-bundle.js');

async function main(): Promise<void> {
  // The sandbox reads payloads and builds failures with the converters every client and worker
  // uses: without them here, failure messages written by workflow code would stay in clear.
  const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_ENTRY, ...CONVERTER_PATHS, logger: undefined });
  mkdirSync(dirname(WORKFLOW_BUNDLE_PATH), { recursive: true });
  writeFileSync(WORKFLOW_BUNDLE_PATH, code);
  console.error(`  workflow bundle: ${WORKFLOW_BUNDLE_PATH} (${Math.round(code.length / 1024)} KiB)`);
}

main().catch((error: unknown) => {
  console.error(`workflow bundling failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
