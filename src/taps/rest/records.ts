import { isJsonObject, type JsonObject } from '@singer-io-compatible/tap-kit';

/** Keys dlt looks for records under when a response has no `data_selector`. */
const RECORD_KEYS = ['data', 'items', 'results', 'records', 'entries', 'rows', 'objects', 'values', 'content', 'payload', 'entities', 'value'];

/**
 * dlt's record finding when no `data_selector` is given: the body itself when it is a list; else a
 * list under a usual key (`data`, `items`, `results`, ...), one level down too (`data.items`); else
 * the only list in the body; else the body as one record.
 */
export function findRecords(body: unknown): unknown {
  if (Array.isArray(body) || !isJsonObject(body)) return body;
  for (const key of RECORD_KEYS) if (Array.isArray(body[key])) return body[key];
  for (const key of RECORD_KEYS) {
    const inner = body[key];
    if (isJsonObject(inner)) for (const k of RECORD_KEYS) if (Array.isArray(inner[k])) return inner[k];
  }
  const lists = Object.values(body).filter((v) => Array.isArray(v) && v.every(isJsonObject));
  if (lists.length === 1) return lists[0];
  return body as JsonObject;
}
