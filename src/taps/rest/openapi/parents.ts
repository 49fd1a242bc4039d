import type { JsonObject, JsonSchema } from '@singer-io-compatible/tap-kit';
import { singular } from './keys.js';
import { declaredTypes } from './raw.js';

/** A list resource as the parent detector sees it (only lists are parents). */
export interface ParentCandidate {
  name: string;
  path: string;
  record: JsonSchema;
  primaryKey?: string[];
}

export interface ParentLink {
  parent: string;
  /** Path parameter → the parent record's field it takes. */
  fields: Record<string, string>;
  why: string;
}

function clean(path: string): string {
  return path.replace(/\/+$/, '') || '/';
}

/** A path with its static segments singular (`/pokemons` and `/pokemon` alike), placeholders kept. */
function singularPath(path: string): string {
  return clean(path).split('/').map((s) => (s.startsWith('{') ? s : singular(s.toLowerCase()))).join('/');
}

/** Lower case, letters and digits only (`credit_note`, `creditNote` alike). */
const flat = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * The parent field a path parameter takes: the same name, `id` for `{id}`/`{user_id}`/`{userId}` of `users`,
 * the parent's key for its own singular name (`{customer}` of `/customers`, `{credit_note}` of `/credit_notes`;
 * not a numeric key for a placeholder typed as a string: that names the record another way, GitHub's
 * `{assignee}` is a login), else the parent's key for an id-like name. `schema`: the parameter's.
 */
export function parentField(param: string, parent: ParentCandidate, schema?: JsonObject): string | undefined {
  // A placeholder takes a plain field name only (`$id` or `a.b` would be read as a JSONPath by dlt).
  const props = Object.keys(parent.record.properties ?? {}).filter((p) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(p));
  if (props.includes(param)) return param;
  const one = flat(singular(parent.name.split('_').at(-1) ?? parent.name));
  const stripped = flat(param).replace(new RegExp(`^${one}`), '');
  const byStripped = props.find((p) => flat(p) === stripped);
  if (byStripped && stripped) return byStripped;
  const key = parent.primaryKey?.length === 1 ? parent.primaryKey[0] : undefined;
  const lastSegment = clean(parent.path).split('/').filter((s) => s && !s.startsWith('{')).at(-1) ?? '';
  const own = [one, flat(singular(parent.name)), flat(singular(lastSegment))];
  const numericKey = key !== undefined && declaredTypes(parent.record.properties?.[key]).some((t) => t === 'integer' || t === 'number');
  const stringParam = declaredTypes(schema).length > 0 && declaredTypes(schema).every((t) => t === 'string');
  if (own.includes(flat(param)) && key && props.includes(key) && !(numericKey && stringParam)) return key;
  if (/(^|_|[a-z])(id|Id|ID|key|slug|name|number|code|uuid|gid)$/.test(param) && key && props.includes(key)) return key;
  return undefined;
}

/** An Azure Resource Manager path (`.../providers/Microsoft.Automation/...`, a resource provider's namespace). */
export function armPath(path: string): boolean {
  return /\/providers\/[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)+(\/|$)/.test(path);
}

/**
 * On an Azure Resource Manager path a record's `id` is its full resource path (`/subscriptions/.../runs/<guid>`),
 * never one segment; its `name` is that last segment: a placeholder that would take `id` takes `name`
 * (`{softwareUpdateConfigurationRunId}`, `{scaleUnit}`) when the record has one.
 */
function armField(field: string, parent: ParentCandidate): string {
  return field === 'id' && armPath(parent.path) && parent.record.properties?.name !== undefined ? 'name' : field;
}

/**
 * A resource whose path has placeholders is a child of the list one placeholder up
 * (`/users/{user_id}/repos` and `/users/{user_id}` of `/users`; `/pokemon/{id}` of `/pokemons` when
 * no other list has that singular path), the placeholder taking one of its records' fields. The
 * candidates are list resources only. The other placeholders of the path are left to the caller.
 * `schemas`: the path parameters' schemas, by name.
 */
export function detectParent(path: string, candidates: ParentCandidate[], schemas: Record<string, JsonObject> = {}): ParentLink | undefined {
  const segments = path.split('/');
  for (let i = segments.length - 1; i > 0; i--) {
    const seg = segments[i] as string;
    const m = /^\{([^{}]+)\}$/.exec(seg);
    if (!m) continue;
    const prefix = clean(segments.slice(0, i).join('/'));
    const bySingular = candidates.filter((c) => singularPath(c.path) === singularPath(prefix));
    const parent = candidates.find((c) => clean(c.path) === prefix) ?? (bySingular.length === 1 ? bySingular[0] : undefined);
    if (!parent) return undefined;
    const found = parentField(m[1] as string, parent, schemas[m[1] as string]);
    if (!found) return undefined;
    const field = armField(found, parent);
    const arm = field === found ? '' : `: an Azure Resource Manager path, where '${found}' is the record's full resource path and '${field}' its last segment`;
    return { parent: parent.name, fields: { [m[1] as string]: field }, why: `{${m[1]}} is '${field}' of ${parent.name} (${parent.path})${arm}` };
  }
  return undefined;
}
