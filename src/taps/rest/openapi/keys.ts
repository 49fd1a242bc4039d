import { isJsonObject, type JsonSchema } from '@singer-io-compatible/tap-kit';
import type { RefResolver } from './refs.js';
import { rawProperties, rawRequired } from './raw.js';

export interface KeyGuess {
  key: string[];
  why: string;
}

function scalar(s: JsonSchema | undefined): boolean {
  const t = !s ? [] : Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
  return t.some((x) => x === 'string' || x === 'integer' || x === 'number');
}

/** `repositories` → `repository`, `users` → `user`, `statuses` → `status`. */
export function singular(word: string): string {
  if (/ies$/.test(word)) return word.replace(/ies$/, 'y');
  if (/(ss|x|ch|sh|us)es$/.test(word)) return word.replace(/es$/, '');
  if (/s$/.test(word) && !/ss$/.test(word)) return word.slice(0, -1);
  return word;
}

/**
 * A record's primary key from its schema: `id`; else `<name>_id` / `<name>Id` (the resource's singular
 * name); else `key`, `uuid`, `guid`, `_id`, `sid` (Twilio), `slug`; else the one field in uuid format; else the one
 * required `*_id`/`*Id` field. Only top-level scalar fields. `pathVar`: the placeholder that names one
 * entity in its path (`/users/{user_id}` reads the user whose `user_id` it is), tried after `id`.
 */
export function detectPrimaryKey(record: JsonSchema, rawRecord: unknown, resource: string, refs: RefResolver, pathVar?: string): KeyGuess | undefined {
  const props = record.properties ?? {};
  const raw = rawProperties(rawRecord, refs);
  // A field the document says may be null is never a key (the kit refuses a record without its key).
  const nullable = (k: string) => {
    const r = raw.get(k);
    return isJsonObject(r) && (r.nullable === true || (Array.isArray(r.type) && r.type.includes('null')));
  };
  const names = Object.keys(props).filter((k) => scalar(props[k]) && !nullable(k));
  const has = (n: string) => names.find((k) => k === n) ?? names.find((k) => k.toLowerCase() === n.toLowerCase());
  const id = has('id');
  if (id) return { key: [id], why: `'${id}'` };
  const byPath = pathVar ? has(pathVar) : undefined;
  if (byPath) return { key: [byPath], why: `'${byPath}' (the path's placeholder {${pathVar}} names one record by it)` };
  const one = singular(resource.split('_').at(-1) ?? resource);
  for (const n of [`${one}_id`, `${one}Id`, `${one}ID`, `${resource}_id`]) {
    const k = has(n);
    if (k) return { key: [k], why: `'${k}' (named after the resource)` };
  }
  for (const n of ['key', 'uuid', 'guid', '_id', 'sid', 'slug', 'identifier']) {
    const k = has(n);
    if (k) return { key: [k], why: `'${k}'` };
  }
  const uuids = names.filter((k) => {
    const r = raw.get(k);
    return isJsonObject(r) && r.format === 'uuid';
  });
  if (uuids.length === 1) return { key: uuids, why: `'${uuids[0]}' (the one uuid field)` };
  const required = new Set(rawRequired(rawRecord, refs));
  const ids = names.filter((k) => required.has(k) && /(_id|Id|ID)$/.test(k));
  if (ids.length === 1) return { key: ids, why: `'${ids[0]}' (the one required id field, a guess)` };
  return undefined;
}
