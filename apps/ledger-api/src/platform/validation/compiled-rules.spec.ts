import { describe, expect, it } from '@jest/globals';
import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validateSync } from 'class-validator';
import fc from 'fast-check';
import * as audit from '../../audit/audit.dto.js';
import * as beneficiaries from '../../beneficiaries/beneficiary.dto.js';
import * as findings from '../../beneficiaries/cross-province-findings.dto.js';
import * as identityChecks from '../../beneficiaries/identity-checks.dto.js';
import * as disbursements from '../../disbursements/disbursement.dto.js';
import * as imports from '../../imports/import.dto.js';
import * as payrollRuns from '../../payroll-runs/payroll-run.dto.js';
import * as queries from '../../read-side/query.dto.js';
import { COMPILED_FOR, compiledRulesCover, passesCompiledRules } from './compiled-rules.js';

type DtoClass = new () => object;

/** Every class of the API's DTO files that has validation rules: the bodies and queries the pipe checks. */
const DTOS: DtoClass[] = [audit, beneficiaries, findings, identityChecks, disbursements, imports, payrollRuns, queries]
  .flatMap((module) => Object.values(module))
  .filter((value): value is DtoClass => typeof value === 'function' && getMetadataStorage().getTargetValidationMetadatas(value, '', false, false).length > 0);

const propertiesOf = (dto: Function) => [...new Set(getMetadataStorage().getTargetValidationMetadatas(dto, '', false, false).map((metadata) => metadata.propertyName))];
const nestedClassOf = (dto: Function, property: string): DtoClass | undefined => {
  const probe = plainToInstance(dto as DtoClass, { [property]: {} }) as Record<string, unknown>;
  const nested = probe[property];
  return typeof nested === 'object' && nested !== null && nested.constructor !== Object ? (nested.constructor as DtoClass) : undefined;
};

/** Values that pass some rule of the API and fail others: formats, bounds, enums, wrong types. */
const scalar = fc.constantFrom<unknown>(
  undefined, null, '', ' ', 'a', 'MALE', 'FEMALE', 'DECEASED', 'BANK', 'CASH', 'MERITORIOUS', 'operator', 'PAID', 'SENT', 'x'.repeat(501), '2024-04', '2024-13',
  '2024-03-20', '2024-02-30', '2024-04-05T09:30:00+07:00', '091052000123', 'FT24096000123', 'bad ref!', '899', '91', 'VBA', '1200100009999',
  'f47ac10b-58cc-4372-a567-0e02b2c3d479', '6f1e9b3c-5d2a-5b8e-9c4d-1a2b3c4d5e6f', 0, 1, -1, 1000, 1.5, 2_055_000, 1e13, true, false, [], ['a'], {},
);

function valueFor(dto: Function, property: string, depth: number): fc.Arbitrary<unknown> {
  const nested = depth < 2 ? nestedClassOf(dto, property) : undefined;
  if (!nested) return scalar;
  return fc.oneof(scalar, bodyOf(nested, depth + 1), fc.array(bodyOf(nested, depth + 1), { maxLength: 3 }));
}

function bodyOf(dto: Function, depth = 0): fc.Arbitrary<Record<string, unknown>> {
  const entries = propertiesOf(dto).map((property) => [property, valueFor(dto, property, depth)] as const);
  return fc
    .tuple(fc.record(Object.fromEntries(entries), { requiredKeys: [] }), fc.option(fc.constantFrom('unknownField', 'extra'), { nil: undefined }))
    .map(([body, extra]) => (extra === undefined ? body : { ...body, [extra]: 'x' }));
}

describe('the compiled validation rules', () => {
  it('cover the DTOs of the busiest command routes', () => {
    expect(DTOS.length).toBeGreaterThan(20);
    for (const dto of [disbursements.SettleDisbursementDto, disbursements.SettlementBatchDto, beneficiaries.EnrollBeneficiaryDto]) expect(compiledRulesCover(dto)).toBe(true);
  });

  describe.each(DTOS.map((dto) => [dto.name, dto] as const))('for %s', (_name, dto) => {
    it('pass a body exactly when class-validator finds no error in it', () => {
      fc.assert(
        fc.property(bodyOf(dto), (body) => {
          const instance = plainToInstance(dto, body);
          const valid = validateSync(instance, { ...COMPILED_FOR }).length === 0;
          const passes = passesCompiledRules(instance);
          // Never more lenient; and, where the class is compiled at all, no stricter.
          expect(passes && !valid).toBe(false);
          if (compiledRulesCover(dto)) expect(passes).toBe(valid);
        }),
        { numRuns: 300 },
      );
    });
  });

  it('let a valid settlement through, and leave an invalid one to class-validator', () => {
    const valid = plainToInstance(disbursements.SettleDisbursementDto, { providerReference: 'FT24096000123', paidAt: '2024-04-05T09:30:00+07:00', amount: 2_055_000 });
    expect(passesCompiledRules(valid)).toBe(true);
    for (const body of [
      { providerReference: 'FT 1', paidAt: '2024-04-05T09:30:00+07:00', amount: 2_055_000 },
      { providerReference: 'FT1', paidAt: '2024-04-05T09:30:00+07:00', amount: 1.5 },
      { providerReference: 'FT1', paidAt: '2024-04-05T09:30:00+07:00', amount: 1, extra: true },
      { providerReference: 'FT1', amount: 1 },
    ]) {
      expect(passesCompiledRules(plainToInstance(disbursements.SettleDisbursementDto, body))).toBe(false);
    }
  });

  it('check a nested object by the rules of its own class', () => {
    const enrollment = {
      nationalId: '091052000123',
      fullName: 'Nguyễn Văn An',
      dateOfBirth: '1952-03-14',
      gender: 'MALE',
      unitCode: '899',
      program: 'MERITORIOUS',
      coefficient: 1000,
      effectiveFrom: '2024-04',
      decision: { number: '1/QĐ-UBND', date: '2024-03-20' },
    };
    expect(passesCompiledRules(plainToInstance(beneficiaries.EnrollBeneficiaryDto, enrollment))).toBe(true);
    expect(passesCompiledRules(plainToInstance(beneficiaries.EnrollBeneficiaryDto, { ...enrollment, decision: { number: '1/QĐ-UBND' } }))).toBe(false);
    expect(passesCompiledRules(plainToInstance(beneficiaries.EnrollBeneficiaryDto, { ...enrollment, decision: { ...enrollment.decision, extra: 1 } }))).toBe(false);
  });
});
