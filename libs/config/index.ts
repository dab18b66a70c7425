export * from './src/app-config';
export * from './src/published-secrets';
