import type { Middleware } from 'openapi-fetch';

/**
 * The typed client's check that the API answers as its OpenAPI document says: the status is one the
 * operation documents, with a media type it documents, and a JSON body that matches the schema —
 * every documented field present unless optional, no field the document does not name, every value
 * of its type, format, enum and pattern. The compiler checks the calls against the document; this
 * checks the answers, so the document cannot drift from the server without a test failing.
 */

type Schema = {
  $ref?: string;
  type?: string;
  format?: string;
  nullable?: boolean;
  enum?: readonly unknown[];
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  properties?: Record<string, Schema>;
  required?: readonly string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  oneOf?: readonly Schema[];
  anyOf?: readonly Schema[];
  allOf?: readonly Schema[];
};

export interface OpenApiDocument {
  readonly paths: Record<string, Record<string, { readonly responses: Record<string, { readonly content?: Record<string, { readonly schema?: Schema }> }> }>>;
  readonly components: { readonly schemas: Record<string, Schema> };
}

export class UndocumentedAnswer extends Error {
  override readonly name = 'UndocumentedAnswer';
}

export function answersAsDocumented(documentOf: () => Promise<OpenApiDocument>): Middleware {
  return {
    async onResponse({ request, response, schemaPath }) {
      const document = await documentOf();
      const where = `${request.method} ${schemaPath} → ${response.status}`;
      const responses = document.paths[schemaPath]?.[request.method.toLowerCase()]?.responses;
      if (!responses) throw new UndocumentedAnswer(`${where}: the document has no such operation`);
      const documented = responses[String(response.status)];
      if (!documented) throw new UndocumentedAnswer(`${where}: the operation documents ${Object.keys(responses).join(', ')} only`);
      const mediaType = (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
      if (mediaType === '' && documented.content === undefined) return undefined;
      const content = documented.content?.[mediaType];
      if (!content) throw new UndocumentedAnswer(`${where}: answered ${mediaType || 'no content type'}, documented ${Object.keys(documented.content ?? {}).join(', ') || 'no content'}`);
      if (!mediaType.endsWith('json') || !content.schema) return undefined;
      const body: unknown = await response.clone().json();
      const mismatches = mismatchesOf(body, content.schema, document, '$');
      if (mismatches.length > 0) throw new UndocumentedAnswer(`${where}: the body does not match the document:\n  ${mismatches.join('\n  ')}`);
      return undefined;
    },
  };
}

/** Where a value departs from an OpenAPI 3.0 schema; an object's properties are closed unless it says otherwise. */
export function mismatchesOf(value: unknown, schema: Schema, document: OpenApiDocument, path: string): string[] {
  if (schema.$ref) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    const target = document.components.schemas[name];
    return target ? mismatchesOf(value, target, document, path) : [`${path}: refers to ${schema.$ref}, which the document lacks`];
  }
  if (value === null) return schema.nullable || (schema.oneOf ?? schema.anyOf)?.some((alternative) => mismatchesOf(null, alternative, document, path).length === 0) ? [] : [`${path}: null, not nullable`];
  if (schema.allOf) return schema.allOf.flatMap((part) => mismatchesOf(value, { ...part, additionalProperties: true }, document, path));
  const alternatives = schema.oneOf ?? schema.anyOf;
  if (alternatives) {
    const matching = alternatives.filter((alternative) => mismatchesOf(value, alternative, document, path).length === 0).length;
    if (matching === 0) return [`${path}: matches none of its alternatives: ${JSON.stringify(value)}`];
    if (schema.oneOf && matching > 1) return [`${path}: matches ${matching} of its oneOf alternatives`];
    return [];
  }
  const found: string[] = [];
  if (schema.enum && !schema.enum.includes(value)) found.push(`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  switch (schema.type) {
    case undefined:
      break;
    case 'string':
      if (typeof value !== 'string') return [`${path}: ${JSON.stringify(value)} is not a string`];
      if (schema.pattern && !new RegExp(schema.pattern, 'u').test(value)) found.push(`${path}: ${JSON.stringify(value)} does not match ${schema.pattern}`);
      if (schema.maxLength !== undefined && [...value].length > schema.maxLength) found.push(`${path}: longer than ${schema.maxLength}`);
      if (schema.minLength !== undefined && [...value].length < schema.minLength) found.push(`${path}: shorter than ${schema.minLength}`);
      if (schema.format && FORMATS[schema.format] && !FORMATS[schema.format]!.test(value)) found.push(`${path}: ${JSON.stringify(value)} is not a ${schema.format}`);
      break;
    case 'integer':
    case 'number':
      if (typeof value !== 'number' || (schema.type === 'integer' && !Number.isInteger(value))) return [`${path}: ${JSON.stringify(value)} is not an ${schema.type}`];
      if (schema.minimum !== undefined && value < schema.minimum) found.push(`${path}: ${value} is below ${schema.minimum}`);
      if (schema.maximum !== undefined && value > schema.maximum) found.push(`${path}: ${value} is above ${schema.maximum}`);
      break;
    case 'boolean':
      if (typeof value !== 'boolean') return [`${path}: ${JSON.stringify(value)} is not a boolean`];
      break;
    case 'array':
      if (!Array.isArray(value)) return [`${path}: not an array`];
      if (schema.items) value.forEach((item, index) => found.push(...mismatchesOf(item, schema.items!, document, `${path}[${index}]`)));
      break;
    case 'object': {
      if (typeof value !== 'object' || Array.isArray(value)) return [`${path}: not an object`];
      const record = value as Record<string, unknown>;
      for (const name of schema.required ?? []) if (!(name in record)) found.push(`${path}.${name}: missing`);
      for (const [name, member] of Object.entries(record)) {
        const declared = schema.properties?.[name];
        if (declared) found.push(...mismatchesOf(member, declared, document, `${path}.${name}`));
        else if (typeof schema.additionalProperties === 'object') found.push(...mismatchesOf(member, schema.additionalProperties, document, `${path}.${name}`));
        else if (schema.additionalProperties !== true) found.push(`${path}.${name}: not in the document`);
      }
      break;
    }
    default:
      found.push(`${path}: a schema of type ${schema.type}, which this check does not read`);
  }
  return found;
}

const FORMATS: Readonly<Record<string, RegExp>> = {
  date: /^\d{4}-\d{2}-\d{2}$/,
  'date-time': /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/,
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  'uri-reference': /^\S*$/,
};
