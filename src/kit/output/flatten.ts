import { UserError } from '../core/errors.js';
import { isJsonObject, schemaTypes, type JsonObject, type JsonSchema, type JsonValue } from '../core/json.js';
import { stringifyJson } from '../core/jsontext.js';
import type { OutputStream } from './stage.js';
import { hasField, setField } from '../core/own.js';

/**
 * Schema flattening with the Meltano SDK's rules (`flattening_enabled`, `flattening_max_depth`,
 * `flattening_separator`, `flattening_max_key_length`): an object property with declared
 * properties, above the maximum depth, becomes one column per sub-property (`parent__child`);
 * arrays, and objects without declared properties or at the maximum depth, become JSON text in a
 * (nullable) string column. Records take the same walk. Top-level names (key properties) stay as
 * they are; a name produced twice is an error.
 */
export interface FlatteningOptions {
  maxDepth: number;
  separator: string;
  maxKeyLength: number;
}

export interface FlatteningSettings {
  flattening_enabled?: unknown;
  flattening_max_depth?: unknown;
  flattening_separator?: unknown;
  flattening_max_key_length?: unknown;
}

/** The options when flattening is on (and the depth above 0), else undefined. */
export function flatteningOptions(s: FlatteningSettings): FlatteningOptions | undefined {
  if (s.flattening_enabled !== true) return undefined;
  if (typeof s.flattening_max_depth !== 'number') {
    throw new UserError('config: flattening_max_depth is required when flattening_enabled is true (e.g. 1: one level of nested objects becomes columns)');
  }
  if (s.flattening_max_depth <= 0) return undefined;
  return {
    maxDepth: s.flattening_max_depth,
    separator: typeof s.flattening_separator === 'string' ? s.flattening_separator : '__',
    maxKeyLength: typeof s.flattening_max_key_length === 'number' ? s.flattening_max_key_length : 255,
  };
}

/** `snake_case` → `SnakeCase` (Python inflection's camelize). */
const camelize = (s: string) => s.replace(/(?:^|_)(.)/g, (_m, c: string) => c.toUpperCase());

/**
 * `parent__child`; a name reaching the maximum length is shortened from the outermost part inwards,
 * each part to its capitals (`customer_address` → `ca`) or its first three letters, as the SDK does.
 */
export function flattenKey(key: string, parents: readonly string[], o: Pick<FlatteningOptions, 'separator' | 'maxKeyLength'>): string {
  const parts = [...parents, key];
  for (let i = 0; parts.join(o.separator).length >= o.maxKeyLength && i < parts.length; i++) {
    const part = parts[i] as string;
    const reduced = camelize(part).replace(/[a-z]/g, '');
    parts[i] = (reduced.length > 1 ? reduced : part.slice(0, 3)).toLowerCase();
  }
  return parts.join(o.separator);
}

function flattenProperties(node: JsonSchema, parents: string[], level: number, o: FlatteningOptions, out: Array<[string, JsonSchema]>): void {
  for (const [name, field] of Object.entries(node.properties ?? {})) {
    const key = flattenKey(name, parents, o);
    if (field.type !== undefined) {
      const types = schemaTypes(field);
      if (types.includes('object') && field.properties && level < o.maxDepth) {
        flattenProperties(field, [...parents, name], level + 1, o, out);
      } else if (types.includes('array') || types.includes('object')) {
        out.push([key, { type: types.includes('null') ? ['string', 'null'] : 'string' }]);
      } else out.push([key, field]);
    } else {
      const composite = (field.anyOf ?? field.oneOf) as JsonSchema[] | undefined;
      const first = composite?.[0];
      const t = first ? schemaTypes(first)[0] : undefined;
      if (first && (t === 'array' || t === 'object')) out.push([key, { type: ['string', 'null'] }]);
      else if (first && t) out.push([key, { ...first, type: [t, 'null'] }]);
      else out.push([key, { type: ['string', 'null'] }]);
    }
  }
}

export function flattenSchema(schema: JsonSchema, o: FlatteningOptions, stream: string): JsonSchema {
  const items: Array<[string, JsonSchema]> = [];
  flattenProperties(schema, [], 0, o, items);
  const props: Record<string, JsonSchema> = {};
  for (const [k, v] of items) {
    if (hasField(props, k)) throw new UserError(`stream '${stream}': flattening produces the column '${k}' twice; change flattening_separator or flattening_max_depth, or rename one property with stream_maps`);
    setField(props, k, v);
  }
  const out: JsonSchema = { ...schema, properties: props };
  if (Array.isArray(schema.required)) out.required = schema.required.filter((r) => hasField(props, r));
  return out;
}

/** Flattens one record against its flattened schema (JSON text keeps integers beyond 2^53 exact). */
export function flattenRecord(record: JsonObject, flat: JsonSchema, o: FlatteningOptions): JsonObject {
  const out: JsonObject = {};
  const props = flat.properties ?? {};
  const walk = (node: JsonObject, parents: string[], level: number) => {
    for (const k in node) {
      const v = node[k] as JsonValue;
      const key = parents.length === 0 && k.length < o.maxKeyLength ? k : flattenKey(k, parents, o);
      if (isJsonObject(v) && !hasField(props, key) && level < o.maxDepth) walk(v, [...parents, k], level + 1);
      else setField(out, key, v !== null && typeof v === 'object' ? stringifyJson(v) : v);
    }
  };
  walk(record, [], 0);
  return out;
}

/** Flattens an output stream (after its maps). */
export function flattenOutput(stream: OutputStream, o: FlatteningOptions): OutputStream {
  const schema = flattenSchema(stream.schema, o, stream.name);
  const inner = stream.record;
  return { ...stream, schema, record: (r) => { const m = inner(r); return m && flattenRecord(m, schema, o); } };
}
