/** Who is calling, as proven by their bearer token. Becomes event metadata through the command context. */
export interface Actor {
  readonly userId: string;
  readonly role: Role;
  /** Unit codes the actor works in (each covering the units below it), or `['*']` for everywhere. */
  readonly units: readonly string[];
}

export const ROLES = ['operator', 'auditor', 'reporter', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const EVERY_UNIT = '*';

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
