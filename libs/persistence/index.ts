export * from './src/data-source';
export * from './src/entities';
export * from './src/record-chain';
export * from './src/repositories';
export * from './src/seed/demo-directory';
export * from './src/seed/seed';
