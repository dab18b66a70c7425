export { evaluationWorkflow } from './evaluation.workflow';
export { auditCheckpointWorkflow, chainVerificationWorkflow, housekeepingPurgeWorkflow } from './housekeeping.workflow';
