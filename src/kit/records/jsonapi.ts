import { isJsonObject, type JsonObject, type JsonValue } from '../core/json.js';

/** A JSON:API resource identifier (`{id, type}` plus optional `meta`). */
export interface ResourceRef {
  id: string;
  type: string;
  meta?: JsonObject;
}

/**
 * `{id, type, attributes: {...}}` → `{...attributes, id, type}`: the record shape targets load. The
 * item's own `attributes` object becomes the record (no copy of every field per record), so read
 * what you need from `item.attributes` before flattening, or flatten last.
 */
export function jsonApiFlatten(item: JsonObject): JsonObject {
  const record: JsonObject = isJsonObject(item.attributes) ? item.attributes : {};
  record.id = item.id ?? null;
  record.type = item.type ?? null;
  return record;
}

/**
 * The resources a relationship points at, whatever its shape: a single object, a list, or null/absent
 * (the reference Better Stack connector read only lists, so single-object relations were lost).
 */
export function relationshipRefs(item: JsonObject, name: string): ResourceRef[] {
  const rel = isJsonObject(item.relationships) ? item.relationships[name] : undefined;
  const data: JsonValue | undefined = isJsonObject(rel) ? rel.data : undefined;
  const list = Array.isArray(data) ? data : isJsonObject(data) ? [data] : [];
  const refs: ResourceRef[] = [];
  for (const d of list) {
    if (!isJsonObject(d) || d.id === undefined || d.id === null) continue;
    const ref: ResourceRef = { id: String(d.id), type: String(d.type ?? '') };
    if (isJsonObject(d.meta)) ref.meta = d.meta;
    refs.push(ref);
  }
  return refs;
}

/** The `included` resource for a reference, from a JSON:API response body. */
export function findIncluded(body: unknown, ref: ResourceRef, types: readonly string[] = [ref.type]): JsonObject | undefined {
  const included = isJsonObject(body) && Array.isArray(body.included) ? body.included : [];
  for (const inc of included) {
    if (isJsonObject(inc) && String(inc.id) === ref.id && types.includes(String(inc.type))) return inc;
  }
  return undefined;
}

/** A string that holds JSON (some APIs double-encode objects) decoded; anything else as it is. */
export function decodeJsonString(value: JsonValue | undefined): JsonValue | undefined {
  if (typeof value !== 'string') return value;
  const t = value.trim();
  if (!t.startsWith('{') && !t.startsWith('[')) return value;
  try {
    return JSON.parse(t) as JsonValue;
  } catch {
    return value;
  }
}
