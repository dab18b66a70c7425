export * from './src/password-hasher';
export * from './src/roles';
export * from './src/token.service';
export * from './src/task-access';
export * from './src/login-throttle';
export * from './src/oidc-verifier';
