import { isJsonObject, type JsonObject, type JsonSchema } from '@singer-io-compatible/tap-kit';

/** Whether a page was answered in XML (its Content-Type). */
export function isXmlPage(page: unknown): boolean {
  const headers = (page as { headers?: Record<string, unknown> } | undefined)?.headers;
  const type = headers?.['content-type'];
  return typeof type === 'string' && /^\s*(application\/xml|text\/xml|[^;]*\+xml)\b/i.test(type);
}

function types(schema: JsonSchema): string[] {
  return Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
}

/**
 * An XML element's value (as fast-xml-parser reads it: text as strings, an element seen once as
 * itself, many as a list) shaped as its schema says: a list where the schema says array (one element,
 * or none, is still a list), numbers and booleans from their text, an element's text where a scalar is
 * expected (`{'#text': 'x', '@attr': ...}` is 'x'), a wrapped list's items (`{tag: [...]}`), objects
 * field by field. What the schema does not
 * describe is kept as read.
 */
export function conformXml(value: unknown, schema: JsonSchema | undefined): unknown {
  if (!schema || value === null || value === undefined) return value;
  const t = types(schema);
  if (t.includes('array') && !Array.isArray(value)) {
    if (value === '') return [];
    // A wrapped list (`<tags><tag>a</tag><tag>b</tag></tags>`) is read as `{tag: [...]}` (or `{tag: 'a'}`): its items.
    const keys = isJsonObject(value) ? Object.keys(value).filter((k) => !k.startsWith('@')) : [];
    const inner = keys.length === 1 && isJsonObject(value) && !schema.items?.properties?.[keys[0] as string] ? value[keys[0] as string] : undefined;
    if (inner !== undefined) return conformXml(Array.isArray(inner) ? inner : [inner], schema);
    return [conformXml(value, schema.items)];
  }
  if (Array.isArray(value)) return t.length && !t.includes('array') ? value : value.map((v) => conformXml(v, schema.items));
  if (isJsonObject(value)) {
    if (t.length && !t.includes('object') && '#text' in value) return conformXml(value['#text'], schema);
    const props = schema.properties;
    if (!props) return value;
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) out[k] = (props[k] ? conformXml(v, props[k]) : v) as JsonObject[string];
    return out;
  }
  if (typeof value === 'string') {
    if (value === '' && t.includes('object')) return {};
    if ((t.includes('integer') || t.includes('number')) && !t.includes('string') && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
    if (t.includes('boolean') && !t.includes('string') && (value === 'true' || value === 'false')) return value === 'true';
  }
  return value;
}
