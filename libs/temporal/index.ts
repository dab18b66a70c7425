export * from './src/evaluation.contract';
export * from './src/evaluation-engine';
export * from './src/outcome';
