import { beneficiaryStreamName, CURRENT_SCHEMA_VERSIONS, disbursementStreamName, uuidV5 } from '@ledger/domain';
import type { JsonObject, RecordedEvent } from '@ledger/event-store';
import type { IntegrationEvent } from '../integration-events.js';
import { factsNeededFor, foldBeneficiaryFacts, foldDisbursementFacts, type BeneficiaryFacts, type DisbursementFacts } from '../integration-facts.js';
import { toIntegrationEvents } from '../to-integration-events.js';

const EVENT_ID_NAMESPACE = '0e6f3a1c-7d4b-5c2e-8f9a-3b1d2c4e5f60';

/**
 * A province's log as a spec writes it: internal events exactly as stored, one call per fact, with
 * positions and ids as a store gives them. No store behind it: the mapping is pure, and so is this.
 */
export class InternalHistory {
  readonly events: RecordedEvent[] = [];
  private now = new Date('2024-01-01T01:00:00.000Z');
  private readonly revisions = new Map<string, bigint>();

  /** Later events are recorded at `instant` (ISO 8601). */
  at(instant: string): this {
    this.now = new Date(instant);
    return this;
  }

  /** `schemaVersion` defaults to the one written today; 1 for a type this ledger does not know (a newer ledger's). */
  append(streamName: string, type: string, data: object, schemaVersion = CURRENT_SCHEMA_VERSIONS[type] ?? 1): RecordedEvent {
    const revision = (this.revisions.get(streamName) ?? -1n) + 1n;
    this.revisions.set(streamName, revision);
    const globalPosition = BigInt(this.events.length + 1);
    const event: RecordedEvent = {
      id: uuidV5(`event ${globalPosition}`, EVENT_ID_NAMESPACE),
      type,
      schemaVersion,
      data: data as JsonObject,
      metadata: { actorId: 'officer-1', actorRole: 'operator', command: 'Scripted' },
      streamName,
      streamRevision: revision,
      globalPosition,
      recordedAt: this.now,
    };
    this.events.push(event);
    return event;
  }

  beneficiary(beneficiaryId: string, type: string, data: object, schemaVersion?: number): RecordedEvent {
    return this.append(beneficiaryStreamName(beneficiaryId), type, data, schemaVersion);
  }

  disbursement(disbursementId: string, type: string, data: object, schemaVersion?: number): RecordedEvent {
    return this.append(disbursementStreamName(disbursementId), type, data, schemaVersion);
  }
}

/**
 * What a publisher does with a log, minus the wire: folds each event into the facts it needs, then
 * maps it with the facts as they stand after it. Every publisher must give the same output for
 * the same log, whatever it keeps its facts in.
 */
export function publishHistory(events: readonly RecordedEvent[], options: { readonly province: string; readonly nationalKey: string }) {
  const beneficiaries = new Map<string, BeneficiaryFacts>();
  const disbursements = new Map<string, DisbursementFacts>();
  const published: IntegrationEvent[] = [];
  for (const event of events) {
    const needed = factsNeededFor(event);
    let disbursement: DisbursementFacts | undefined;
    if (needed.disbursementId !== undefined) {
      disbursement = foldDisbursementFacts(disbursements.get(needed.disbursementId), event);
      if (disbursement) disbursements.set(needed.disbursementId, disbursement);
    }
    const beneficiaryId = needed.beneficiaryId ?? disbursement?.beneficiaryId;
    let beneficiary: BeneficiaryFacts | undefined;
    if (beneficiaryId !== undefined) {
      beneficiary = foldBeneficiaryFacts(beneficiaries.get(beneficiaryId), event, options.nationalKey);
      if (beneficiary) beneficiaries.set(beneficiaryId, beneficiary);
    }
    published.push(...toIntegrationEvents(event, { province: options.province, ...(beneficiary && { beneficiary }), ...(disbursement && { disbursement }) }));
  }
  return { published, beneficiaries, disbursements };
}
