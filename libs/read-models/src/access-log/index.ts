export * from './access-log.js';
export * from './sqlite-access-log.js';
export * from './postgres-access-log.js';
export * from './open-access-log.js';
