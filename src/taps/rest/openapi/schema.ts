import { isJsonObject, widenSchema, type JsonObject, type JsonSchema, type JsonValue } from '@singer-io-compatible/tap-kit';
import type { RefResolver } from './refs.js';

/** Deeper than this, a schema is cut to an object (documents with huge nested trees stay small). */
const MAX_DEPTH = 12;
/** References followed in one chain before the rest is cut to an object: Stripe's expandable fields nest every object in every other. */
const MAX_REFS = 4;
/** Schema nodes one conversion writes at most; past it, the rest is cut to objects (a catalog must stay a readable size). */
const MAX_NODES = 4_000;
/** What a cut cycle becomes: an object whose content is kept as is. */
const CUT: JsonSchema = { type: ['object', 'null'] };
/** What a schema past the depth, reference or size bounds becomes: any value (it may be a string or a list as well as an object). */
const ANY: JsonSchema = {};

/** Formats a Singer target makes a column type of; the others (email, uri, uuid...) are left out so a sloppy value never stops a run. */
const KEPT_FORMATS = new Set(['date-time', 'date', 'time']);
const JSON_TYPES = new Set(['object', 'array', 'string', 'number', 'integer', 'boolean', 'null']);

export interface ConvertStats {
  cycles: number;
}

function typesOf(s: JsonSchema): string[] {
  return Array.isArray(s.type) ? s.type : typeof s.type === 'string' ? [s.type] : [];
}

function withNull(s: JsonSchema): JsonSchema {
  const t = typesOf(s);
  if (t.length === 0) return s;
  const out: JsonSchema = { ...s, type: t.includes('null') ? t : [...t, 'null'] };
  if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  return out;
}

/** allOf: every part's properties together (a later part's property merged into an earlier one's), types intersected. */
function mergeAll(parts: JsonSchema[]): JsonSchema {
  let out: JsonSchema = {};
  for (const p of parts) {
    if (Object.keys(p).length === 0) continue;
    if (Object.keys(out).length === 0) {
      out = { ...p };
      continue;
    }
    const ta = typesOf(out);
    const tb = typesOf(p);
    const both = ta.length && tb.length ? ta.filter((t) => tb.includes(t) || (t === 'number' && tb.includes('integer'))) : [...ta, ...tb];
    const merged: JsonSchema = { ...out, ...p };
    if (both.length) merged.type = [...new Set(both)];
    else delete merged.type;
    if (out.properties || p.properties) {
      const props: Record<string, JsonSchema> = { ...out.properties };
      for (const [k, v] of Object.entries(p.properties ?? {})) props[k] = props[k] ? mergeAll([props[k] as JsonSchema, v]) : v;
      merged.properties = props;
      if (!merged.type) merged.type = ['object', 'null'];
    }
    if (out.items && p.items) merged.items = mergeAll([out.items, p.items]);
    if (out.format !== p.format && out.format && p.format) delete merged.format;
    out = merged;
  }
  return out;
}

/** oneOf/anyOf: any variant's value fits (kit's widening: types united, object properties united). */
function widenAll(parts: JsonSchema[]): JsonSchema {
  if (parts.some((p) => Object.keys(p).length === 0 || typesOf(p).length === 0)) return {};
  let out = parts[0] as JsonSchema;
  for (const p of parts.slice(1)) out = widenSchema(out, p);
  if (Array.isArray(out.enum)) delete out.enum;
  return out;
}

/**
 * An OpenAPI schema (3.0 or 3.1) as a Singer JSON Schema for records read from the API: `$ref`
 * resolved (a reference back into its own chain is cut to an object), `allOf` merged, `oneOf`/`anyOf`
 * widened, `nullable` and 3.1 type arrays as type lists, `date-time`/`date`/`time` formats kept,
 * int32/int64 as integer, enums kept. Every field may be null: documents say `required` and omit
 * `nullable` far more often than APIs honour them, and a null must not stop a run (key fields are
 * made non-null by the caller). `writeOnly` properties are not in a response.
 */
export function convertSchema(node: unknown, refs: RefResolver, stats: ConvertStats = { cycles: 0 }): JsonSchema {
  let nodes = 0;
  const walk = (raw: unknown, chain: string[], depth: number): JsonSchema => {
    // The budget spares the first levels: the body, its list and the record's own fields are always written.
    if (depth > MAX_DEPTH || (depth > 4 && ++nodes > MAX_NODES)) return ANY;
    if (isJsonObject(raw) && typeof raw.$ref === 'string' && chain.length >= MAX_REFS && !chain.includes(raw.$ref)) return ANY;
    let n: unknown = raw;
    const seen = [...chain];
    while (isJsonObject(n) && typeof n.$ref === 'string') {
      if (seen.includes(n.$ref)) {
        stats.cycles++;
        return CUT;
      }
      seen.push(n.$ref);
      n = refs.pointer(n.$ref);
    }
    if (n === true || n === undefined) return {};
    if (!isJsonObject(n)) return {};
    const s = n as JsonObject;
    const next = (x: unknown) => walk(x, seen, depth + 1);
    let out: JsonSchema;
    if (Array.isArray(s.allOf) && s.allOf.length) {
      const own: JsonObject = { ...s };
      delete own.allOf;
      out = mergeAll([...s.allOf.map(next), ...(Object.keys(own).length > (own.description ? 1 : 0) ? [walk(own, seen, depth)] : [])]);
    } else if ((Array.isArray(s.oneOf) && s.oneOf.length) || (Array.isArray(s.anyOf) && s.anyOf.length)) {
      const variants = [...((s.oneOf as unknown[]) ?? []), ...((s.anyOf as unknown[]) ?? [])];
      const own: JsonObject = { ...s };
      delete own.oneOf;
      delete own.anyOf;
      const widened = widenAll(variants.map(next));
      out = own.properties || own.type ? mergeAll([walk(own, seen, depth), widened]) : widened;
    } else {
      out = plain(s, next);
    }
    if (s.nullable === true || (Array.isArray(s.type) && s.type.includes('null'))) out = withNull(out);
    if (typeof s.description === 'string' && s.description && !out.description) out.description = s.description.split('\n')[0]?.slice(0, 200) as string;
    return withNull(out);
  };
  return walk(node, [], 0);
}

/** A schema without combinators. */
function plain(s: JsonObject, next: (x: unknown) => JsonSchema): JsonSchema {
  const declared = (Array.isArray(s.type) ? s.type : typeof s.type === 'string' ? [s.type] : []).filter((t): t is string => typeof t === 'string' && JSON_TYPES.has(t));
  let types = declared.filter((t) => t !== 'null');
  if (types.length === 0) {
    if (isJsonObject(s.properties)) types = ['object'];
    else if (s.items !== undefined) types = ['array'];
    else if (Array.isArray(s.enum) && s.enum.length) types = [...new Set(s.enum.filter((v) => v !== null).map((v) => (typeof v === 'number' ? (Number.isInteger(v) ? 'integer' : 'number') : typeof v === 'boolean' ? 'boolean' : typeof v === 'string' ? 'string' : 'object')))];
    else return {};
  }
  const out: JsonSchema = { type: types };
  if (types.includes('object') && isJsonObject(s.properties)) {
    const props: Record<string, JsonSchema> = {};
    for (const [k, v] of Object.entries(s.properties)) {
      if (isJsonObject(v) && v.writeOnly === true) continue;
      props[k] = next(v);
    }
    out.properties = props;
  }
  if (types.includes('array')) out.items = s.items === undefined ? {} : next(Array.isArray(s.items) ? s.items[0] : s.items);
  const format = typeof s.format === 'string' ? s.format : undefined;
  if (format && types.includes('string') && KEPT_FORMATS.has(format)) out.format = format;
  if ((format === 'int64' || format === 'int32') && types.includes('number')) out.type = types.map((t) => (t === 'number' ? 'integer' : t));
  if (Array.isArray(s.enum) && s.enum.length && types.every((t) => t === 'string' || t === 'integer' || t === 'number' || t === 'boolean')) {
    const values = s.enum.filter((v) => v !== null && ['string', 'number', 'boolean'].includes(typeof v)) as JsonValue[];
    if (values.length === s.enum.filter((v) => v !== null).length && values.every((v) => fits(v, types))) out.enum = values;
  }
  return out;
}

function fits(v: JsonValue, types: string[]): boolean {
  if (typeof v === 'string') return types.includes('string');
  if (typeof v === 'boolean') return types.includes('boolean');
  if (typeof v === 'number') return types.includes('number') || (types.includes('integer') && Number.isInteger(v));
  return false;
}
