import { applyDecorators, Inject, Injectable, SetMetadata, UseInterceptors, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { AccessLog, AccessRecord } from '@ledger/read-models';
import { mergeMap, type Observable } from 'rxjs';
import { actorOf } from '../auth/current-actor.decorator.js';
import { commandContextOf } from '../command-context/command-context.js';
import type { LedgerRequest } from '../http/ledger-request.js';
import { problemException } from '../problems/problem-details.js';
import { ACCESS_LOG } from './access-log.tokens.js';

/**
 * Whose data a route reads, and where to find it:
 * - `beneficiaryFrom`: the beneficiary id is a route parameter, a body field or in the answer;
 *   `field` names it (default `beneficiaryId`). In the answer it is a path: `beneficiary.beneficiaryId`,
 *   and `[]` takes every element of an array, `items[].beneficiaryId` (one record per person).
 * - `paymentFileFrom: 'param'`: a payment file, named by its payroll run and paying agent
 *   parameters (default `runId` and `paymentFile`).
 */
export type PersonalDataAccess =
  | { readonly beneficiaryFrom: 'param' | 'body' | 'response'; readonly field?: string }
  | { readonly paymentFileFrom: 'param'; readonly runIdParam?: string; readonly payingAgentParam?: string };

const PERSONAL_DATA_ACCESS = 'ledger:personal-data-access';

/**
 * Records every answered call of the route in the access log (who, when, whose data, which route),
 * durably, before the answer leaves: a read the log cannot record is refused with a 503 rather
 * than answered unrecorded. Every role's read is recorded, masked views included: a name and a
 * unit are personal data too.
 *
 *   @RecordsPersonalDataAccess({ beneficiaryFrom: 'param' })
 */
export const RecordsPersonalDataAccess = (access: PersonalDataAccess) => applyDecorators(SetMetadata(PERSONAL_DATA_ACCESS, access), UseInterceptors(PersonalDataAccessInterceptor));

@Injectable()
export class PersonalDataAccessInterceptor implements NestInterceptor {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(ACCESS_LOG) private readonly accessLog: AccessLog,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const access = this.reflector.get<PersonalDataAccess | undefined>(PERSONAL_DATA_ACCESS, context.getHandler());
    if (!access) return next.handle();
    const request = context.switchToHttp().getRequest<LedgerRequest>();
    return next.handle().pipe(
      mergeMap(async (answer: unknown) => {
        const records = accessRecordsOf(access, request, answer);
        try {
          await this.accessLog.record(records);
        } catch {
          throw problemException(503, 'ACCESS_LOG_UNAVAILABLE', 'The read could not be recorded in the access log, so it is not answered; try again shortly.');
        }
        return answer;
      }),
    );
  }
}

/** The records of one answered read: one per person read (or one for the payment file). */
export function accessRecordsOf(access: PersonalDataAccess, request: LedgerRequest, answer: unknown): AccessRecord[] {
  const actor = actorOf(request);
  const common = {
    recordedAt: new Date(),
    actor: actor.userId,
    actorRole: actor.role,
    route: `${request.method} ${request.routeOptions.url ?? request.url}`,
    correlationId: commandContextOf(request).correlationId,
  };
  const params = (request.params ?? {}) as Record<string, unknown>;
  if ('paymentFileFrom' in access) {
    const [runId, payingAgent] = [params[access.runIdParam ?? 'runId'], params[access.payingAgentParam ?? 'paymentFile']];
    if (typeof runId !== 'string' || typeof payingAgent !== 'string') return [];
    return [{ ...common, beneficiaryId: null, payrollRunId: runId, payingAgent }];
  }
  const field = access.field ?? 'beneficiaryId';
  const found =
    access.beneficiaryFrom === 'param' ? [params[field]] : access.beneficiaryFrom === 'body' ? valuesAt(request.body, field) : valuesAt(answer, field);
  const beneficiaryIds = [...new Set(found.filter((id): id is string => typeof id === 'string' && id.length > 0))];
  return beneficiaryIds.map((beneficiaryId) => ({ ...common, beneficiaryId, payrollRunId: null, payingAgent: null }));
}

/** The values at a dotted path, `[]` after a name taking every element of that array. */
export function valuesAt(value: unknown, path: string): unknown[] {
  let values: unknown[] = [value];
  for (const segment of path.split('.')) {
    const every = segment.endsWith('[]');
    const name = every ? segment.slice(0, -2) : segment;
    values = values.flatMap((holder) => {
      const inner = typeof holder === 'object' && holder !== null && Object.hasOwn(holder, name) ? (holder as Record<string, unknown>)[name] : undefined;
      return every ? (Array.isArray(inner) ? inner : []) : [inner];
    });
  }
  return values;
}
