import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { INTEGRATION_EVENT_TYPES, type CrossProvinceFindingNotice, type IntegrationEvent } from './integration-events.js';
import { CONTRACT_SCHEMA_DIRECTORY, contractValidator, readContractSchemas, schemaFileOf, type JsonSchema } from './testing/contract-schemas.js';
import { everyInternalEvent, NATIONAL_KEY, PERSON, PROGRAM, PROVINCE } from './testing/every-internal-event.js';
import { publishHistory } from './testing/internal-history.js';

const schemas = readContractSchemas();
const validate = contractValidator();
const { published } = publishHistory(everyInternalEvent().events, { province: PROVINCE, nationalKey: NATIONAL_KEY });
const NOTICE = 'CrossProvinceFindingNotice.v1.schema.json';

/**
 * Every subschema that defines an object, wherever it sits. Conditions (allOf, if/then/else, not)
 * constrain the same object further and define no property, so they are not walked.
 */
function objectSchemas(schema: JsonSchema, path = '#'): Array<{ path: string; schema: JsonSchema }> {
  const below = (keyword: string): Array<[string, JsonSchema]> => Object.entries((schema[keyword] as Record<string, JsonSchema> | undefined) ?? {}).map(([name, sub]) => [`${keyword}/${name}`, sub]);
  const children: Array<[string, JsonSchema]> = [
    ...below('properties'),
    ...below('$defs'),
    ...((schema['anyOf'] as JsonSchema[] | undefined) ?? []).map((sub, index): [string, JsonSchema] => [`anyOf/${index}`, sub]),
    ...(schema['items'] ? [['items', schema['items'] as JsonSchema] as [string, JsonSchema]] : []),
  ];
  return [...(schema['type'] === 'object' ? [{ path, schema }] : []), ...children.flatMap(([at, sub]) => objectSchemas(sub, `${path}/${at}`))];
}

describe('the contract’s JSON Schemas', () => {
  it('are one per integration event type, and the finding notice, and nothing else', () => {
    expect([...schemas.keys()].sort()).toEqual([...INTEGRATION_EVENT_TYPES.map(schemaFileOf), NOTICE].sort());
  });

  it('are draft 2020-12 and name their type and version', () => {
    for (const [file, schema] of schemas) {
      expect({ file, $schema: schema['$schema'] }).toEqual({ file, $schema: 'https://json-schema.org/draft/2020-12/schema' });
      if (file === NOTICE) continue;
      const type = file.replace('.v1.schema.json', '');
      expect({ file, type: (schema['properties'] as JsonSchema)['type'], version: (schema['properties'] as JsonSchema)['version'] }).toEqual({ file, type: { const: type }, version: { const: 1 } });
    }
  });

  it('admit no property they do not name, at any depth', () => {
    for (const [file, schema] of schemas) {
      const objects = objectSchemas(schema);
      expect(objects.length).toBeGreaterThan(file === NOTICE ? 0 : 1);
      for (const object of objects) {
        expect({ file, at: object.path, additionalProperties: object.schema['additionalProperties'] }).toEqual({ file, at: object.path, additionalProperties: false });
      }
    }
  });
});

describe('every event the mapping publishes', () => {
  it('is valid against its type’s schema', () => {
    expect(new Set(published.map((event) => event.type))).toEqual(new Set(INTEGRATION_EVENT_TYPES));
    for (const event of published) expect({ type: event.type, errors: validate(schemaFileOf(event.type), event) }).toEqual({ type: event.type, errors: [] });
  });

  it('carries every field its schema requires and no other (the schema and the TypeScript contract agree)', () => {
    for (const event of published) {
      const schema = schemas.get(schemaFileOf(event.type))!;
      const data = (schema['properties'] as JsonSchema)['data'] as JsonSchema;
      expect({ type: event.type, fields: Object.keys(event.data).sort() }).toEqual({ type: event.type, fields: [...(data['required'] as string[])].sort() });
      expect({ type: event.type, fields: Object.keys(event).sort() }).toEqual({ type: event.type, fields: [...(schema['required'] as string[])].sort() });
    }
  });
});

describe('a schema refuses', () => {
  const paid = published.find((event) => event.type === 'DisbursementPaid')!;
  const refused = (event: IntegrationEvent, change: (data: Record<string, unknown>) => void, envelope: (event: Record<string, unknown>) => void = () => {}) => {
    const copy = structuredClone(event) as unknown as Record<string, unknown> & { data: Record<string, unknown> };
    change(copy.data);
    envelope(copy);
    return validate(schemaFileOf(event.type), copy);
  };

  it.each<[string, (data: Record<string, unknown>) => void]>([
    ['a property it does not name', (data) => (data['nationalId'] = PERSON.nationalId)],
    ['a person key in capitals', (data) => (data['personKey'] = PERSON.personKey.toUpperCase())],
    ['a person key cut short', (data) => (data['personKey'] = PERSON.personKey.slice(1))],
    ['a reference that is not a UUID', (data) => (data['beneficiaryRef'] = 'b-1')],
    ['a thirteenth month', (data) => (data['period'] = '2024-13')],
    ['a negative amount', (data) => (data['amount'] = -1)],
    ['a fraction of a dong', (data) => (data['amount'] = 1.5)],
    ['a day that does not exist', (data) => (data['paidOn'] = '2024-02-30')],
    ['a status the event does not leave', (data) => (data['status'] = 'SENT')],
    ['an attempt 0', (data) => (data['attempt'] = 0)],
    ['a missing field', (data) => delete data['unitCode']],
  ])('%s', (_, change) => {
    expect(refused(paid, change)).not.toEqual([]);
  });

  it.each<[string, (event: Record<string, unknown>) => void]>([
    ['another version', (event) => (event['version'] = 2)],
    ['a province code that is not digits', (event) => (event['province'] = '91.>')],
    ['a position that is not a decimal', (event) => (event['sourcePosition'] = '0x10')],
    ['an instant without its time', (event) => (event['occurredAt'] = '2024-03-04')],
    ['an envelope property it does not name', (event) => (event['nationalId'] = PERSON.nationalId)],
  ])('%s in the envelope', (_, change) => {
    expect(refused(paid, () => {}, change)).not.toEqual([]);
  });

  it('a free-text reason', () => {
    const failed = published.find((event) => event.type === 'DisbursementFailed')!;
    expect(refused(failed, (data) => (data['reason'] = 'AC04: account of BUI TRUNG TAI closed'))).not.toEqual([]);
  });

  it('a rescheduled disbursement that is not SCHEDULED', () => {
    const rescheduled = published.find((event) => event.type === 'DisbursementChanged' && event.data.change === 'RESCHEDULED')!;
    expect(refused(rescheduled, (data) => (data['status'] = 'PAID'))).not.toEqual([]);
  });
});

describe('a cross-province finding notice', () => {
  const enrolledTwice: CrossProvinceFindingNotice = {
    findingId: '4d7c2b1a-9e8f-5a6b-8c7d-0e1f2a3b4c5d',
    version: 1,
    kind: 'ENROLLED_IN_TWO_PROVINCES',
    province: '91',
    beneficiaryRef: PERSON.beneficiaryId,
    personKey: PERSON.personKey,
    program: PROGRAM,
    otherProvinces: ['79', '92'],
    foundAt: '2024-07-15T01:59:00.000Z',
  };
  const paidTwice: CrossProvinceFindingNotice = { ...enrolledTwice, kind: 'PAID_IN_TWO_PROVINCES', period: '2024-06', otherProvinces: ['79'] };

  it('is valid for each kind', () => {
    expect(validate(NOTICE, enrolledTwice)).toEqual([]);
    expect(validate(NOTICE, paidTwice)).toEqual([]);
  });

  it('names the period paid twice, and only then', () => {
    const { period: _period, ...withoutPeriod } = paidTwice;
    expect(validate(NOTICE, withoutPeriod)).not.toEqual([]);
    expect(validate(NOTICE, { ...enrolledTwice, period: '2024-06' })).not.toEqual([]);
  });

  it('names at least one other province, each once', () => {
    expect(validate(NOTICE, { ...enrolledTwice, otherProvinces: [] })).not.toEqual([]);
    expect(validate(NOTICE, { ...enrolledTwice, otherProvinces: ['79', '79'] })).not.toEqual([]);
  });

  it('admits nothing personal beside the key', () => {
    expect(validate(NOTICE, { ...enrolledTwice, fullName: PERSON.fullName })).not.toEqual([]);
  });
});

describe('the README for integrators', () => {
  const readme = readFileSync(join(CONTRACT_SCHEMA_DIRECTORY, 'README.md'), 'utf8');

  it('shows a message the mapping publishes, valid against its schema', () => {
    const examples = [...readme.matchAll(/```json\n([\s\S]*?)```/g)].map((match) => JSON.parse(match[1]!) as IntegrationEvent);
    expect(examples.length).toBeGreaterThan(0);
    for (const example of examples) {
      expect(validate(schemaFileOf(example.type), example)).toEqual([]);
      expect(published).toContainEqual(example);
    }
  });

  it('names every message type in its table', () => {
    for (const type of INTEGRATION_EVENT_TYPES) expect(readme).toContain(`| \`${type}\` |`);
  });
});
