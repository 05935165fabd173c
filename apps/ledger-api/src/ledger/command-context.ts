import type { StreamCommand } from '@ledger/domain';
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

/** Metadata for each command a workflow decides: its own command name, and its effective date where it has one. */
export function metadataPerCommand(context: CommandContext): (target: StreamCommand) => CommandMetadata {
  return (target) => metadataFor(context, target.command.type, effectiveDateOf(target.command));
}

/** The date a command takes effect on, when it is not the moment it is recorded. */
export function effectiveDateOf(command: StreamCommand['command']): string | undefined {
  const data = command.data as { effectiveFrom?: unknown; effectiveDate?: unknown; terminationEffectiveDate?: unknown };
  const date = data.effectiveDate ?? data.effectiveFrom ?? data.terminationEffectiveDate;
  return typeof date === 'string' ? date : undefined;
}

/**
 * Event ids derive from the idempotency key (scoped to its user and the command), so a retried
 * command finds its own events instead of writing them twice. Without a key, ids are random.
 */
export function eventIdSeedFor(context: CommandContext, command: string, ...parts: string[]): string | undefined {
  return context.idempotencyKey ? seedOf(context.actor.userId, context.idempotencyKey, command, ...parts) : undefined;
}

export const positionOf = (position: bigint | null): string | null => (position === null ? null : position.toString());

/** The latest of several positions: what a client waits for to read every write of a request. */
export function latestPosition(...positions: Array<bigint | null>): bigint | null {
  return positions.reduce<bigint | null>((latest, position) => (position !== null && (latest === null || position > latest) ? position : latest), null);
}
