// OpenAPI's XML: where an XML response's records are (the OpenAPI XML rules, AWS's conventions), the
// paginator's paths in an XML body, and which AWS Query actions read.
import { isJsonObject, type JsonObject } from '@singer-io-compatible/tap-kit';
import { rawProperties } from './raw.js';
import type { RefResolver } from './refs.js';

/** A raw schema's `xml` object (its own, or one of its `allOf` parts'), `$ref`s followed. */
function xmlOf(node: unknown, refs: RefResolver): JsonObject {
  const n = refs.deref(node);
  if (!isJsonObject(n)) return {};
  for (const x of [n, ...(Array.isArray(n.allOf) ? n.allOf.map((p) => refs.deref(p)) : [])]) if (isJsonObject(x) && isJsonObject(x.xml)) return x.xml;
  return {};
}

/** The element name a raw array schema's items carry (`xml.name`, on the items or one of their `allOf` parts). */
function xmlItemName(rawList: unknown, refs: RefResolver): string | undefined {
  const list = refs.deref(rawList);
  if (!isJsonObject(list)) return undefined;
  const items = list.items ?? (Array.isArray(list.allOf) ? list.allOf.map((p) => refs.deref(p)).find((p) => isJsonObject(p) && p.items !== undefined) as JsonObject | undefined : undefined)?.items;
  const name = xmlOf(items, refs).name;
  return typeof name === 'string' ? name : undefined;
}

/**
 * The data selector of an XML list, by the OpenAPI XML rules: a wrapped list (`xml.wrapped`, and
 * every AWS list) is `<List><Item>…</Item></List>`, an unwrapped one the `<Item>` elements repeated
 * in place (named by the items' `xml.name`, else the property's); AWS Query's unnamed items are
 * `<member>`. Below the root element (`$.*`), or for AWS anywhere below it (`$..`: its
 * `<XResponse><XResult>` wrapper is not in the document).
 */
export function xmlListSelector(selector: string | undefined, rawBody: unknown, refs: RefResolver, aws: boolean): string {
  const step = (k: string) => (/^[A-Za-z_][\w-]*$/.test(k) ? `.${k}` : `['${k}']`);
  if (selector === undefined) {
    const item = xmlItemName(rawBody, refs) ?? (aws ? 'member' : undefined);
    return item ? `$.${step(item)}` : '$.*';
  }
  const steps = selector.split('.');
  let n: unknown = refs.deref(rawBody);
  for (const s of steps) n = rawProperties(n, refs).get(s);
  const xml = xmlOf(n, refs);
  const name = typeof xml.name === 'string' ? xml.name : steps.at(-1) as string;
  const wrapped = aws || xml.wrapped === true;
  const item = xmlItemName(n, refs) ?? (aws ? 'member' : name);
  const path = [...steps.slice(0, -1), ...(wrapped ? [name, item] : [item])].map(step).join('');
  return aws ? `$.${path}` : `$.*${path}`;
}

/** The XML media type a document's responses use (`text/xml`), when it answers XML and never JSON. */
export function documentXmlType(doc: JsonObject): string | undefined {
  const text = JSON.stringify(doc.paths ?? {});
  return /"((?:application|text)\/xml|[\w.+-]+\/[\w.+-]+\+xml)"\s*:/.exec(text)?.[1];
}

/** AWS Query actions that read (the others, `Create*`, `Delete*`, `Modify*`..., change state). */
export const READ_ACTION = /^(Describe|List|Get|Search|Query|Lookup|Check|Preview|Estimate|View|Select|Scan|Fetch|Read|Download|Validate|Simulate|Batch(Get|Describe))/;

/**
 * An XML list's paginator: the paths it reads in the body searched below the root element (`$..Marker`);
 * none found in the document is `single_page` (`auto` looks for JSON next links and totals).
 */
export function xmlPaginator<P extends { paginator: unknown; detected: boolean; why: string }>(pag: P, format: string | undefined): P {
  if (format !== 'xml') return pag;
  if (!pag.detected) return { ...pag, paginator: 'single_page', detected: true, why: 'no paging parameter or field in the document (XML: one page)' };
  if (typeof pag.paginator !== 'object' || pag.paginator === null) return pag;
  const out: Record<string, unknown> = { ...pag.paginator as Record<string, unknown> };
  for (const k of ['next_url_path', 'cursor_path', 'total_path', 'has_more_path']) {
    const v = out[k];
    if (typeof v === 'string' && !v.startsWith('$') && /^[A-Za-z_][\w.]*$/.test(v)) out[k] = `$..${v}`;
  }
  return { ...pag, paginator: out };
}
