export * from './src/evaluation.contract';
export * from './src/evaluation-engine';
