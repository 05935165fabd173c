/**
 * The small, closed set of ways the domain refuses a command. The API maps each class to one
 * problem-details status in one place; nothing else decides a status code.
 */
export abstract class DomainError extends Error {
  /** Stable, machine-readable reason, e.g. `ALREADY_ENROLLED`. Becomes part of the problem type. */
  abstract readonly code: string;
  constructor(
    message: string,
    /** Extra facts for the caller (never a national id or an account number). */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Input that is well-formed JSON but not a valid value (bad national id, bad period…): 400. */
export class InvalidValue extends DomainError {
  constructor(
    readonly field: string,
    message: string,
    /** A reason of its own where a caller may want to tell it from other bad values. */
    readonly code: string = 'INVALID_VALUE',
  ) {
    super(message, { field });
  }
}

/** The thing addressed does not exist: 404. */
export class NotFound extends DomainError {
  constructor(
    readonly code: string,
    message: string,
    details: Record<string, unknown> = {},
  ) {
    super(message, details);
  }
}

/** The command collides with what is already recorded (duplicate, already paid elsewhere, a lost race): 409. */
export class Conflict extends DomainError {
  constructor(
    readonly code: string,
    message: string,
    details: Record<string, unknown> = {},
  ) {
    super(message, details);
  }
}

/** A business rule refuses the command (not active in that period, amount mismatch…): 422. */
export class RuleViolation extends DomainError {
  constructor(
    readonly code: string,
    message: string,
    details: Record<string, unknown> = {},
  ) {
    super(message, details);
  }
}
