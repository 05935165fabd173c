import { seedOf, type CommandMetadata } from '@ledger/event-store';
import type { CommandContext } from '../platform/index.js';

export function metadataFor(context: CommandContext, command: string, effectiveDate?: string): CommandMetadata {
  return {
    actorId: context.actor.userId,
    actorRole: context.actor.role,
    command,
    correlationId: context.correlationId,
    causationId: context.causationId,
    ...(context.idempotencyKey ? { idempotencyKey: context.idempotencyKey } : {}),
    ...(effectiveDate ? { effectiveDate } : {}),
  };
}

/**
 * Event ids derive from the idempotency key (scoped to its user and the command), so a retried
 * command finds its own events instead of writing them twice. Without a key, ids are random.
 */
export function eventIdSeedFor(context: CommandContext, command: string, ...parts: string[]): string | undefined {
  return context.idempotencyKey ? seedOf(context.actor.userId, context.idempotencyKey, command, ...parts) : undefined;
}
