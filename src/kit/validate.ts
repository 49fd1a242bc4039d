import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsImport from 'ajv-formats';
import { schemaTypes, schemaFormats, type JsonObject, type JsonSchema, type JsonValue } from './json.js';
import { UserError } from './errors.js';
import { instantMs } from './time.js';

// ajv-formats ships CommonJS; under NodeNext its callable default sits one level down.
type AddFormats = (ajv: Ajv) => Ajv;
const addFormats: AddFormats =
  (addFormatsImport as unknown as { default?: AddFormats }).default ?? (addFormatsImport as unknown as AddFormats);

/** One ajv instance for the process: formats on, Singer/Meltano keywords (`secret`, ...) allowed. */
export function createAjv(options: { useDefaults?: boolean } = {}): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: false, useDefaults: options.useDefaults ?? false, validateFormats: true });
  addFormats(ajv);
  // Every conformed date-time is RFC 3339 UTC: check that shape with one regex, the full rules otherwise.
  const full = ajv.formats['date-time'];
  const fullCheck = typeof full === 'object' && full !== null && 'validate' in full ? full.validate : full;
  if (typeof fullCheck === 'function') {
    ajv.addFormat('date-time', (value: string) => CANONICAL_UTC.test(value) ? validDay(value) : (fullCheck as (v: string) => boolean)(value));
  }
  return ajv;
}

const CANONICAL_UTC = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,9})?Z$/;

const DAYS_IN_MONTH = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The day exists in its month (2025-02-30 does not; 29 February only in a leap year). */
function validDay(value: string): boolean {
  const day = (value.charCodeAt(8) - 48) * 10 + value.charCodeAt(9) - 48;
  if (day <= 28) return true;
  const month = (value.charCodeAt(5) - 48) * 10 + value.charCodeAt(6) - 48;
  if (day > (DAYS_IN_MONTH[month] as number)) return false;
  if (month !== 2 || day !== 29) return true;
  const year = Number(value.slice(0, 4));
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

/** `field 'x' must be integer (got "abc")`: one readable clause per ajv error. */
export function describeAjvError(error: ErrorObject, data: unknown, label = 'field', hideValue = false): string {
  const path = error.instancePath.replace(/^\//, '').replace(/\//g, '.');
  const missing = error.keyword === 'required' ? String((error.params as { missingProperty?: string }).missingProperty) : undefined;
  const name = missing ? (path ? `${path}.${missing}` : missing) : path;
  let got = data;
  for (const part of error.instancePath.split('/').slice(1)) got = (got as Record<string, unknown> | undefined)?.[part];
  const shown = missing || hideValue ? '' : ` (got ${JSON.stringify(got)?.slice(0, 60)})`;
  return `${label} '${name}' ${missing ? 'is required' : error.message}${shown}`;
}

type Converter = (value: JsonValue) => JsonValue;

/** A date-time value as RFC 3339 UTC, which targets load as a timestamp without surprises. */
export function toUtc(value: JsonValue): JsonValue {
  if (typeof value === 'string' && value.endsWith('Z')) return value;
  const ms = instantMs(value);
  return ms === undefined ? value : new Date(ms).toISOString();
}

function converterFor(schema: JsonSchema): Converter | undefined {
  const types = schemaTypes(schema);
  if (schemaFormats(schema).includes('date-time')) return toUtc;
  if (types.includes('integer') || types.includes('number')) {
    return (v) => (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : v);
  }
  if (types.includes('boolean')) return (v) => (v === 'true' ? true : v === 'false' ? false : v);
  if (types.includes('string') && !types.includes('object') && !types.includes('array')) {
    return (v) => (typeof v === 'number' || typeof v === 'boolean' ? String(v) : v);
  }
  return undefined;
}

/**
 * Shapes a stream's records for its SCHEMA: keeps the selected properties, turns date-times into
 * UTC, numeric strings into numbers, then validates with a compiled ajv validator. A record that
 * still does not fit is a user-facing error naming stream, key and field.
 */
export class RecordConformer {
  private readonly fields: string[];
  private readonly fieldSet: Set<string>;
  private readonly converters: Array<[string, Converter]>;
  private readonly validate: ValidateFunction;

  constructor(ajv: Ajv, readonly stream: string, schema: JsonSchema, private readonly primaryKey: string[]) {
    this.fields = Object.keys(schema.properties ?? {});
    this.fieldSet = new Set(this.fields);
    this.converters = [];
    for (const [name, prop] of Object.entries(schema.properties ?? {})) {
      const c = converterFor(prop);
      if (c) this.converters.push([name, c]);
    }
    try {
      this.validate = ajv.compile(schema);
    } catch (error) {
      throw new UserError(`stream '${stream}': its schema is not valid JSON Schema (${(error as Error).message})`);
    }
  }

  /**
   * The record as its SCHEMA describes it. A record holding only schema fields is conformed in place
   * (the usual case: no copy per record); one with other fields is copied without them.
   */
  conform(record: JsonObject): JsonObject {
    let out = record;
    for (const k in record) {
      if (!this.fieldSet.has(k)) {
        out = this.project(record);
        break;
      }
    }
    for (const [f, convert] of this.converters) {
      const v = out[f];
      if (v !== undefined && v !== null) out[f] = convert(v);
    }
    for (const k of this.primaryKey) {
      if (out[k] === undefined || out[k] === null) throw new UserError(`stream '${this.stream}': a record has no value for key property '${k}' (${this.describeKey(record)})`);
    }
    if (!this.validate(out)) {
      const errors = (this.validate.errors ?? []).slice(0, 3).map((e) => describeAjvError(e, out)).join('; ');
      throw new UserError(`stream '${this.stream}' record ${this.describeKey(record)}: ${errors}`);
    }
    return out;
  }

  private project(record: JsonObject): JsonObject {
    const out: JsonObject = {};
    for (const f of this.fields) {
      const v = record[f];
      if (v !== undefined) out[f] = v;
    }
    return out;
  }

  private describeKey(record: JsonObject): string {
    return this.primaryKey.map((k) => `${k}=${JSON.stringify(record[k] ?? null)}`).join(', ') || '(no key)';
  }
}
