export * from './account-number.js';
export * from './coefficient.js';
export * from './domain-errors.js';
export * from './holder-name.js';
export * from './local-date.js';
export * from './money.js';
export * from './national-id.js';
export * from './period.js';
