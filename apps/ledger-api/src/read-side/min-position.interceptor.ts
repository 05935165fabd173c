import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { from, switchMap, type Observable } from 'rxjs';
import { problemException } from '../platform/index.js';
import { ReadModelFreshness } from './read-model-freshness.js';

export const MIN_POSITION_HEADER = 'x-min-position';
export const MIN_POSITION_WAIT_MS = 5_000;
const MAX_POSITION = 2n ** 63n - 1n;

/**
 * `X-Min-Position: <position>` on a query: answer only once the read models include that position
 * (a command's response carries it), so a client reads its own writes. At most 5 s, then 503.
 */
@Injectable()
export class MinPositionInterceptor implements NestInterceptor {
  constructor(private readonly freshness: ReadModelFreshness) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const header = request.headers[MIN_POSITION_HEADER];
    if (header === undefined) return next.handle();
    // A position is a signed 64-bit integer in every store: beyond that it names nothing the read
    // models could ever reach, so it is bad input, not a wait.
    if (typeof header !== 'string' || !/^\d{1,19}$/.test(header) || BigInt(header) > MAX_POSITION) {
      const message = 'X-Min-Position must be a position: an integer from 0 to 9223372036854775807';
      throw problemException(400, 'INVALID_MIN_POSITION', message, { errors: [{ field: 'X-Min-Position', message }] });
    }
    return from(this.freshness.waitFor(BigInt(header), MIN_POSITION_WAIT_MS)).pipe(
      switchMap((reached) => {
        if (!reached) {
          context.switchToHttp().getResponse<FastifyReply>().header('retry-after', '1');
          throw problemException(503, 'READ_MODELS_BEHIND', `The read models have not reached position ${header} yet; retry shortly.`, { minPosition: header });
        }
        return next.handle();
      }),
    );
  }
}
