import { fieldOf } from './own.js';
import { isQueryPath, queryPath } from './jsonpath.js';

/** JSON values as they come off the wire. */
export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

/** The subset of JSON Schema the kit reads (any other keyword is carried through untouched). */
export interface JsonSchema {
  type?: string | string[];
  format?: string;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  required?: string[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  enum?: JsonValue[];
  default?: JsonValue;
  description?: string;
  title?: string;
  $ref?: string;
  definitions?: Record<string, JsonSchema>;
  $defs?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  /** Singer/Meltano convention: the setting is a secret (redacted everywhere, `sensitive` in Meltano). */
  secret?: boolean;
  [keyword: string]: unknown;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Types of a schema as a list (`"string"` → `["string"]`). */
export function schemaTypes(schema: JsonSchema): string[] {
  if (Array.isArray(schema.type)) return schema.type;
  if (typeof schema.type === 'string') return [schema.type];
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants) return variants.flatMap(schemaTypes);
  return [];
}

/** Formats of a schema, including those of its `anyOf`/`oneOf` variants (`["null", {format: ...}]` unions). */
export function schemaFormats(schema: JsonSchema): string[] {
  const variants = schema.anyOf ?? schema.oneOf ?? [];
  return [schema.format, ...variants.map((s) => s.format)].filter((f): f is string => typeof f === 'string');
}

/**
 * Reads a value at a dotted path (`data.content`, `pagination.next`, `$.data`, `$`),
 * the record selector and cursor path syntax of every paginator.
 */
export function getPath(value: unknown, path: string): unknown {
  let p = path.trim();
  if (p === '$' || p === '') return value;
  // Wildcards, recursive descent, filters: every match as a list (a record selector's records), or
  // the one match alone (a next link found by `$..next`).
  if (isQueryPath(p.endsWith('[*]') ? p.slice(0, -3) : p)) {
    const matches = queryPath(value, p);
    return matches.length === 0 ? undefined : matches.length === 1 ? matches[0] : matches;
  }
  if (p.startsWith('$.')) p = p.slice(2);
  else if (p.startsWith('$[')) p = p.slice(1);
  if (p.endsWith('[*]')) p = p.slice(0, -3);
  let current: unknown = value;
  // `['@odata.nextLink']` names a key holding dots; `[0]` an index.
  // `[-1]` counts from the end (the last item's id, as Stripe-style cursors need).
  const parts = p.includes('[') ? [...p.matchAll(/\[\s*['"]([^'"]*)['"]\s*\]|\[\s*(-?\d+)\s*\]|([^.[\]]+)/g)].map((m) => m[1] ?? m[2] ?? m[3] ?? '') : p.split('.');
  for (const part of parts) {
    if (current === null || current === undefined) return undefined;
    if (Array.isArray(current) && /^-?\d+$/.test(part)) current = current.at(Number(part));
    else if (typeof current === 'object') current = fieldOf(current as Record<string, unknown>, part);
    else return undefined;
  }
  return current;
}

/** How deeply a value nests (a scalar is 0), counted without recursion and only up to `limit + 1`. */
export function nestingDepth(value: unknown, limit = 1000): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop() as [unknown, number];
    if (typeof v !== 'object' || v === null) continue;
    if (depth + 1 > deepest) deepest = depth + 1;
    if (deepest > limit) return deepest;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return deepest;
}
