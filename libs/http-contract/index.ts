export * from './src/http.contract.js';
