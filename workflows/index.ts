export { evaluationWorkflow } from './evaluation.workflow';
