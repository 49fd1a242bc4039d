import type { JSONPath } from 'jsonpath-plus';
import { UserError } from './errors.js';
import { loadJsonPath } from './jsonpath-engine.js';

/** The engine, loaded by the first query path (see jsonpath-engine.ts). */
let engine: typeof JSONPath | undefined;

/**
 * JSONPath beyond plain steps, as dlt reads its selectors and paths (jsonpath-ng): wildcards
 * (`groups[*].members[*]`, `$.*`), recursive descent (`$..records`), filters
 * (`$.data[?(@.active == true)]`), slices and unions (`[0:2]`, `[0,1]`). Plain paths (`data`,
 * `$.pagination.next`, `['@odata.nextLink']`, `data[-1].id`) never come here: the kit reads them
 * step by step, which is what every record's cursor needs to be fast.
 */
const QUERY = /\*|\.\.|\[\s*\?|\[[^\]'"]*[:,][^\]'"]*\]/;

/** Whether `path` needs a JSONPath engine (see QUERY). */
export function isQueryPath(path: string): boolean {
  let known = seen.get(path);
  if (known === undefined) {
    known = QUERY.test(path);
    if (seen.size < 1000) seen.set(path, known);
  }
  return known;
}

/** Paths already classified (a tap reads the same few paths for every record). */
const seen = new Map<string, boolean>();

/** Every value `path` matches in `value`, in document order (the `$` prefix is optional). */
export function queryPath(value: unknown, path: string): unknown[] {
  const p = path.trim();
  const full = p.startsWith('$') ? p : p.startsWith('[') ? `$${p}` : `$.${p}`;
  if (value === null || typeof value !== 'object') return [];
  // jsonpath-plus evaluates filters with its own safe interpreter (no JavaScript eval).
  let found: unknown;
  try {
    found = (engine ??= loadJsonPath())({ path: full, json: value as object, wrap: true, eval: 'safe' });
  } catch (error) {
    throw new UserError(`JSONPath '${path}' cannot be read: ${(error as Error).message.split('\n')[0]}`);
  }
  return Array.isArray(found) ? found : [];
}
