import { isJsonObject, type JsonObject } from '../core/json.js';
import { fieldOf, hasField, setField } from '../core/own.js';

/**
 * An item that wraps its resource, with metadata beside it (`{project: {...}, createdAt, lastModifiedAt}`
 * in Harness's lists), as one flat record: the resource's fields, then the metadata it does not have.
 * An item without the wrapper is returned as it is.
 */
export function unwrap(item: JsonObject, key: string): JsonObject {
  const inner = fieldOf(item, key);
  if (!isJsonObject(inner)) return item;
  const out: JsonObject = { ...inner };
  for (const [k, v] of Object.entries(item)) if (k !== key && !hasField(out, k)) setField(out, k, v);
  return out;
}
