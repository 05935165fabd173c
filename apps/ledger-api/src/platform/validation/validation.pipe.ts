import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import type { ValidatorOptions } from 'class-validator';
import { problemException, type FieldError } from '../problems/problem-details.js';
import { COMPILED_FOR, passesCompiledRules } from './compiled-rules.js';

/**
 * The global pipe: DTOs are class-validator classes; unknown fields are refused, not dropped, so a
 * caller's typo never silently loses a value. Every field error is reported at once.
 */
export class LedgerValidationPipe extends ValidationPipe {
  constructor() {
    super({
      ...COMPILED_FOR,
      transform: true,
      validationError: { target: false, value: false },
      exceptionFactory: (errors) => {
        const fieldErrors = flattenValidationErrors(errors);
        return problemException(400, 'VALIDATION_FAILED', `The request has ${fieldErrors.length} invalid field${fieldErrors.length === 1 ? '' : 's'}.`, { errors: fieldErrors });
      },
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // A body whose every field is optional may be left out altogether (`POST …/approve` with no body).
    if (metadata.type === 'body' && value === undefined && bodyMayBeAbsent(metadata.metatype)) value = {};
    // A DTO-typed body must be an object: an absent body would otherwise reach class-validator as
    // `undefined` and come back as one nameless error.
    if (metadata.type === 'body' && metadata.data === undefined && isDtoClass(metadata.metatype) && (typeof value !== 'object' || value === null || Array.isArray(value))) {
      throw bodyMustBeAnObject();
    }
    if (metadata.type === 'query') assertEachQueryParameterOnce(value, metadata.data);
    return super.transform(value, metadata);
  }

  /**
   * A valid DTO, the common case, is let through by its class's rules compiled once; class-validator
   * proper runs on whatever they do not pass, so every refusal is its own, worded as before.
   */
  protected override validate(object: object, validatorOptions?: ValidatorOptions): Promise<ValidationError[]> | ValidationError[] {
    if (passesCompiledRules(object)) return [];
    return super.validate(object, validatorOptions);
  }
}

/**
 * Fastify reads `?limit=1&limit=2` as `limit: ['1', '2']`. No query parameter of the API is a
 * list, so one given twice is refused here, for every route, rather than reaching a DTO (or a
 * handler reading `@Query('name')` as a string) as an array it was not written for.
 */
function assertEachQueryParameterOnce(value: unknown, name: string | undefined): void {
  const repeated = name !== undefined ? (Array.isArray(value) ? [name] : []) : typeof value === 'object' && value !== null ? Object.keys(value).filter((key) => Array.isArray((value as Record<string, unknown>)[key])) : [];
  if (repeated.length === 0) return;
  const errors: FieldError[] = repeated.map((field) => ({ field, message: `${field} is given more than once; give it once` }));
  throw problemException(400, 'VALIDATION_FAILED', `The request has ${errors.length} invalid field${errors.length === 1 ? '' : 's'}.`, { errors });
}

const BODY_MAY_BE_ABSENT = Symbol('body may be absent');

/** On a DTO whose fields are all optional: a request without a body is read as `{}`. */
export function BodyMayBeAbsent(): ClassDecorator {
  return (target) => {
    Object.defineProperty(target, BODY_MAY_BE_ABSENT, { value: true });
  };
}

function bodyMayBeAbsent(metatype: ArgumentMetadata['metatype']): boolean {
  return typeof metatype === 'function' && (metatype as unknown as Record<symbol, unknown>)[BODY_MAY_BE_ABSENT] === true;
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
