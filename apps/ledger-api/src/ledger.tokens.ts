/** Injection tokens for the ports the app is wired to (one registration file: app.module.ts). */
export const LEDGER_CONFIG = Symbol('LedgerConfig');
export const EVENT_STORE = Symbol('EventStore');
