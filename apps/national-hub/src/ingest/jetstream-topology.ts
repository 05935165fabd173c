import { AckPolicy, DeliverPolicy, JetStreamApiCodes, JetStreamApiError, type ConsumerConfig, type JetStreamManager } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { INTEGRATION_EVENTS_STREAM } from '@ledger/integration-events';

export interface ConsumerSettings {
  readonly name: string;
  readonly ackWaitMs: number;
  /** Delivered and not yet acknowledged, at most: how far the hub's buffer may run ahead of PostgreSQL. */
  readonly maxAckPending: number;
  /** The hub's checkpoint: where a consumer created anew starts, when the stream still reaches back to it. */
  readonly checkpoint: number;
}

/**
 * The hub's durable pull consumer on the events stream, created or checked.
 *
 * Acknowledged one message at a time (AckPolicy.Explicit), after the batch's commit. AckPolicy.All
 * would need one ack per batch instead, but it acknowledges everything delivered up to a sequence,
 * to any puller: a second hub on the same consumer (a standby started by mistake, a rolling
 * restart) could then acknowledge a batch the first has not committed, and a crash of the first
 * would lose it. Explicit acks are one small message each, which costs the 2-core bench machine
 * little (docs/adr/0009-national-hub.md), and make the hub correct however many processes pull.
 *
 * A consumer created anew (the first start, or after someone deleted it) starts after the
 * checkpoint when the stream still holds that sequence, else at the stream's start: the inbox
 * makes the replay of what the hub holds already a no-op.
 */
export async function ensureConsumer(manager: JetStreamManager, settings: ConsumerSettings): Promise<{ created: boolean; startSequence: number | 'first' }> {
  const wanted = { ack_wait: nanos(settings.ackWaitMs), max_ack_pending: settings.maxAckPending } satisfies Partial<ConsumerConfig>;
  const existing = await consumerConfig(manager, settings.name);
  if (existing) {
    if (existing.ack_policy !== AckPolicy.Explicit) throw new Error(`JetStream consumer ${settings.name} acknowledges with policy ${existing.ack_policy}, not explicit: delete it and start the hub again (it starts after its checkpoint).`);
    if (existing.deliver_subject) throw new Error(`JetStream consumer ${settings.name} is a push consumer; the hub pulls. Delete it and start the hub again.`);
    if (existing.ack_wait !== wanted.ack_wait || existing.max_ack_pending !== wanted.max_ack_pending) await manager.consumers.update(INTEGRATION_EVENTS_STREAM, settings.name, wanted);
    return { created: false, startSequence: 'first' };
  }
  const { state } = await manager.streams.info(INTEGRATION_EVENTS_STREAM);
  const resumable = settings.checkpoint > 0 && settings.checkpoint >= state.first_seq && settings.checkpoint <= state.last_seq;
  await manager.consumers.add(INTEGRATION_EVENTS_STREAM, {
    ...wanted,
    durable_name: settings.name,
    ack_policy: AckPolicy.Explicit,
    // Never give up on a message: one the hub cannot apply yet waits for it.
    max_deliver: -1,
    ...(resumable ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: settings.checkpoint + 1 } : { deliver_policy: DeliverPolicy.All }),
  });
  return { created: true, startSequence: resumable ? settings.checkpoint + 1 : 'first' };
}

async function consumerConfig(manager: JetStreamManager, name: string): Promise<ConsumerConfig | undefined> {
  try {
    return (await manager.consumers.info(INTEGRATION_EVENTS_STREAM, name)).config;
  } catch (error) {
    if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.ConsumerNotFound) return undefined;
    throw error;
  }
}
