import { Inject, Injectable, Optional } from '@nestjs/common';
import type { Projector, ReadModelStore } from '@ledger/read-models';
import { PROJECTOR, READ_MODEL_STORE } from './read-side.tokens.js';

/** How far the read models are, and waiting for them to reach a position (read-your-writes). */
@Injectable()
export class ReadModelFreshness {
  constructor(
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
    @Optional() @Inject(PROJECTOR) private readonly projector?: Projector,
  ) {}

  async checkpoint(): Promise<bigint> {
    return this.projector ? this.projector.checkpoint : this.readModels.checkpoint();
  }

  /** True once the read models include `position`; false after `timeoutMs`. */
  async waitFor(position: bigint, timeoutMs: number): Promise<boolean> {
    if (this.projector) return this.projector.waitFor(position, timeoutMs);
    // The projector runs in another process: look at the checkpoint it commits.
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if ((await this.readModels.checkpoint()) >= position) return true;
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
