export * from './event-store.port.js';
export * from './sqlite/sqlite-event-store.js';
export * from './eventstoredb/eventstoredb-event-store.js';
export * from './open-event-store.js';
export * from './command-handling.js';
export * from './event-content.js';
export * from './workflow-execution.js';
export * from './store-settings.js';
