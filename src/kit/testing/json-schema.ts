import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsImport from 'ajv-formats';

// ajv-formats ships CommonJS: under NodeNext the default import is its module object, whose `default` is the plugin.
const addFormats = addFormatsImport.default;

type Draft = '2020-12' | '2019-09' | 'draft-07';

/**
 * The draft a schema says it follows (`$schema`); draft-07 when it says nothing (the Singer
 * convention) or names an older draft, which draft-07 reads alike for everything taps use.
 */
export function draftOf(schema: unknown): Draft {
  const declared = isObject(schema) && typeof schema.$schema === 'string' ? schema.$schema : '';
  if (declared.includes('2020-12')) return '2020-12';
  if (declared.includes('2019-09')) return '2019-09';
  return 'draft-07';
}

const instances = new Map<Draft, Ajv>();

/** One ajv per draft: all errors, formats checked, unknown keywords (`secret`, `x-...`) and formats tolerated. */
function ajvFor(draft: Draft): Ajv {
  let ajv = instances.get(draft);
  if (!ajv) {
    const options = { allErrors: true, strict: false, validateFormats: true, logger: false as const };
    ajv = draft === '2020-12' ? new Ajv2020(options) : draft === '2019-09' ? new Ajv2019(options) : new Ajv(options);
    addFormats(ajv);
    instances.set(draft, ajv);
  }
  return ajv;
}

/** A schema without a `$schema` ajv does not know (draft-04's URI), so its own draft's meta-schema applies. */
function withoutForeignDraft(schema: Record<string, unknown>): Record<string, unknown> {
  if (typeof schema.$schema !== 'string' || /2019-09|2020-12|draft-07/.test(schema.$schema)) return schema;
  const { $schema: _ignored, ...rest } = schema;
  return rest;
}

/** Why `schema` is not a valid JSON Schema (against its draft's meta-schema, then compiled), or `undefined`. */
export function schemaProblem(schema: unknown): string | undefined {
  if (!isObject(schema)) return `not a JSON object (${describe(schema)})`;
  const ajv = ajvFor(draftOf(schema));
  const cleaned = withoutForeignDraft(schema);
  try {
    if (!ajv.validateSchema(cleaned)) return `not a valid ${draftOf(schema)} JSON Schema: ${errorsText(ajv.errors)}`;
    ajv.compile(cleaned);
    return undefined;
  } catch (error) {
    return `does not compile: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** A compiled validator for a valid schema (see `schemaProblem` first); throws when it cannot be compiled. */
export function compileSchema(schema: Record<string, unknown>): ValidateFunction {
  return ajvFor(draftOf(schema)).compile(withoutForeignDraft(schema));
}

/** `/id must be string; /updatedAt must match format "date-time"` (the first three errors). */
export function errorsText(errors: ErrorObject[] | null | undefined): string {
  return [...new Set((errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`))].slice(0, 3).join('; ');
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value's JSON type, for messages: `null`, `array`, `string`, ... */
export function describe(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
}

/** The schema's top-level `properties` (empty when it has none). */
export function propertiesOf(schema: unknown): Record<string, unknown> {
  return isObject(schema) && isObject(schema.properties) ? schema.properties : {};
}

/** The schema holds a `$ref` anywhere (Singer wants them resolved before a SCHEMA is emitted). */
export function containsRef(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(containsRef);
  if (!isObject(value)) return false;
  return Object.entries(value).some(([key, child]) => key === '$ref' || containsRef(child));
}
