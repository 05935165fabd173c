import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
// CommonJS packages: under NodeNext and under Jest alike, the default import is module.exports, whose `default` is the export.
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

/** docs/integration-events: one JSON Schema per integration event type, and the finding notice. */
export const CONTRACT_SCHEMA_DIRECTORY = fileURLToPath(new URL('../../../../../docs/integration-events/', import.meta.url));

export type JsonSchema = { readonly [keyword: string]: unknown };

/** Every schema file of the contract, by file name. */
export function readContractSchemas(): Map<string, JsonSchema> {
  return new Map(
    readdirSync(CONTRACT_SCHEMA_DIRECTORY)
      .filter((name) => name.endsWith('.schema.json'))
      .sort()
      .map((name) => [name, JSON.parse(readFileSync(join(CONTRACT_SCHEMA_DIRECTORY, name), 'utf8')) as JsonSchema]),
  );
}

export const schemaFileOf = (type: string) => `${type}.v1.schema.json`;

/**
 * Checks messages against the contract's schemas as an integrator would: draft 2020-12, formats
 * asserted, strict about the schemas themselves. Answers the errors, none when the message is valid.
 */
export function contractValidator(): (schemaFile: string, message: unknown) => string[] {
  // Strict about the schemas, except that a conditional `required` may name a property declared beside the condition (the notice's period).
  const ajv = new Ajv2020.default({ allErrors: true, strict: true, strictRequired: false });
  addFormats.default(ajv);
  const validators = new Map([...readContractSchemas()].map(([name, schema]) => [name, ajv.compile(schema)]));
  return (schemaFile, message) => {
    const validate = validators.get(schemaFile);
    if (!validate) return [`no schema ${schemaFile}`];
    return validate(message) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? ''} ${JSON.stringify(error.params)}`);
  };
}
