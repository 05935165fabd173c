export const AUDIT_SIGNING_KEY = Symbol('AuditSigningKey');
export const TAMPER_EVIDENCE = Symbol('TamperEvidence');
export const REPLAY_CHECKS = Symbol('ReplayChecks');
