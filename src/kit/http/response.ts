import { isJsonObject, getPath, type JsonObject } from '../core/json.js';

/** Where a stream's records are in a page: a dotted path (`data`, `data.content`) or a function. */
export type RecordSelector = string | ((body: unknown) => unknown);

/**
 * The server's own words from an error body: JSON `error`/`message`/`errors[0]`, or text without HTML.
 * A symbolic `code` next to the message (`{"code":"INVALID_TOKEN","message":...}`) leads it.
 */
export function serverMessage(body: unknown): string {
  const text = Buffer.isBuffer(body) ? body.toString('utf8') : typeof body === 'string' ? body : JSON.stringify(body ?? '');
  try {
    const parsed: unknown = JSON.parse(text);
    if (isJsonObject(parsed)) {
      const code = typeof parsed.code === 'string' && /^[A-Za-z][\w.-]*$/.test(parsed.code) ? parsed.code : undefined;
      const lead = (m: string) => (code && !m.includes(code) ? `${code}: ${m}` : m).slice(0, 300);
      const err = Array.isArray(parsed.errors) ? parsed.errors[0] : undefined;
      const candidates = [parsed.error, parsed.message, parsed.detail, parsed.errors,
        isJsonObject(err) ? err.detail ?? err.title ?? err.message : err];
      for (const c of candidates) {
        if (typeof c === 'string' && c) return lead(c);
        if (isJsonObject(c) && typeof c.message === 'string') return lead(c.message);
      }
      if (code) return code;
    }
  } catch {
    // not JSON: fall through to text
  }
  const title = /<title>([^<]*)<\/title>/i.exec(text)?.[1];
  const para = /<p>([\s\S]*?)<\/p>/i.exec(text)?.[1];
  const plain = (para ? `${title ?? ''} ${para}` : text).replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
  return plain.slice(0, 300);
}

/**
 * Lists a page's records from its body via a dotted path or a function. A value that is not an object
 * (a scalar, a list of strings, a text or XML element's text) is one record `{value: x}`, as dlt's
 * normaliser wraps a non-dict item; null items are none.
 */
export function selectRecords(body: unknown, selector: RecordSelector | undefined, where: string): JsonObject[] {
  const value = typeof selector === 'function' ? selector(body) : selector === undefined ? body : getPath(body, selector);
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  // Records are objects almost always: the list is returned as is, copied only when one is not.
  for (const item of list) {
    if (!isJsonObject(item)) return list.filter((x) => x !== null && x !== undefined).map((x) => (isJsonObject(x) ? x : { value: x as JsonObject[string] }));
  }
  return list as JsonObject[];
}
