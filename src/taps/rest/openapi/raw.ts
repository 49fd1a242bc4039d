import { isJsonObject, type JsonObject, type JsonSchema } from '@singer-io-compatible/tap-kit';
import type { RefResolver } from './refs.js';

/** A raw object schema's properties, `allOf` parts merged and `$ref`s followed (one level). */
export function rawProperties(node: unknown, refs: RefResolver, depth = 0): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const n = refs.deref(node);
  if (!isJsonObject(n) || depth > 8) return out;
  for (const part of Array.isArray(n.allOf) ? n.allOf : []) for (const [k, v] of rawProperties(part, refs, depth + 1)) out.set(k, v);
  if (isJsonObject(n.properties)) for (const [k, v] of Object.entries(n.properties)) out.set(k, refs.deref(v));
  return out;
}

/** A raw object schema's required properties, `allOf` parts included. */
export function rawRequired(node: unknown, refs: RefResolver, depth = 0): string[] {
  const n = refs.deref(node);
  if (!isJsonObject(n) || depth > 8) return [];
  const own = Array.isArray(n.required) ? n.required.filter((x): x is string => typeof x === 'string') : [];
  return [...own, ...(Array.isArray(n.allOf) ? n.allOf.flatMap((p) => rawRequired(p, refs, depth + 1)) : [])];
}

/** The JSON types a schema names in its own `type` (a string or a list; `anyOf`/`oneOf` not followed). */
export function declaredTypes(schema: JsonSchema | JsonObject | undefined): string[] {
  const t = schema?.type;
  return typeof t === 'string' ? [t] : Array.isArray(t) ? t.flatMap((x: unknown) => (typeof x === 'string' ? [x] : [])) : [];
}
