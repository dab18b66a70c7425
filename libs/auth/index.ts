export * from './src/password-hasher';
export * from './src/token.service';
export * from './src/login-throttle';
export * from './src/oidc-verifier';
