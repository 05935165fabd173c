import { Command } from '@nestjs/cqrs';
import type { CrossProvinceFindingDecision, CrossProvinceFindingKind } from '@ledger/domain';
import type { Actor, CommandContext } from '../platform/index.js';

/**
 * Who records the national hub's findings: the ledger's receiver of its notices, not a person. An
 * operator of every unit, as the CLI's imports are, because a finding may be about anyone the
 * province registers; its events say `national-hub` so that an auditor reads where they came from.
 */
export const NATIONAL_HUB_ACTOR: Actor = { userId: 'national-hub', role: 'operator', units: ['*'] };

/**
 * The command context of one notice: the national hub as the actor, and the finding id as the
 * correlation (one piece of work, however often it is delivered). No idempotency key: the beneficiary
 * records a finding once by its id, which is what makes a notice delivered again (after a crash, or by
 * a second API instance) a repeat; a key would only answer a repeat before the decider could refuse a
 * finding id reused for something else.
 */
export function nationalHubContext(findingId: string, receivedAt: Date = new Date()): CommandContext {
  return { actor: NATIONAL_HUB_ACTOR, correlationId: findingId, causationId: findingId, receivedAt };
}

/** What the hub's notice says about one person of this province, named by their beneficiary id here. */
export interface CrossProvinceFindingReceived {
  readonly beneficiaryId: string;
  readonly findingId: string;
  readonly kind: CrossProvinceFindingKind;
  readonly program: string;
  /** The month paid twice: exactly for PAID_IN_TWO_PROVINCES. */
  readonly period?: string;
  readonly otherProvinces: readonly string[];
  /** ISO 8601 instant with an offset. */
  readonly foundAt: string;
}

export interface CrossProvinceFindingRecorded {
  readonly beneficiaryId: string;
  readonly findingId: string;
  /** False when the finding was recorded before (the notice delivered again): nothing changed. */
  readonly recorded: boolean;
  readonly position: string | null;
}

/**
 * Records a finding of the national hub, holding the person's payments of its program until an
 * operator resolves it. Idempotent by finding id. Refused with a DomainError (never retried with
 * success): NotFound BENEFICIARY_NOT_FOUND for a person this ledger does not know, InvalidValue for a
 * notice that does not read, Conflict FINDING_ALREADY_RECORDED_OTHERWISE for a finding id reused.
 */
export class RecordCrossProvinceFindingCommand extends Command<CrossProvinceFindingRecorded> {
  constructor(
    readonly finding: CrossProvinceFindingReceived,
    readonly context: CommandContext,
  ) {
    super();
  }
}

export type CrossProvinceFindingResolution =
  | { readonly decision: Extract<CrossProvinceFindingDecision, 'KEEP'>; readonly reason: string }
  | { readonly decision: Extract<CrossProvinceFindingDecision, 'TERMINATE'>; readonly reason: string; readonly effectiveDate: string };

export interface CrossProvinceFindingResolved {
  readonly beneficiaryId: string;
  readonly findingId: string;
  readonly decision: CrossProvinceFindingDecision;
  readonly position: string | null;
  /** On TERMINATE: the months after the termination cancelled, and those already paid flagged as overpayments. */
  readonly cancelledDisbursements?: number;
  readonly overpayments?: number;
}

/** An operator's resolution of a finding: the person kept here, or terminated in its program as moved out. */
export class ResolveCrossProvinceFindingCommand extends Command<CrossProvinceFindingResolved> {
  constructor(
    readonly beneficiaryId: string,
    readonly findingId: string,
    readonly resolution: CrossProvinceFindingResolution,
    readonly context: CommandContext,
  ) {
    super();
  }
}
