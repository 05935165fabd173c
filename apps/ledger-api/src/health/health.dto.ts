import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { wire } from '../platform/openapi/wire-formats.js';

export class LivenessDto {
  @ApiProperty({ enum: ['ok'], example: 'ok' })
  status!: string;
}

/** One store the API depends on: up with where it stands, or down with why. */
export class StoreCheckDto {
  @ApiProperty({ enum: ['up', 'down'], example: 'up' })
  status!: string;
  @ApiPropertyOptional({ ...wire.position, description: 'The event store: the position of the last event.' })
  headPosition?: string;
  @ApiPropertyOptional({ ...wire.position, description: 'The read models or the embedded projector: the position they have reached.' })
  checkpoint?: string;
  @ApiPropertyOptional({ ...wire.position, description: 'NATS, when this process publishes: the position of the last event whose integration events JetStream acknowledged.' })
  publishedUpTo?: string;
  @ApiPropertyOptional({ example: 'SQLITE_BUSY: database is locked', description: 'When down.' })
  reason?: string;
}

/** Ready: every store answers. A store that does not makes it a 503 NOT_READY with the same `checks`. */
export class ReadinessDto {
  @ApiProperty({ enum: ['ok'], example: 'ok' })
  status!: string;
  @ApiProperty({ type: () => StoreCheckDto })
  eventStore!: StoreCheckDto;
  @ApiPropertyOptional({ type: () => StoreCheckDto, description: 'When the API reads read models.' })
  readModels?: StoreCheckDto;
  @ApiPropertyOptional({ type: () => StoreCheckDto, description: 'When the projector runs inside the API.' })
  projector?: StoreCheckDto;
  @ApiPropertyOptional({ type: () => StoreCheckDto, description: 'When NATS_URL is set: the link to the national hub (publishing integration events, receiving cross-province findings).' })
  nats?: StoreCheckDto;
}
