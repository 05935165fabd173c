import { createInbox, headers, type NatsConnection, type Subscription } from '@nats-io/transport-node';

export interface MessageToStore {
  readonly subject: string;
  readonly data: Uint8Array;
  /** Nats-Msg-Id: JetStream drops a second message with the same id within the stream's duplicate window. */
  readonly msgId: string;
}

/** What JetStream answered for one message: stored (or recognised as a repeat), or why not. */
export type StoreOutcome = { readonly stored: true; readonly sequence: number; readonly duplicate: boolean } | { readonly stored: false; readonly reason: string };

/**
 * Publishes many messages to JetStream and collects their PubAcks on one reply subscription: the
 * asynchronous publish of the Go and Java clients. `jetstream().publish()` makes a request per
 * message, with a timer, a subscription entry and two Error objects (stack traces captured up front)
 * each; a province's backlog is millions of messages, and those costs were most of the publisher's
 * time. The guarantee is the same: a message counts as stored only once its PubAck says so.
 */
export class PubAckWindow {
  private readonly inbox = createInbox();
  private readonly subscription: Subscription;
  /** The batches being stored (a publisher has one or two): first reply serial, outcomes so far, how many are still awaited. */
  private readonly batches = new Set<{ readonly first: number; readonly outcomes: Array<StoreOutcome | undefined>; awaited: number; readonly done: () => void }>();
  private serial = 0;
  private readonly decoder = new TextDecoder();

  constructor(private readonly connection: NatsConnection) {
    this.subscription = connection.subscribe(`${this.inbox}.*`, {
      callback: (error, message) => {
        if (error) return;
        const serial = Number(message.subject.slice(this.inbox.length + 1));
        for (const batch of this.batches) {
          const index = serial - batch.first;
          if (index < 0 || index >= batch.outcomes.length) continue;
          if (batch.outcomes[index] !== undefined) return; // answered already
          batch.outcomes[index] = this.outcomeOf(message.headers?.code, message.data);
          if (--batch.awaited === 0) batch.done();
          return;
        }
        // An answer to a batch that gave up waiting for it: that message counts as not stored.
      },
    });
  }

  /**
   * Publishes every message and resolves with each one's outcome, in order; a message not answered
   * within `timeoutMs` is not stored, as far as anyone can tell.
   */
  async storeAll(messages: readonly MessageToStore[], timeoutMs: number): Promise<StoreOutcome[]> {
    if (messages.length === 0) return [];
    const first = this.serial + 1;
    this.serial += messages.length;
    let timer: NodeJS.Timeout | undefined;
    let batch!: { readonly first: number; readonly outcomes: Array<StoreOutcome | undefined>; awaited: number; readonly done: () => void };
    const answered = new Promise<void>((resolve) => {
      batch = { first, outcomes: new Array<StoreOutcome | undefined>(messages.length).fill(undefined), awaited: messages.length, done: resolve };
      timer = setTimeout(resolve, timeoutMs);
    });
    this.batches.add(batch);
    messages.forEach((message, index) => {
      const header = headers();
      header.set('Nats-Msg-Id', message.msgId);
      this.connection.publish(message.subject, message.data, { reply: `${this.inbox}.${first + index}`, headers: header });
    });
    await answered;
    clearTimeout(timer);
    this.batches.delete(batch);
    return batch.outcomes.map((outcome) => outcome ?? { stored: false, reason: `no PubAck within ${timeoutMs} ms` });
  }

  close(): void {
    this.subscription.unsubscribe();
  }

  private outcomeOf(statusCode: number | undefined, data: Uint8Array): StoreOutcome {
    // 503: no stream listens on the subject (it was deleted, or is not there yet).
    if (statusCode === 503) return { stored: false, reason: 'no JetStream stream answered (503 no responders)' };
    try {
      const ack = JSON.parse(this.decoder.decode(data)) as { stream?: string; seq?: number; duplicate?: boolean; error?: { code: number; description: string } };
      if (ack.error) return { stored: false, reason: `JetStream refused it: ${ack.error.code} ${ack.error.description}` };
      if (typeof ack.seq !== 'number') return { stored: false, reason: 'an answer that is not a PubAck' };
      return { stored: true, sequence: ack.seq, duplicate: ack.duplicate === true };
    } catch {
      return { stored: false, reason: 'an answer that is not a PubAck' };
    }
  }
}
