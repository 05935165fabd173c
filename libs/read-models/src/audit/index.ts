export * from './audit-chain.js';
export * from './chain-verification.js';
export * from './chain-sources.js';
export * from './audit-digest.js';
export * from './replay-check.js';
export * from './sqlite-chain-pages.js';
export * from './parallel-verification.js';
export * from './replay-check-thread.js';
