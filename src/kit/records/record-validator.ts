import type { Ajv, ErrorObject, ValidateFunction } from 'ajv';
import type { JsonSchema } from '../core/json.js';
import { stringifyJson } from '../core/jsontext.js';
import { fieldOf, isInheritedName } from '../core/own.js';

/**
 * Record validation whatever the API named its fields. ajv reads a property named like one of
 * Object.prototype's members (`constructor`, `toString`) on the prototype when a record lacks it,
 * unless told to look at own properties only, which costs about ten times more per record: that
 * instance serves only schemas that have such names. And ajv never checks a property named
 * `__proto__` (its guard against prototype pollution): schemas and records having one are checked
 * with it renamed.
 */

/** The own-properties ajv instance, built on first need. */
let ownPropertiesAjv: Ajv | undefined;

/** What `__proto__` is called while ajv checks it. */
const PROTO_ALIAS = '\u0000__proto__';

/** Whether any property name (or `required` entry) in a schema is one plain objects inherit. */
function hasInheritedNames(schema: unknown, proto = false): boolean {
  if (Array.isArray(schema)) return schema.some((s) => hasInheritedNames(s, proto));
  if (typeof schema !== 'object' || schema === null) return false;
  for (const [k, v] of Object.entries(schema)) {
    if (k === 'required' && Array.isArray(v) && v.some((r) => typeof r === 'string' && (proto ? r === '__proto__' : isInheritedName(r)))) return true;
    if (proto ? k === '__proto__' : isInheritedName(k)) return true;
    if (hasInheritedNames(v, proto)) return true;
  }
  return false;
}

/** A copy with every `__proto__` key (and `required` entry, in a schema) renamed to PROTO_ALIAS. */
function aliasProto(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(aliasProto);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const x = k === 'required' && Array.isArray(v) ? v.map((r) => (r === '__proto__' ? PROTO_ALIAS : r)) : aliasProto(v);
    out[k === '__proto__' ? PROTO_ALIAS : k] = x;
  }
  return out;
}

export interface RecordValidator {
  /** Whether the record fits the schema. */
  check: (record: unknown) => boolean;
  /** One clause per problem of a record that does not fit (`field 'x' must be integer (got "a")`). */
  errors: (record: unknown) => string[];
}

/**
 * A record validator for a schema, whatever its property names. `ownPropertiesAjv` builds the ajv
 * instance for schemas with names plain objects inherit (built once per process).
 */
export function recordValidator(ajv: Ajv, schema: JsonSchema, ownProperties: () => Ajv): RecordValidator {
  const inherited = hasInheritedNames(schema);
  const proto = inherited && hasInheritedNames(schema, true);
  const compiler = inherited ? (ownPropertiesAjv ??= ownProperties()) : ajv;
  const validate: ValidateFunction = compiler.compile(proto ? aliasProto(schema) as JsonSchema : schema);
  if (!proto) return { check: validate, errors: (record) => (validate(record) ? [] : (validate.errors ?? []).map((e) => describeAjvError(e, record))) };
  return {
    check: (record) => validate(aliasProto(record)),
    errors: (record) => {
      const aliased = aliasProto(record);
      return validate(aliased) ? [] : (validate.errors ?? []).map((e) => describeAjvError(e, aliased).split(PROTO_ALIAS).join('__proto__'));
    },
  };
}

/** `field 'x' must be integer (got "abc")`: one readable clause per ajv error. */
export function describeAjvError(error: ErrorObject, data: unknown, how: { label?: string; hideValue?: boolean } = {}): string {
  const { label = 'field', hideValue = false } = how;
  const path = error.instancePath.replace(/^\//, '').replace(/\//g, '.');
  const missing = error.keyword === 'required' ? String((error.params as { missingProperty?: string }).missingProperty) : undefined;
  const name = missing ? (path ? `${path}.${missing}` : missing) : path;
  let got = data;
  for (const part of error.instancePath.split('/').slice(1)) got = got !== null && typeof got === 'object' ? fieldOf(got as Record<string, unknown>, part.replace(/~1/g, '/').replace(/~0/g, '~')) : undefined;
  const shown = missing || hideValue ? '' : ` (got ${stringifyJson(got)?.slice(0, 60)})`;
  return `${label} '${name}' ${missing ? 'is required' : error.message}${shown}`;
}
