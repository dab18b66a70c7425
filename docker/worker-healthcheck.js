'use strict';
/**
 * HEALTHCHECK of the worker image: exits 0 when Temporal lists a poller from this container on
 * the workflow task queue. The SDK's default worker identity is `<pid>@<hostname>` and the
 * check runs in the same container, so the hostname picks out this worker among replicas.
 * Temporal forgets a poller that stopped polling after a few minutes, so a worker that is
 * alive but no longer polling turns unhealthy. Reads its settings as the worker does: the
 * compiled configuration (libs/config) and the one connection helper (mutual TLS included).
 */
const os = require('node:os');
const path = require('node:path');
const { Connection } = require('@temporalio/client');
const { loadConfig } = require(path.join(__dirname, '..', 'dist', 'libs', 'config'));
const { temporalConnectionOptions } = require(path.join(__dirname, '..', 'dist', 'libs', 'temporal', 'src', 'temporal-connection'));

const TASK_QUEUE_TYPE_WORKFLOW = 1;

async function main() {
  const { temporal } = loadConfig(process.env);
  const connection = await Connection.connect({ ...temporalConnectionOptions(temporal), connectTimeout: '5s' });
  try {
    const { pollers } = await connection.withDeadline(Date.now() + 5000, () =>
      connection.workflowService.describeTaskQueue({
        namespace: temporal.namespace,
        taskQueue: { name: temporal.taskQueue },
        taskQueueType: TASK_QUEUE_TYPE_WORKFLOW,
      }),
    );
    const suffix = `@${os.hostname()}`;
    const mine = (pollers || []).filter((p) => typeof p.identity === 'string' && p.identity.endsWith(suffix));
    if (mine.length === 0) {
      console.error(`no poller from ${suffix} on the task queue (pollers: ${(pollers || []).map((p) => p.identity).join(', ') || 'none'})`);
      return 1;
    }
    return 0;
  } finally {
    await connection.close().catch(() => undefined);
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`worker health check failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
