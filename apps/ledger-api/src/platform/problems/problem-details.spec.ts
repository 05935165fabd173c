import { describe, expect, it } from '@jest/globals';
import { BadRequestException, HttpException, NotFoundException } from '@nestjs/common';
import { Conflict, InvalidValue, NotFound, RuleViolation } from '@ledger/domain';
import { WrongExpectedRevision } from '@ledger/event-store';
import { kebabCase, problemException, problemTypeOf, titleOf } from './problem-details.js';
import { toProblem } from './problem-mapping.js';

describe('problem types', () => {
  it.each([
    ['ALREADY_ENROLLED', 'already-enrolled'],
    ['INVALID_VALUE', 'invalid-value'],
    ['NOT_FOUND', 'not-found'],
    ['PAYLOAD_TOO_LARGE', 'payload-too-large'],
    ['duplicatePayment', 'duplicate-payment'],
    ['ACCOUNT_NOT_VERIFIED_2', 'account-not-verified-2'],
  ])('turns the code %s into %s', (code, kebab) => {
    expect(kebabCase(code)).toBe(kebab);
    expect(problemTypeOf(code)).toBe(`/problems/${kebab}`);
  });

  it('titles a problem after its code', () => {
    expect(titleOf('ALREADY_ENROLLED')).toBe('Already enrolled');
  });
});

describe('mapping errors to problems', () => {
  const at = '/v1/beneficiaries';

  it('maps each domain refusal to its status, with its code and details as extension members', () => {
    expect(toProblem(new Conflict('ALREADY_ENROLLED', 'Already enrolled in MERITORIOUS.', { program: 'MERITORIOUS' }), at).problem).toEqual({
      type: '/problems/already-enrolled',
      title: 'Already enrolled',
      status: 409,
      detail: 'Already enrolled in MERITORIOUS.',
      instance: at,
      code: 'ALREADY_ENROLLED',
      program: 'MERITORIOUS',
    });
    expect(toProblem(new NotFound('BENEFICIARY_NOT_FOUND', 'No such beneficiary.'), at).problem).toMatchObject({ status: 404, type: '/problems/beneficiary-not-found' });
    expect(toProblem(new RuleViolation('NOT_ACTIVE_IN_PERIOD', 'Not active in 2024-04.'), at).problem).toMatchObject({ status: 422, type: '/problems/not-active-in-period' });
  });

  it('lists the field of an invalid value as a field error', () => {
    expect(toProblem(new InvalidValue('decision.number', 'must not be empty'), at).problem).toMatchObject({
      status: 400,
      type: '/problems/invalid-value',
      errors: [{ field: 'decision.number', message: 'must not be empty' }],
    });
  });

  it('maps a lost append race to a concurrency conflict', () => {
    expect(toProblem(new WrongExpectedRevision('Beneficiary-1', 1n, 2n), at).problem).toMatchObject({ status: 409, type: '/problems/concurrency-conflict' });
  });

  it('keeps the status of an HTTP exception and names it', () => {
    expect(toProblem(new NotFoundException('Cannot GET /x?nationalId=091052000123'), at).problem).toMatchObject({ status: 404, type: '/problems/not-found', detail: 'Cannot GET /x' });
    expect(toProblem(new HttpException('Too big', 413), at).problem).toMatchObject({ status: 413, type: '/problems/payload-too-large' });
    expect(toProblem(new BadRequestException(['a is bad', 'b is bad']), at).problem).toMatchObject({ status: 400, detail: 'a is bad; b is bad' });
  });

  it('passes a problem thrown by the HTTP layer through, with the request path as its instance', () => {
    expect(toProblem(problemException(400, 'IDEMPOTENCY_KEY_REQUIRED', 'needs a key'), at).problem).toMatchObject({ status: 400, type: '/problems/idempotency-key-required', instance: at });
  });

  it('answers anything else with a generic 500 and hands the error back to be logged', () => {
    const fault = new Error('connection string postgres://secret@db');
    const { problem, fault: logged } = toProblem(fault, at);
    expect(problem).toMatchObject({ status: 500, type: '/problems/internal-error' });
    expect(JSON.stringify(problem)).not.toContain('secret');
    expect(logged).toBe(fault);
  });
});
