export * from './src/holiday-library';
export * from './src/holiday-corrections';
export * from './src/calendar-maker';
export * from './src/policy-publication';
