import { jetstreamManager, RetentionPolicy, StorageType, type JetStreamManager, type StreamConfig } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { FINDINGS_STREAM, FINDINGS_SUBJECTS, INTEGRATION_EVENTS_STREAM, INTEGRATION_EVENTS_SUBJECTS } from '../contract/subjects.js';

const NANOSECONDS_PER_SECOND = 1_000_000_000;

/**
 * The two streams, as every party creates them when they are missing: on disk, kept by limits (the
 * hub is not the only possible reader, so consuming does not delete), and a two-minute window in
 * which JetStream itself drops a message whose Nats-Msg-Id it has seen — a publisher resending
 * after a lost PubAck. Beyond the window the hub's inbox catches the repeat.
 */
export const INTEGRATION_STREAM_CONFIGS: ReadonlyArray<Partial<StreamConfig> & { name: string; subjects: string[] }> = [
  { name: INTEGRATION_EVENTS_STREAM, subjects: [INTEGRATION_EVENTS_SUBJECTS], storage: StorageType.File, retention: RetentionPolicy.Limits, duplicate_window: 120 * NANOSECONDS_PER_SECOND },
  { name: FINDINGS_STREAM, subjects: [FINDINGS_SUBJECTS], storage: StorageType.File, retention: RetentionPolicy.Limits, duplicate_window: 120 * NANOSECONDS_PER_SECOND },
];

/**
 * Creates the streams that are missing and checks the ones that exist carry our subjects: a stream
 * of the same name made by someone else for other subjects would swallow nothing of ours, silently.
 */
export async function ensureIntegrationStreams(connection: NatsConnection, manager?: JetStreamManager): Promise<void> {
  const jsm = manager ?? (await jetstreamManager(connection));
  for (const config of INTEGRATION_STREAM_CONFIGS) {
    let existing: Awaited<ReturnType<JetStreamManager['streams']['info']>> | undefined;
    try {
      existing = await jsm.streams.info(config.name);
    } catch (error) {
      if (!isStreamNotFound(error)) throw error;
    }
    if (!existing) {
      try {
        await jsm.streams.add(config);
      } catch (error) {
        // Another party created it between our look and our add: check theirs below.
        if (!/already in use/i.test((error as Error).message)) throw error;
        existing = await jsm.streams.info(config.name);
      }
    }
    if (existing) {
      const missing = config.subjects.filter((subject) => !existing!.config.subjects?.includes(subject));
      if (missing.length > 0) throw new Error(`JetStream stream ${config.name} exists without the subjects ${missing.join(', ')}; fix or remove it`);
    }
  }
}

function isStreamNotFound(error: unknown): boolean {
  const message = (error as Error)?.message ?? '';
  return (error as { name?: string })?.name === 'StreamNotFoundError' || /stream not found/i.test(message);
}
