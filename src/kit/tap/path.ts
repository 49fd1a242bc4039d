import { isJsonObject, type JsonObject } from '../core/json.js';
import { UserError } from '../core/errors.js';
import { fieldOf } from '../core/own.js';

/** A path placeholder naming a setting: `{settings.org}`. */
export const SETTING = 'settings.';

/** The `{field}` placeholders of a path, in order. */
export function pathPlaceholders(path: string): string[] {
  return [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] as string);
}

/**
 * `/projects/{id}/items` with `{id: 7}` → `/projects/7/items` (values URL-encoded); `{settings.org}`
 * is the `org` setting. A value the context lacks (a parent record without it, a childContext that
 * does not pass it) or a setting not set is a UserError naming the stream and the placeholder.
 */
export function fillPath(path: string, context: JsonObject, of: { stream: string; settings?: unknown }): string {
  const { stream } = of;
  return path.replace(/\{([^}]+)\}/g, (_, key: string) => {
    if (key.startsWith(SETTING)) {
      const name = key.slice(SETTING.length);
      const setting = isJsonObject(of.settings) ? fieldOf(of.settings, name) : undefined;
      if (setting === undefined || setting === null || setting === '' || typeof setting === 'object') {
        throw new UserError(`stream '${stream}': path ${path}: placeholder {${key}} has no value: setting '${name}' is ${setting === undefined || setting === null || setting === '' ? 'not set' : 'not a single value'}`);
      }
      return encodeURIComponent(String(setting));
    }
    const v = fieldOf(context, key);
    if (v === undefined || v === null) {
      throw new UserError(`stream '${stream}': path ${path}: placeholder {${key}} has no value: the parent record passed ${v === null ? `'${key}' as null` : `no '${key}'`} (its context: ${JSON.stringify(Object.keys(context))})`);
    }
    return encodeURIComponent(String(v));
  });
}
