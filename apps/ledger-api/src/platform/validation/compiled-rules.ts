import { getMetadataStorage, ValidationTypes, type MetadataStorage, type ValidationArguments } from 'class-validator';

type ValidationMetadata = ReturnType<MetadataStorage['getTargetValidationMetadatas']>[number];

/** One property's rules, as class-validator would apply them. */
interface PropertyRules {
  readonly name: string;
  /** @IsOptional, @ValidateIf: when one says no, nothing else is checked. */
  readonly conditions: ReadonlyArray<(object: object, value: unknown) => boolean>;
  readonly constraints: ReadonlyArray<{
    readonly metadata: ValidationMetadata;
    readonly validate: (value: unknown, args: ValidationArguments) => unknown;
  }>;
  /** @ValidateNested: the value (or each item) is an object checked by the rules of its own class. */
  readonly nested: boolean;
}

interface ClassRules {
  readonly allowed: ReadonlySet<string>;
  readonly properties: readonly PropertyRules[];
}

/** What the compiled rules assume of the pipe's options; LedgerValidationPipe uses exactly these. */
export const COMPILED_FOR = { whitelist: true, forbidNonWhitelisted: true } as const;

const SUPPORTED: ReadonlySet<string> = new Set([ValidationTypes.CUSTOM_VALIDATION, ValidationTypes.CONDITIONAL_VALIDATION, ValidationTypes.NESTED_VALIDATION, ValidationTypes.WHITELIST]);

/** Per DTO class, its rules read once; null for a class they cannot stand in for (class-validator judges it every time). */
const compiled = new WeakMap<object, ClassRules | null>();

/**
 * Whether class-validator, with the pipe's options (`whitelist`, `forbidNonWhitelisted`, unknown
 * values forbidden, no groups), would find no error in `object`, decided with the validators its
 * decorators registered, called the way class-validator calls them, without building the error
 * tree it builds for every request. It answers only "surely valid": false means "ask
 * class-validator", which then also words the errors. A class whose rules use anything else
 * (groups, `each`, async validators, @IsDefined, promises) is never answered here.
 */
export function passesCompiledRules(object: unknown): boolean {
  if (typeof object !== 'object' || object === null || Array.isArray(object)) return false;
  const rules = rulesOf(object.constructor);
  if (!rules) return false;
  for (const key of Object.keys(object)) if (!rules.allowed.has(key)) return false;
  for (const property of rules.properties) {
    const value = (object as Record<string, unknown>)[property.name];
    if (!property.conditions.every((condition) => condition(object, value))) continue;
    for (const { metadata, validate } of property.constraints) {
      if (metadata.validateIf && !metadata.validateIf(object, value)) continue;
      const args: ValidationArguments = { targetName: object.constructor?.name, property: property.name, object, value, constraints: metadata.constraints };
      const valid = validate(value, args);
      if (!valid || valid instanceof Promise) return false;
    }
    if (property.nested && value !== undefined && !nestedPasses(value)) return false;
  }
  return true;
}

/** Whether the class's rules are compiled at all, or left to class-validator every time. */
export function compiledRulesCover(target: Function): boolean {
  return rulesOf(target) !== null;
}

function nestedPasses(value: unknown): boolean {
  if (Array.isArray(value)) return value.every((item) => item instanceof Object && nestedPasses(item));
  if (value instanceof Set || value instanceof Map || !(value instanceof Object)) return false;
  return passesCompiledRules(value);
}

function rulesOf(target: unknown): ClassRules | null {
  if (typeof target !== 'function' || target === Object) return null;
  let rules = compiled.get(target);
  if (rules === undefined) compiled.set(target, (rules = compile(target)));
  return rules;
}

function compile(target: Function): ClassRules | null {
  const storage = getMetadataStorage();
  const metadatas = storage.getTargetValidationMetadatas(target, undefined as unknown as string, false, false, undefined);
  if (metadatas.length === 0) return null;
  // `each` changes nothing for @ValidateNested, which checks every item of an array anyway.
  const unsupported = (metadata: ValidationMetadata) =>
    !SUPPORTED.has(metadata.type) || (metadata.each && metadata.type !== ValidationTypes.NESTED_VALIDATION) || metadata.always !== undefined || (metadata.groups?.length ?? 0) > 0;
  if (metadatas.some(unsupported)) return null;
  const grouped = storage.groupByPropertyName(metadatas);
  const properties: PropertyRules[] = [];
  for (const [name, ofProperty] of Object.entries(grouped)) {
    const constraints: Array<PropertyRules['constraints'][number]> = [];
    for (const metadata of ofProperty.filter((candidate) => candidate.type === ValidationTypes.CUSTOM_VALIDATION)) {
      for (const constraint of storage.getTargetValidatorConstraints(metadata.constraintCls)) {
        if (constraint.async) return null;
        const instance = constraint.instance as { validate: (value: unknown, args: ValidationArguments) => unknown };
        constraints.push({ metadata, validate: (value, args) => instance.validate(value, args) });
      }
    }
    properties.push({
      name,
      conditions: ofProperty.filter((metadata) => metadata.type === ValidationTypes.CONDITIONAL_VALIDATION).map((metadata) => metadata.constraints[0] as (object: object, value: unknown) => boolean),
      constraints,
      nested: ofProperty.some((metadata) => metadata.type === ValidationTypes.NESTED_VALIDATION),
    });
  }
  return { allowed: new Set(Object.keys(grouped)), properties };
}
