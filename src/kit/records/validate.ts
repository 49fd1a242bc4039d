import { Ajv } from 'ajv';
import addFormatsImport from 'ajv-formats';
import { schemaTypes, schemaFormats, type JsonObject, type JsonSchema, type JsonValue } from '../core/json.js';
import { UserError } from '../core/errors.js';
import { instantMs } from '../core/time.js';
import { stringifyJson, withNumbers } from '../core/jsontext.js';
import { fieldOf, hasField, isInheritedName, setField } from '../core/own.js';
import { recordValidator, type RecordValidator } from './record-validator.js';
import { CANONICAL_UTC, COMMON_URI, validDay, withFastPath } from './formats.js';
import { compileFieldConverters, type Converter } from './convert-fields.js';

export { describeAjvError } from './record-validator.js';

// ajv-formats ships CommonJS; under NodeNext its callable default sits one level down.
type AddFormats = (ajv: Ajv) => Ajv;
const addFormats: AddFormats =
  (addFormatsImport as unknown as { default?: AddFormats }).default ?? (addFormatsImport as unknown as AddFormats);

/** One ajv instance for the process: formats on, Singer/Meltano keywords (`secret`, ...) allowed. */
export function createAjv(options: { useDefaults?: boolean; ownProperties?: boolean } = {}): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: false, useDefaults: options.useDefaults ?? false, validateFormats: true, ownProperties: options.ownProperties ?? false });
  addFormats(ajv);
  // Every conformed date-time is RFC 3339 UTC, and most URIs are plain http(s) ones: one small regex
  // checks that shape, the full rules anything else.
  const dateTime = withFastPath(ajv.formats['date-time'], (value) => CANONICAL_UTC.test(value) && validDay(value));
  if (dateTime) ajv.addFormat('date-time', dateTime);
  const uri = withFastPath(ajv.formats.uri, (value) => COMMON_URI.test(value));
  if (uri) ajv.addFormat('uri', uri);
  return ajv;
}

const RFC3339_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

/** A date-time value as RFC 3339 UTC, which targets load as a timestamp without surprises. */
export function toUtc(value: JsonValue): JsonValue {
  // `2025-01-01T10:00Z` ends in Z but has no seconds: normalised too.
  if (typeof value === 'string' && RFC3339_UTC.test(value)) return value;
  const ms = instantMs(value);
  return ms === undefined ? value : new Date(ms).toISOString();
}

/**
 * Whether a value is of one of `types` as it is (an integer is a number too). Decided once per
 * property from `typeof`, not by naming each value's type: it runs for every field of every record.
 */
function acceptor(types: ReadonlySet<string>): (v: unknown) => boolean {
  const string = types.has('string');
  const number = types.has('number');
  const integer = types.has('integer');
  const boolean = types.has('boolean');
  const object = types.has('object');
  const array = types.has('array');
  const nil = types.has('null');
  return (v) => {
    switch (typeof v) {
      case 'string': return string;
      case 'number': return number || (integer && Number.isInteger(v));
      case 'bigint': return number || integer;
      case 'boolean': return boolean;
      case 'object': return v === null ? nil : Array.isArray(v) ? array : object;
      default: return false;
    }
  };
}

/** A numeric string as a number, or as an exact `bigint` when it is an integer beyond 2^53. */
function toNumber(v: string): JsonValue {
  if (/^-?\d{16,}$/.test(v.trim()) && !Number.isSafeInteger(Number(v))) return BigInt(v.trim()) as unknown as JsonValue;
  return Number(v);
}

/**
 * Coerces a value only when the schema does not accept it as it is: `"01234"` stays a string where
 * `["string", "integer"]` is allowed, and becomes 1234 where only a number is.
 */
function converterFor(schema: JsonSchema): Converter | undefined {
  const types = new Set(schemaTypes(schema));
  if (schemaFormats(schema).includes('date-time')) return toUtc;
  if (types.size === 0) return undefined;
  const accepts = acceptor(types);
  const numeric = types.has('integer') || types.has('number');
  const text = types.has('string');
  const bool = types.has('boolean');
  return (v) => {
    if (accepts(v)) return v;
    if (typeof v === 'string') {
      if (numeric && v.trim() !== '' && Number.isFinite(Number(v))) return toNumber(v);
      if (bool && (v === 'true' || v === 'false')) return v === 'true';
      return v;
    }
    if (text && (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint')) return String(v);
    return v;
  };
}

/**
 * Shapes a stream's records for its SCHEMA: keeps the selected properties, turns date-times into
 * UTC, numeric strings into numbers, then validates with a compiled ajv validator. A record that
 * still does not fit is a user-facing error naming stream, key and field.
 */
export class RecordConformer {
  private fields: string[] = [];
  private fieldSet = new Set<string>();
  private converters: Array<[string, Converter]> = [];
  private convertFields: (out: JsonObject) => void = () => undefined;
  private validator!: RecordValidator;
  /** A field or key is named like an Object.prototype member: fields are read as own properties only. */
  private inherited = false;

  private readonly deselected: string[][];
  private readonly known: Set<string> | undefined;
  private readonly unknownSeen = new Set<string>();
  /** Every field of the (projected) schema is a known one: one pass over a record finds both kinds of outsiders. */
  private knownHoldsFields = false;

  readonly stream: string;
  private readonly primaryKey: string[];
  private readonly options: ConformOptions;

  constructor(private readonly ajv: Ajv, of: ConformedStream) {
    const { stream, schema, primaryKey, ...options } = of;
    this.stream = stream;
    this.primaryKey = primaryKey;
    this.options = options;
    this.deselected = options.deselected ?? [];
    this.known = options.known ? new Set(options.known) : undefined;
    this.compile(schema);
  }

  /** Compiles the fields, converters and validator of `schema` (again when the schema widens). */
  private compile(schema: JsonSchema): void {
    this.fields = Object.keys(schema.properties ?? {});
    this.fieldSet = new Set(this.fields);
    this.converters = [];
    for (const [name, prop] of Object.entries(schema.properties ?? {})) {
      const c = converterFor(prop);
      if (c) this.converters.push([name, c]);
    }
    this.inherited = this.fields.some(isInheritedName) || this.primaryKey.some(isInheritedName);
    this.knownHoldsFields = this.known !== undefined && this.fields.every((f) => (this.known as Set<string>).has(f));
    if (!this.inherited) this.convertFields = compileFieldConverters(this.converters);
    try {
      this.validator = recordValidator(this.ajv, schema, () => createAjv({ ownProperties: true }));
    } catch (error) {
      throw new UserError(`stream '${this.stream}': its schema is not valid JSON Schema (${(error as Error).message})`);
    }
  }

  conform(record: JsonObject): JsonObject {
    try {
      return this.conformRecord(record);
    } catch (error) {
      throw error instanceof RangeError ? this.tooDeepError(record) : error;
    }
  }

  /** One line naming stream, key and field for a record nested too deeply to check or serialise. */
  tooDeepError(record: JsonObject): UserError {
    const field = this.fields.find((f) => tooDeep(fieldOf(record, f)));
    return new UserError(`stream '${this.stream}' record ${this.describeKey(record)}: field '${field ?? '?'}' is nested too deeply to be written`);
  }

  private conformRecord(record: JsonObject): JsonObject {
    // In place when the record holds only schema fields (the usual case: no copy per record).
    const outside = this.hasFieldsOutside(record);
    const out = this.deselected.length > 0 || outside ? this.project(record) : record;
    for (const path of this.deselected) dropPath(out, path);
    if (this.inherited) this.convertOwn(out);
    else this.convertFields(out);
    for (const k of this.primaryKey) {
      const v = this.inherited ? fieldOf(out, k) : out[k];
      if (v === undefined || v === null) throw new UserError(`stream '${this.stream}': a record has no value for key property '${k}' (${this.describeKey(record)})`);
    }
    // ajv knows no `bigint` (integers beyond 2^53): those records are checked with their nearest numbers.
    const { check, errors } = this.validator;
    if (!check(out) && !check(withNumbers(out))) {
      throw new UserError(`stream '${this.stream}' record ${this.describeKey(record)}: ${errors(out).slice(0, 3).join('; ')}`);
    }
    return out;
  }

  /** The converters, for a schema with a field named like an Object.prototype member (`__proto__`, `constructor`). */
  private convertOwn(out: JsonObject): void {
    for (const [f, convert] of this.converters) {
      const v = fieldOf(out, f);
      if (v !== undefined && v !== null) setField(out, f, convert(v));
    }
  }

  private project(record: JsonObject): JsonObject {
    const out: JsonObject = {};
    for (const f of this.fields) {
      const v = this.inherited ? fieldOf(record, f) : record[f];
      if (v !== undefined) setField(out, f, v);
    }
    return out;
  }

  /**
   * Whether the record has fields the (projected) schema lacks: it is then copied without them. Fields
   * the full schema lacks are said once per stream and field, never dropped silently, or widen the
   * schema. One pass over the record's fields where every schema field is a known one (always, for
   * the planner's conformers); two otherwise.
   */
  private hasFieldsOutside(record: JsonObject): boolean {
    const known = this.known;
    if (known === undefined || !this.knownHoldsFields) {
      if (known) this.checkUnknown(record);
      return this.outsideSchema(record);
    }
    let outside = false;
    let fresh: string[] | undefined;
    for (const k in record) {
      if (this.fieldSet.has(k)) continue;
      outside = true;
      if (known.has(k) || this.unknownSeen.has(k)) continue;
      this.unknownSeen.add(k);
      (fresh ??= []).push(k);
    }
    // Widened: the schema now has fields it lacked when the pass began.
    if (fresh && this.takeUnknown(record, fresh)) return this.outsideSchema(record);
    return outside;
  }

  private outsideSchema(record: JsonObject): boolean {
    for (const k in record) if (!this.fieldSet.has(k)) return true;
    return false;
  }

  /** Fields the full schema does not have, first seen in this record: said, or the schema widened. */
  private checkUnknown(record: JsonObject): void {
    const known = this.known as Set<string>;
    let fresh: string[] | undefined;
    for (const k in record) {
      if (known.has(k) || this.unknownSeen.has(k)) continue;
      this.unknownSeen.add(k);
      (fresh ??= []).push(k);
    }
    if (fresh) this.takeUnknown(record, fresh);
  }

  /** True when the schema was widened to `fresh`; otherwise each is said (and the record copied without it). */
  private takeUnknown(record: JsonObject, fresh: string[]): boolean {
    const widened = this.options.widen?.(record, fresh);
    if (widened) {
      for (const k of fresh) (this.known as Set<string>).add(k);
      this.compile(widened);
      return true;
    }
    for (const k of fresh) this.options.onUnknown?.(k);
    return false;
  }

  private describeKey(record: JsonObject): string {
    return this.primaryKey.map((k) => `${k}=${stringifyJson(fieldOf(record, k) ?? null)}`).join(', ') || '(no key)';
  }
}

/** The stream a conformer serves: its name, its (projected) schema and key, and how it treats what the schema lacks. */
export interface ConformedStream extends ConformOptions {
  stream: string;
  schema: JsonSchema;
  primaryKey: string[];
}

export interface ConformOptions {
  /** Nested fields deselected in the catalog (`["a", "b"]` is `record.a.b`; `"*"` steps into every array item). */
  deselected?: string[][];
  /** Every property of the stream's full schema: a record field outside it is reported through `onUnknown`. */
  known?: ReadonlySet<string>;
  onUnknown?: (field: string) => void;
  /**
   * Fields a record has and the schema lacks: the widened schema to conform to from this record on
   * (the caller announces it), or undefined to drop them (`onUnknown`).
   */
  widen?: (record: JsonObject, fields: string[]) => JsonSchema | undefined;
}

/** Removes `record.a.b` (copying the objects on the way, the record may share them with others). */
function dropPath(target: JsonObject, path: string[]): void {
  const [head, ...rest] = path;
  if (head === undefined || !hasField(target, head)) return;
  if (rest.length === 0) {
    delete target[head];
    return;
  }
  const step = (value: JsonValue, crumbs: string[]): JsonValue => {
    if (crumbs[0] === '*') return Array.isArray(value) ? value.map((item) => step(item, crumbs.slice(1))) : value;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
    const copy: JsonObject = { ...value };
    dropPath(copy, crumbs);
    return copy;
  };
  setField(target, head, step(target[head] as JsonValue, rest));
}

/** True when a value cannot be serialised for being nested too deeply. */
function tooDeep(value: unknown): boolean {
  try {
    JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? 0 : v));
    return false;
  } catch (error) {
    return error instanceof RangeError;
  }
}
