import { isJsonObject, type JsonObject } from './json.js';

/**
 * An item that wraps its resource, with metadata beside it (`{project: {...}, createdAt, lastModifiedAt}`
 * in Harness's lists), as one flat record: the resource's fields, then the metadata it does not have.
 * An item without the wrapper is returned as it is.
 */
export function unwrap(item: JsonObject, key: string): JsonObject {
  const inner = item[key];
  if (!isJsonObject(inner)) return item;
  const out: JsonObject = { ...inner };
  for (const [k, v] of Object.entries(item)) if (k !== key && !(k in out)) out[k] = v;
  return out;
}
