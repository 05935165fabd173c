import { Controller, Get, Inject, ServiceUnavailableException } from '@nestjs/common';
import type { EventStore } from '@ledger/event-store';
import { EVENT_STORE } from '../ledger.tokens.js';
import { Public } from '../platform/index.js';

/** Probes answer without a token. */
@Public()
@Controller('health')
export class HealthController {
  constructor(@Inject(EVENT_STORE) private readonly eventStore: EventStore) {}

  @Get('live')
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  async ready() {
    try {
      const position = await this.eventStore.headPosition();
      return { status: 'ok', eventStore: { status: 'up', headPosition: position.toString() } };
    } catch (error) {
      throw new ServiceUnavailableException({ status: 'unavailable', eventStore: { status: 'down', reason: (error as Error).message } });
    }
  }
}
