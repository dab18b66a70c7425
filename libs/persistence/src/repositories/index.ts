export * from './catalogue.repository';
export * from './proposals.repository';
export * from './records.repository';
export * from './users.repository';
export * from './tasks.repository';
export * from './idempotency.repository';
export * from './login-failures.repository';
export * from './oversight.repository';
