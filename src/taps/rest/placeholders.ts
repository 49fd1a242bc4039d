import { UserError, fieldOf, getPath, isJsonObject } from '@singer-io-compatible/tap-kit';

/**
 * dlt's placeholders: `{config.NAME}` (a tap setting, resolved once at start), `{resources.<parent>.<field>}`
 * (the parent record's field: makes the resource a child), `{incremental.start_value}` and friends.
 */
const PLACEHOLDER = /\{([^{}]+)\}/g;
const INCREMENTAL_NAMES = ['start_value', 'end_value', 'last_value', 'initial_value'];

/** Setting names a definition references, in order of first appearance. */
export function configReferences(value: unknown, out = new Set<string>()): Set<string> {
  if (typeof value === 'string') for (const m of value.matchAll(PLACEHOLDER)) {
    const name = /^config\.([A-Za-z_][A-Za-z0-9_]*)$/.exec((m[1] as string).trim())?.[1];
    if (name) out.add(name);
  } else if (Array.isArray(value)) value.forEach((v) => configReferences(v, out));
  else if (isJsonObject(value)) Object.values(value).forEach((v) => configReferences(v, out));
  return out;
}

/** A setting name that says it holds a credential. */
export function isSecretName(name: string): boolean {
  return /key|token|secret|password/i.test(name);
}

/**
 * A setting's value put into a request template (an endpoint's path, params, json or headers, read
 * again for placeholders at each request) is data: its braces (a JSON filter, an id written
 * `{subscription-id}`) are kept as these two characters until the request is built (`literal`).
 */
const OPEN = '\uE000';
const CLOSE = '\uE001';
const protect = (v: unknown): unknown => {
  if (typeof v === 'string') return v.replace(/\{/g, OPEN).replace(/\}/g, CLOSE);
  if (Array.isArray(v)) return v.map(protect);
  if (isJsonObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, protect(x)]));
  return v;
};

/** A template's text as sent: a setting's braces back (`%7B`/`%7D` in a path, `encoded`). */
export function literal(s: string, encoded = false): string {
  return s.replace(/\uE000/g, encoded ? '%7B' : '{').replace(/\uE001/g, encoded ? '%7D' : '}');
}

/** Where a definition's strings are request templates: `resources[i].endpoint` (a path alone) or its path, params, json and headers; the same under `resource_defaults`. */
function isTemplate(path: readonly string[]): boolean {
  const at = path[0] === 'resources' ? 2 : path[0] === 'resource_defaults' ? 1 : -1;
  if (at < 0 || path[at] !== 'endpoint') return false;
  return path.length === at + 1 || ['path', 'params', 'json', 'headers'].includes(path[at + 1] as string);
}

/** Replaces `{config.NAME}` everywhere (a string that is only the placeholder takes the setting's own type). */
export function resolveConfig<T>(value: T, settings: Record<string, unknown>): T {
  const one = (s: string, template: boolean): unknown => {
    const keep = template ? protect : (v: unknown) => v;
    const whole = /^\{\s*config\.([A-Za-z_][A-Za-z0-9_]*)\s*\}$/.exec(s);
    if (whole) {
      const v = fieldOf(settings, whole[1] as string);
      return v === undefined ? s : keep(v);
    }
    return s.replace(/\{\s*config\.([A-Za-z_][A-Za-z0-9_]*)\s*\}/g, (m, name: string) => {
      const v = fieldOf(settings, name);
      return v === undefined ? m : keep(String(v)) as string;
    });
  };
  const walk = (v: unknown, path: string[]): unknown => {
    if (typeof v === 'string') return one(v, isTemplate(path));
    if (Array.isArray(v)) return v.map((x, i) => walk(x, [...path, String(i)]));
    if (isJsonObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, [...path, k])]));
    return v;
  };
  return walk(value, []) as T;
}

/** `{resources.<parent>.<field>}` references in a value: which parent, which fields. */
export function parentReferences(value: unknown, out: Array<{ parent: string; field: string }> = []): Array<{ parent: string; field: string }> {
  if (typeof value === 'string') for (const m of value.matchAll(PLACEHOLDER)) {
    const ref = /^resources\.([^.]+)\.(.+)$/.exec((m[1] as string).trim());
    if (ref) out.push({ parent: ref[1] as string, field: ref[2] as string });
  } else if (Array.isArray(value)) value.forEach((v) => parentReferences(v, out));
  else if (isJsonObject(value)) Object.values(value).forEach((v) => parentReferences(v, out));
  return out;
}

/** Every placeholder left after `{config.*}` was resolved must be one tap-rest knows. */
export function checkPlaceholders(value: unknown, where: string): void {
  const visit = (v: unknown, path: string) => {
    if (typeof v === 'string') for (const m of v.matchAll(PLACEHOLDER)) {
      const inner = (m[1] as string).trim();
      if (/^config\./.test(inner)) continue;
      if (/^resources\.[^.]+\..+$/.test(inner)) continue;
      const inc = /^incremental\.(.+)$/.exec(inner);
      if (inc && INCREMENTAL_NAMES.includes(inc[1] as string)) continue;
      throw new UserError(`${where}: ${path}: unknown placeholder {${inner}}; use {config.NAME}, {resources.<parent>.<field>} or {incremental.${INCREMENTAL_NAMES.join('|')}}`);
    }
    else if (Array.isArray(v)) v.forEach((x, i) => visit(x, `${path}[${i}]`));
    else if (isJsonObject(v)) for (const [k, x] of Object.entries(v)) visit(x, path ? `${path}.${k}` : k);
  };
  visit(value, '');
}

/** Values a request's placeholders are filled from. */
export interface PlaceholderValues {
  /** The parent record (child resources). */
  parent?: Record<string, unknown>;
  /** Reads a field of the parent record (default: by path). */
  read?: (record: Record<string, unknown>, field: string) => unknown;
  incremental?: Partial<Record<'start_value' | 'end_value' | 'last_value' | 'initial_value', unknown>>;
}

function lookup(inner: string, values: PlaceholderValues, where: string): unknown {
  const ref = /^resources\.[^.]+\.(.+)$/.exec(inner);
  if (ref) {
    const v = values.parent ? (values.read ?? getPath)(values.parent, ref[1] as string) : undefined;
    if (v === undefined || v === null) throw new UserError(`${where}: the parent record has no '${ref[1]}' for {${inner}}`);
    return v;
  }
  const inc = /^incremental\.(.+)$/.exec(inner);
  if (inc) return values.incremental?.[inc[1] as keyof NonNullable<PlaceholderValues['incremental']>];
  return undefined;
}

/**
 * Fills a value's placeholders. A string that is one placeholder keeps the value's type (a number
 * stays a number in a JSON body); an unset incremental value makes it undefined (the parameter is
 * not sent). `encode` URL-encodes values substituted into a path.
 */
export function fill(value: unknown, values: PlaceholderValues, where: string, encode = false): unknown {
  if (typeof value === 'string') {
    const whole = /^\{([^{}]+)\}$/.exec(value.trim());
    if (whole && !encode) return lookup((whole[1] as string).trim(), values, where);
    // The template's own text is made literal piece by piece: a value put in is never read again.
    let out = '';
    let at = 0;
    for (const m of value.matchAll(PLACEHOLDER)) {
      const v = lookup((m[1] as string).trim(), values, where);
      const s = v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
      out += literal(value.slice(at, m.index), encode) + (encode ? encodeURIComponent(s) : s);
      at = (m.index ?? 0) + m[0].length;
    }
    return out + literal(value.slice(at), encode);
  }
  if (Array.isArray(value)) return value.map((v) => fill(v, values, where, encode));
  if (isJsonObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v, values, where, encode)]).filter(([, v]) => v !== undefined));
  return value;
}

export function hasPlaceholder(value: unknown, prefix: 'resources' | 'incremental'): boolean {
  const s = JSON.stringify(value ?? null);
  return new RegExp(`\\{\\s*${prefix}\\.`).test(s);
}
