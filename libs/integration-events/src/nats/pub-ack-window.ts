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
  private readonly waiting = new Map<string, (outcome: StoreOutcome) => void>();
  private serial = 0;
  private readonly decoder = new TextDecoder();

  constructor(private readonly connection: NatsConnection) {
    this.subscription = connection.subscribe(`${this.inbox}.*`, {
      callback: (error, message) => {
        if (error) return;
        const settle = this.waiting.get(message.subject);
        if (!settle) return; // answered after its window gave up on it
        this.waiting.delete(message.subject);
        settle(this.outcomeOf(message.headers?.code, message.data));
      },
    });
  }

  /** Publishes every message and resolves with each one's outcome, in order; a message not answered within `timeoutMs` is not stored, as far as anyone can tell. */
  async storeAll(messages: readonly MessageToStore[], timeoutMs: number): Promise<StoreOutcome[]> {
    const outcomes = messages.map((message) => {
      const reply = `${this.inbox}.${++this.serial}`;
      const outcome = new Promise<StoreOutcome>((resolve) => this.waiting.set(reply, resolve));
      const header = headers();
      header.set('Nats-Msg-Id', message.msgId);
      this.connection.publish(message.subject, message.data, { reply, headers: header });
      return { reply, outcome };
    });
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    await Promise.race([Promise.all(outcomes.map(({ outcome }) => outcome)), timedOut]);
    clearTimeout(timer);
    for (const { reply } of outcomes) {
      const settle = this.waiting.get(reply);
      if (settle) {
        this.waiting.delete(reply);
        settle({ stored: false, reason: `no PubAck within ${timeoutMs} ms` });
      }
    }
    return Promise.all(outcomes.map(({ outcome }) => outcome));
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
