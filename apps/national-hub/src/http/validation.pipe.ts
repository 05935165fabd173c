import { ValidationPipe, type ArgumentMetadata, type Type, type ValidationError } from '@nestjs/common';
import { problemException } from './problem-details.js';

type FieldError = { field: string; message: string };

const refusal = (errors: FieldError[]) => problemException(400, 'VALIDATION_FAILED', `The request has ${errors.length} invalid field${errors.length === 1 ? '' : 's'}.`, { errors });

/**
 * Query DTOs are class-validator classes; an unknown parameter is refused rather than ignored, so
 * a caller's typo (`?provice=91`) never silently answers for the whole country. Each refused value
 * is listed, as the ledger lists them.
 *
 * Given its DTO on each parameter (`@Query(validQuery(TotalsQueryDto))`) rather than installed
 * globally: a global pipe learns the type from decorator metadata, which tsx (the benchmarks)
 * does not emit, and would then pass the query on unchecked.
 */
export class HubValidationPipe extends ValidationPipe {
  constructor(expectedType: Type<unknown>) {
    super({
      expectedType,
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      validationError: { target: false, value: false },
      exceptionFactory: (errors: ValidationError[]) => refusal(errors.flatMap((error) => Object.values(error.constraints ?? {}).map((message) => ({ field: error.property, message })))),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // Fastify reads `?period=a&period=b` as a list; no parameter of the hub is one.
    if (metadata.type === 'query' && typeof value === 'object' && value !== null) {
      const repeated = Object.entries(value).filter(([, given]) => Array.isArray(given));
      if (repeated.length > 0) throw refusal(repeated.map(([field]) => ({ field, message: `${field} is given more than once; give it once` })));
    }
    return super.transform(value, metadata);
  }
}

/** The pipe that validates a query as `dto`. */
export const validQuery = (dto: Type<unknown>) => new HubValidationPipe(dto);
