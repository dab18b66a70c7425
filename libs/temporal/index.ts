export * from './src/evaluation.contract';
export * from './src/evaluation-engine';
export * from './src/temporal-connection';
// Not ./src/worker-runtime: it loads @temporalio/worker (the native core bridge), and the API imports
// this index. Worker processes import that module by its path.
export * from './src/housekeeping.contract';
