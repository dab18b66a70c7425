export * from './src/app-config';
