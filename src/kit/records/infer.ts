import { isJsonObject, schemaTypes, type JsonSchema } from '../core/json.js';
import { fieldOf, setField } from '../core/own.js';

/**
 * JSON Schema inference from sample records (declarative taps discover their streams this way).
 * Types only widen as values are seen (integer then number is number; a date-time then a plain
 * string is a string); every inferred field is nullable, since a sample cannot prove a field is
 * never null; objects and arrays are inferred recursively.
 */
type Kind = 'null' | 'boolean' | 'integer' | 'number' | 'string' | 'object' | 'array';

interface Node {
  kinds: Set<Kind>;
  /** `date-time` while every string seen was one; null once any other string was seen. */
  format?: string | null;
  properties?: Map<string, Node>;
  items?: Node;
}

const DATE_TIME = /^\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)$/i;

function kindOf(v: unknown): Kind {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  // Integers beyond 2^53 arrive as exact bigints (jsontext.ts).
  if (typeof v === 'bigint') return 'integer';
  if (typeof v === 'string') return 'string';
  if (Array.isArray(v)) return 'array';
  return 'object';
}

function observe(node: Node, value: unknown): void {
  const kind = kindOf(value);
  node.kinds.add(kind);
  if (kind === 'string') {
    const dt = DATE_TIME.test(value as string) ? 'date-time' : null;
    node.format = node.format === undefined ? dt : node.format === dt ? dt : null;
  } else if (kind === 'object') {
    node.properties ??= new Map();
    for (const [k, v] of Object.entries(value as object)) {
      let child = node.properties.get(k);
      if (!child) node.properties.set(k, (child = { kinds: new Set() }));
      observe(child, v);
    }
  } else if (kind === 'array') {
    node.items ??= { kinds: new Set() };
    for (const v of value as unknown[]) observe(node.items, v);
  }
}

function toSchema(node: Node): JsonSchema {
  const kinds = new Set(node.kinds);
  if (kinds.has('number')) kinds.delete('integer');
  kinds.delete('null');
  if (kinds.size === 0) return {};
  const order: Kind[] = ['object', 'array', 'string', 'number', 'integer', 'boolean'];
  const types = order.filter((k) => kinds.has(k));
  const schema: JsonSchema = { type: [...types, 'null'] };
  if (types.length === 1 && types[0] === 'string' && node.format) schema.format = node.format;
  if (kinds.has('object')) schema.properties = Object.fromEntries([...(node.properties ?? new Map<string, Node>())].map(([k, n]) => [k, toSchema(n)]));
  if (kinds.has('array')) schema.items = node.items && node.items.kinds.size ? toSchema(node.items) : {};
  return schema;
}

/** Accumulates records; `schema()` is the narrowest schema that accepts every one of them. */
export class SchemaInferrer {
  private readonly root: Node = { kinds: new Set(['object']), properties: new Map() };
  count = 0;

  add(record: Record<string, unknown>): void {
    this.count++;
    observe(this.root, record);
  }

  schema(): JsonSchema {
    const out = toSchema(this.root);
    return { type: 'object', properties: out.properties ?? {} };
  }
}

export function inferSchema(records: Iterable<Record<string, unknown>>): JsonSchema {
  const inferrer = new SchemaInferrer();
  for (const r of records) inferrer.add(r);
  return inferrer.schema();
}

/**
 * The union of two schemas of one field, never narrower than either: types are united (integer
 * widens to number), a format survives only when both agree, object properties merge recursively.
 */
export function widenSchema(a: JsonSchema, b: JsonSchema): JsonSchema {
  const ta = schemaTypes(a);
  const tb = schemaTypes(b);
  if (ta.length === 0 && Object.keys(a).length === 0) return a;
  if (tb.length === 0 && Object.keys(b).length === 0) return b;
  const types = new Set([...ta, ...tb]);
  if (types.has('number')) types.delete('integer');
  const out: JsonSchema = { ...a, ...b, type: [...types] };
  if (a.format !== b.format) delete out.format;
  if (isJsonObject(a.properties) || isJsonObject(b.properties)) {
    const props: Record<string, JsonSchema> = { ...a.properties };
    for (const [k, v] of Object.entries(b.properties ?? {})) {
      const mine = fieldOf(props, k);
      setField(props, k, mine ? widenSchema(mine, v) : v);
    }
    out.properties = props;
  }
  if (a.items && b.items) out.items = widenSchema(a.items as JsonSchema, b.items as JsonSchema);
  return out;
}
