export * from './src/json-logger';
