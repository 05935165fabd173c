import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { problemException, type FieldError } from '../platform/index.js';
import { bodyMustBeAnObject, flattenValidationErrors } from '../platform/validation/validation.pipe.js';
import { DigestDto } from './audit.dto.js';
import type { DigestToVerify } from './tamper-evidence.js';

const MOST_DIGESTS = 100;

/**
 * POST /v1/audit/verify takes a digest, a digest with `earlier` (one it must extend), or
 * `{ "digests": [...] }` (each must extend the ones before it; a bare top-level array is refused by
 * the platform, which takes JSON objects only). The fields are checked with the same DTO rules as
 * any body, and refused with the same problem details: the body cannot go through the global
 * pipe's DTO path because its shape depends on which form it is.
 */
export function parseVerifyBody(body: unknown): Array<{ label: string; digest: DigestToVerify }> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw bodyMustBeAnObject();
  const errors: FieldError[] = [];
  if ('digests' in body) {
    const { digests: list, ...rest } = body as Record<string, unknown>;
    for (const field of Object.keys(rest)) errors.push({ field, message: `property ${field} should not exist beside digests` });
    if (!Array.isArray(list) || list.length === 0 || list.length > MOST_DIGESTS) {
      errors.push({ field: 'digests', message: `digests must be an array of 1 to ${MOST_DIGESTS} digests` });
      refuseIfAny(errors);
    }
    const digests = (list as unknown[]).map((item, index) => ({ label: `digests[${index}]`, digest: checked(item, `digests[${index}]`, errors) }));
    refuseIfAny(errors);
    return digests;
  }
  const { earlier, ...latest } = body as Record<string, unknown>;
  const digests = [{ label: 'digest', digest: checked(latest, '', errors) }];
  if (earlier !== undefined) digests.push({ label: 'earlier', digest: checked(earlier, 'earlier', errors) });
  refuseIfAny(errors);
  return digests;
}

function checked(item: unknown, path: string, errors: FieldError[]): DigestToVerify {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    errors.push({ field: path, message: `${path || 'the body'} must be a digest object` });
    return undefined as never;
  }
  const dto = plainToInstance(DigestDto, item);
  const found: ValidationError[] = validateSync(dto, { whitelist: true, forbidNonWhitelisted: true, validationError: { target: false, value: false } });
  errors.push(...flattenValidationErrors(found, path));
  return dto;
}

function refuseIfAny(errors: readonly FieldError[]): void {
  if (errors.length > 0) {
    throw problemException(400, 'VALIDATION_FAILED', `The request has ${errors.length} invalid field${errors.length === 1 ? '' : 's'}.`, { errors });
  }
}
