import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { problemException, type FieldError } from '../problems/problem-details.js';

/**
 * The global pipe: DTOs are class-validator classes; unknown fields are refused, not dropped, so a
 * caller's typo never silently loses a value. Every field error is reported at once.
 */
export class LedgerValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      validationError: { target: false, value: false },
      exceptionFactory: (errors) => {
        const fieldErrors = flattenValidationErrors(errors);
        return problemException(400, 'VALIDATION_FAILED', `The request has ${fieldErrors.length} invalid field${fieldErrors.length === 1 ? '' : 's'}.`, { errors: fieldErrors });
      },
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // A DTO-typed body must be an object: an absent body would otherwise reach class-validator as
    // `undefined` and come back as one nameless error.
    if (metadata.type === 'body' && metadata.data === undefined && isDtoClass(metadata.metatype) && (typeof value !== 'object' || value === null || Array.isArray(value))) {
      throw bodyMustBeAnObject();
    }
    return super.transform(value, metadata);
  }
}

export function bodyMustBeAnObject() {
  return problemException(400, 'BODY_MUST_BE_A_JSON_OBJECT', 'The request body must be a JSON object.');
}

export function flattenValidationErrors(errors: readonly ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = pathJoin(parent, error.property);
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

function pathJoin(parent: string, property: string): string {
  if (/^\d+$/.test(property)) return `${parent}[${property}]`;
  return parent ? `${parent}.${property}` : property;
}

function isDtoClass(metatype: ArgumentMetadata['metatype']): boolean {
  return typeof metatype === 'function' && ![String, Number, Boolean, Array, Object].includes(metatype as never);
}
