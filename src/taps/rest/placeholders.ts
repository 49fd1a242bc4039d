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

/** Replaces `{config.NAME}` everywhere (a string that is only the placeholder takes the setting's own type). */
export function resolveConfig<T>(value: T, settings: Record<string, unknown>): T {
  const one = (s: string): unknown => {
    const whole = /^\{\s*config\.([A-Za-z_][A-Za-z0-9_]*)\s*\}$/.exec(s);
    if (whole) return fieldOf(settings, whole[1] as string) ?? s;
    return s.replace(/\{\s*config\.([A-Za-z_][A-Za-z0-9_]*)\s*\}/g, (m, name: string) => {
      const v = fieldOf(settings, name);
      return v === undefined ? m : String(v);
    });
  };
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return one(v);
    if (Array.isArray(v)) return v.map(walk);
    if (isJsonObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as T;
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
    return value.replace(PLACEHOLDER, (m, inner: string) => {
      const v = lookup(inner.trim(), values, where);
      if (v === undefined) return '';
      const s = typeof v === 'object' ? JSON.stringify(v) : String(v);
      return encode ? encodeURIComponent(s) : s;
    });
  }
  if (Array.isArray(value)) return value.map((v) => fill(v, values, where, encode));
  if (isJsonObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v, values, where, encode)]).filter(([, v]) => v !== undefined));
  return value;
}

export function hasPlaceholder(value: unknown, prefix: 'resources' | 'incremental'): boolean {
  const s = JSON.stringify(value ?? null);
  return new RegExp(`\\{\\s*${prefix}\\.`).test(s);
}
