import type { OnApplicationShutdown } from '@nestjs/common';
import type { EventStore } from '@ledger/event-store';
import { ReadModelsKeptMoving, ReplayCheckAlreadyRunning, ReplayCheckThread, replayCheckLocation, type Projector } from '@ledger/read-models';
import type { LedgerConfig } from '../config/ledger-config.js';
import { problemException } from '../platform/index.js';

/**
 * The replay check as the API runs it: on a worker thread (the API keeps answering meanwhile),
 * one at a time, the embedded projector paused only while the worker compares.
 */
export class ReplayChecks implements OnApplicationShutdown {
  private thread: ReplayCheckThread | undefined;

  constructor(
    private readonly config: LedgerConfig,
    private readonly store: EventStore,
    private readonly projector?: Projector,
  ) {}

  async run() {
    // Where the ledger is, worked out at the first check: an API that never runs one never needs to know.
    this.thread ??= new ReplayCheckThread(replayCheckLocation(this.config, this.store));
    try {
      const result = await this.thread.run(this.projector ? { holdStill: (work) => this.projector!.whilePaused(work) } : {});
      return { differences: result.differences, checkedPosition: result.checkedPosition, truncated: result.truncated, rowsCompared: result.rowsCompared, eventsReplayed: result.eventsReplayed };
    } catch (error) {
      // Refused, not queued: a second rebuild beside the first would slow both, to give the answer the first is about to give.
      if (error instanceof ReplayCheckAlreadyRunning) throw problemException(409, 'REPLAY_CHECK_RUNNING', 'A replay check is already running; ask again once it has answered.');
      if (error instanceof ReadModelsKeptMoving) throw problemException(503, 'READ_MODELS_KEPT_MOVING', error.message);
      throw error;
    }
  }

  async onApplicationShutdown() {
    await this.thread?.close();
  }
}
