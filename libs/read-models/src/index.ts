export * from './row-changes.js';
export * from './read-model-schema.js';
export * from './read-model-store.js';
export * from './sql-statements.js';
export * from './projections/ledger.projection.js';
export * from './projector.js';
export * from './sqlite/sqlite-read-model-store.js';
export * from './queries/read-model-queries.js';
