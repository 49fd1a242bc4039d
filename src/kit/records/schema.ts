import { readFileSync } from 'node:fs';
import { isJsonObject, schemaTypes, schemaFormats, type JsonSchema } from '../core/json.js';
import { UserError } from '../core/errors.js';
import { fieldOf, setField } from '../core/own.js';

/** Reads one stream schema file from a tap's `catalogs/<tap>/` folder, with local `$ref`s inlined. */
export function loadSchemaFile(file: URL | string): JsonSchema {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UserError(`schema file ${String(file)} is unreadable: ${(error as Error).message}`);
  }
  if (!isJsonObject(parsed)) throw new UserError(`schema file ${String(file)} is not a JSON object`);
  // `$schema` documents the file's draft; SCHEMA messages carry the schema itself, as SDK taps do.
  const { $schema: _draft, ...schema } = parsed;
  return resolveRefs(schema as JsonSchema);
}

/** Inlines `#/definitions/...` and `#/$defs/...` references (Singer SCHEMA messages carry no `$ref`). */
export function resolveRefs(root: JsonSchema): JsonSchema {
  const lookup = (ref: string, seen: Set<string>): unknown => {
    if (!ref.startsWith('#/')) throw new UserError(`unsupported $ref '${ref}': only local references are resolved`);
    if (seen.has(ref)) throw new UserError(`recursive $ref '${ref}' cannot be inlined for a Singer schema`);
    let node: unknown = root;
    for (const part of ref.slice(2).split('/')) node = isJsonObject(node) ? node[part] : undefined;
    if (!isJsonObject(node)) throw new UserError(`$ref '${ref}' points at nothing`);
    return walk(node, new Set([...seen, ref]));
  };
  // `propertyMap`: node is a `properties` object, whose keys are field names (a field may be called "definitions").
  // Any JSON value in, the same value with its references inlined out.
  const walk = (node: unknown, seen: Set<string>, propertyMap = false): unknown => {
    if (Array.isArray(node)) return node.map((n) => walk(n, seen));
    if (!isJsonObject(node)) return node;
    if (typeof node.$ref === 'string') {
      const { $ref, ...rest } = node;
      return { ...(lookup($ref, seen) as object), ...(walk(rest, seen) as object) };
    }
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      if (!propertyMap && (key === 'definitions' || key === '$defs')) continue;
      const isMap = !propertyMap && (key === 'properties' || key === 'patternProperties');
      setField(out, key, typeof value === 'object' && value !== null ? walk(value, seen, isMap) : value);
    }
    return out;
  };
  return walk(root, new Set()) as JsonSchema;
}

/** How values of a replication key compare: as instants, as numbers, or as strings. */
export type KeyKind = 'datetime' | 'number' | 'string';

export function keyKind(schema: JsonSchema | undefined): KeyKind {
  if (!schema) return 'string';
  const types = schemaTypes(schema).filter((t) => t !== 'null');
  if (types.includes('integer') || types.includes('number')) return 'number';
  const formats = schemaFormats(schema);
  if (formats.includes('date-time') || formats.includes('date')) return 'datetime';
  return 'string';
}

/** The schema restricted to the given top-level properties (order kept), without the deselected nested fields. */
export function projectSchema(schema: JsonSchema, fields: ReadonlySet<string>, deselected: readonly string[][] = []): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const [name, prop] of Object.entries(schema.properties ?? {})) if (fields.has(name)) setField(properties, name, prop);
  let out: JsonSchema = { ...schema, properties };
  if (schema.required) out.required = schema.required.filter((r) => fields.has(r));
  for (const path of deselected) out = withoutPath(out, path);
  return out;
}

/** A copy of an object schema without `properties.a.properties.b` (`*` steps into `items`; `anyOf` variants followed). */
function withoutPath(schema: JsonSchema, path: readonly string[]): JsonSchema {
  const [head, ...rest] = path;
  if (head === undefined) return schema;
  const out: JsonSchema = { ...schema };
  for (const key of ['anyOf', 'oneOf'] as const) {
    if (schema[key]) out[key] = schema[key].map((s) => withoutPath(s, path));
  }
  if (head === '*') {
    if (schema.items) out.items = withoutPath(schema.items, rest);
    return out;
  }
  const prop = schema.properties ? fieldOf(schema.properties, head) : undefined;
  if (!prop || !schema.properties) return out;
  const properties = { ...schema.properties };
  if (rest.length === 0) {
    delete properties[head];
    if (schema.required) out.required = schema.required.filter((r) => r !== head);
  } else setField(properties, head, withoutPath(prop, rest));
  out.properties = properties;
  return out;
}
