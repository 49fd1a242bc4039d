import { bodyKind, isJsonObject, type JsonObject, type JsonSchema } from '@singer-io-compatible/tap-kit';
import type { RefResolver } from './refs.js';
import { convertSchema, type ConvertStats } from './schema.js';
import { rawProperties } from './raw.js';
import { documentXmlType, xmlListSelector } from './xml.js';

/** A parameter of an operation, `$ref` followed; path-level parameters merged in. */
export interface Parameter {
  name: string;
  in: 'query' | 'path' | 'header' | 'cookie';
  required: boolean;
  /** The parameter's schema, `$ref` followed one level (type, format, default, enum, minimum, maximum). */
  schema: JsonObject;
  description?: string;
  /** The parameter's own example (`example`, or the first of `examples`). */
  example?: unknown;
}

/** A GET operation whose success response is JSON: a list (or an object wrapping one), or one object. */
export interface ReadEndpoint {
  path: string;
  /**
   * `list`: the records are a list's items; `object`: the response (or the object at the selector) is
   * one record; `unknown`: JSON the document gives no schema for (records found as dlt finds them).
   */
  kind: 'list' | 'object' | 'unknown' | 'value';
  /**
   * How the body is read when it is not JSON (by the media type the document gives): `xml` parsed into
   * objects, `text` one `{value}` record, `binary` one `{value: base64, content_type, size}` record.
   * A `value` endpoint in JSON answers a scalar or a list of scalars: one `{value}` record each.
   */
  format?: 'xml' | 'text' | 'binary';
  /** The document gives a redirect only (a download): the bytes where it leads, of a type it does not say. */
  redirect?: boolean;
  /** What a `value` endpoint answers, for the comment (`a string`, `a list of integers`, `text/plain`, `application/pdf`). */
  answers?: string;
  operationId?: string;
  summary?: string;
  parameters: Parameter[];
  /** The whole response body, converted. */
  body: JsonSchema;
  /** A record: the list's items, or the one object. */
  record: JsonSchema;
  /** The raw (OpenAPI) schema of a record, for the detectors that read formats the conversion drops. */
  rawRecord: unknown;
  /** Dotted path from the body to the list (or the wrapped object); undefined when the body is the list (or the record). */
  selector?: string;
  /** Response header names, lower case (`link`, `x-next-cursor`...). */
  headers: string[];
  /** The document marks the operation deprecated (written all the same, the comment says so). */
  deprecated?: boolean;
  /** Why a body with no schema is read as JSON (the record is then any object). */
  untyped?: string;
  /** The success response's media type when it is not plain `application/json` (sent as `Accept`). */
  mediaType?: string;
  /** Why the resource is written but not selected: a GET that reads no records (a 204 check, a sign-in redirect). */
  unselected?: string;
}

export interface Skipped {
  path: string;
  method: string;
  reason: string;
}

/** Names under which wrappers hold their list, most telling first (dlt's own list, plus common ones). */
const LIST_KEYS = ['data', 'items', 'results', 'records', 'entries', 'values', 'value', 'objects', 'list', 'rows', 'content', 'hits', 'elements', 'collection', 'resources', 'nodes', 'edges', 'members'];
/** Fields that page a list (beside it in an envelope): `page`, `limit`, `numPages`, `total`, `next_cursor`... */
const PAGING_FIELD = /^(page|pages|num_?pages|page_?(size|count|number)|per_?page|limit|offset|start|total|total_?(count|pages|results)|count|cursor|next|next_?(cursor|page|token|url)|has_?more|more)$/;
/** Wrappers a list may sit one level under (`{data: {items: [...]}}`, `{response: {results: [...]}}`). */
const OUTER_KEYS = ['data', 'response', 'result', 'results', 'payload', 'body', 'embedded', '_embedded', 'page'];

function isRecordList(s: JsonSchema | undefined): boolean {
  if (!s) return false;
  const t = Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
  if (!t.includes('array')) return false;
  const items = s.items ?? {};
  const it = Array.isArray(items.type) ? items.type : items.type ? [items.type] : [];
  return it.length === 0 || it.includes('object');
}

function isScalarList(s: JsonSchema | undefined): boolean {
  return !!s && (Array.isArray(s.type) ? s.type.includes('array') : s.type === 'array') && !isRecordList(s);
}

/** The list in a response body: the body itself, else the one array-of-objects property (or the best named), else one level down. */
export function findList(body: JsonSchema, resourceHint = ''): { selector?: string; list: JsonSchema } | undefined {
  if (isRecordList(body)) return { list: body };
  const props = body.properties ?? {};
  const arrays = Object.keys(props).filter((k) => isRecordList(props[k]));
  const pick = (keys: string[]): string | undefined => {
    if (keys.length === 1) return keys[0];
    const named = keys.find((k) => LIST_KEYS.includes(k.toLowerCase())) ?? keys.find((k) => resourceHint && k.toLowerCase() === resourceHint.toLowerCase());
    return named;
  };
  const direct = pick(arrays);
  if (direct) return { selector: direct, list: props[direct] as JsonSchema };
  if (arrays.length > 1) return undefined;
  for (const outer of Object.keys(props).filter((k) => OUTER_KEYS.includes(k.toLowerCase()) || Object.keys(props).length === 1)) {
    const inner = props[outer]?.properties ?? {};
    // One level down under a list's usual name: `{data: {items: [...]}}`, never an entity's own list (`{data: {id, tags: [...]}}`).
    const lists = Object.keys(inner).filter((x) => isRecordList(inner[x]));
    // ... or the one list of an envelope, not an entity (no `id`), told by paging fields beside it or
    // by the path naming the list: `{results: {feeds: [...], page, limit}}`, `/getLocations` → `{results: {locations}}`.
    const only = lists.length === 1 ? (lists[0] as string) : undefined;
    const others = Object.keys(inner).filter((x) => x !== only).map((x) => x.toLowerCase());
    const envelope = only !== undefined && OUTER_KEYS.includes(outer.toLowerCase()) && !others.includes('id')
      && (others.some((x) => PAGING_FIELD.test(x)) || (resourceHint !== '' && resourceHint.toLowerCase().includes(only.toLowerCase())));
    const k = lists.find((x) => LIST_KEYS.includes(x.toLowerCase())) ?? (envelope ? only : undefined);
    if (k) return { selector: `${outer}.${k}`, list: inner[k] as JsonSchema };
  }
  return undefined;
}

/** The raw schema at a selector, `$ref`s and `allOf` parts followed, for the detectors reading what conversion drops. */
function rawAt(node: unknown, selector: string | undefined, refs: RefResolver): unknown {
  let n = refs.deref(node);
  for (const step of selector ? selector.split('.') : []) n = rawProperties(n, refs).get(step);
  n = refs.deref(n);
  return isJsonObject(n) ? refs.deref(n.items) : undefined;
}

function parameters(raw: unknown[], refs: RefResolver): Parameter[] {
  const out: Parameter[] = [];
  for (const r of raw) {
    const p = refs.deref(r);
    if (!isJsonObject(p) || typeof p.name !== 'string' || !['query', 'path', 'header', 'cookie'].includes(String(p.in))) continue;
    const schema = refs.deref(p.schema);
    out.push({
      name: p.name, in: p.in as Parameter['in'], required: p.required === true || p.in === 'path',
      schema: isJsonObject(schema) ? schema : {}, ...(typeof p.description === 'string' ? { description: p.description } : {}),
    });
    const examples = isJsonObject(p.examples) ? Object.values(p.examples).map((x) => refs.deref(x)).filter(isJsonObject) : [];
    const example = p.example ?? examples.find((x) => x.value !== undefined)?.value;
    if (example !== undefined) (out.at(-1) as Parameter).example = example;
  }
  return out;
}

/**
 * The success response's schema: 200, then any 2XX, then `default`; a JSON media type
 * (`application/json`, `application/vnd.x+json`, `*​/*`), else XML, text or a binary type (`format`).
 * No schema: `untyped` says why the body is still taken as JSON (a JSON media type with no schema, or
 * a response describing no body at all in a document whose other operations answer JSON), or as XML
 * (no body described in a document answering only XML). No 2xx but a redirect: a download (`redirect`).
 * An HTML page, a 204 only: none.
 */
function successSchema(op: JsonObject, refs: RefResolver, speaksJson: boolean, speaksXml?: string): { schema: unknown; headers: string[]; mediaType?: string; untyped?: string; format?: 'xml' | 'text' | 'binary'; redirect?: boolean; noBody?: boolean } | undefined {
  const responses = isJsonObject(op.responses) ? op.responses : {};
  const codes = Object.keys(responses).sort();
  const code = codes.find((c) => c === '200') ?? codes.find((c) => /^2(\d\d|XX)$/i.test(c) && c !== '204') ?? codes.find((c) => c === 'default');
  // Only a redirect (GitHub's tarball, logs, archives): a download, read as bytes from where it leads.
  if (!code && !codes.includes('204') && codes.some((c) => /^30[1237]$/.test(c))) return { schema: undefined, headers: [], format: 'binary', redirect: true };
  if (!code) return undefined;
  const response = refs.deref(responses[code]);
  if (!isJsonObject(response)) return undefined;
  const headers = isJsonObject(response.headers) ? Object.keys(response.headers).map((h) => h.toLowerCase()) : [];
  const content = isJsonObject(response.content) ? response.content : {};
  const type = Object.keys(content).find((t) => /^application\/json/i.test(t)) ?? Object.keys(content).find((t) => /[/+]json\b/i.test(t)) ?? Object.keys(content).find((t) => t === '*/*');
  if (!type) {
    // Not JSON: XML, text or binary, read by the media type (tap-rest reads the body by its Content-Type).
    const other = (['xml', 'text', 'binary'] as const).map((f) => ({ f, t: Object.keys(content).find((t) => bodyKind(t) === f) })).find((x) => x.t);
    if (other?.t) {
      const media = refs.deref(content[other.t]);
      const schema = isJsonObject(media) ? media.schema : undefined;
      return { schema, headers, mediaType: other.t, format: other.f, ...(other.f === 'xml' && schema === undefined ? { untyped: `${other.t} with no schema` } : {}) };
    }
  }
  const media = type ? refs.deref(content[type]) : undefined;
  const mediaType = type && !/^application\/json\s*$/i.test(type) && type !== '*/*' ? { mediaType: type } : {};
  if (type && (!isJsonObject(media) || media.schema === undefined)) return { schema: undefined, headers, ...mediaType, untyped: `${type} with no schema` };
  if (!type && Object.keys(content).length === 0 && speaksJson) return { schema: undefined, headers, untyped: 'no body described; JSON assumed, as the document answers JSON elsewhere or names no media type at all' };
  if (!type && Object.keys(content).length === 0 && speaksXml) return { schema: undefined, headers, format: 'xml', mediaType: speaksXml, untyped: `no body described; XML assumed (${speaksXml}), as the document answers it elsewhere`, noBody: true };
  if (!isJsonObject(media) || media.schema === undefined) return undefined;
  return { schema: media.schema, headers, ...mediaType };
}

/** A scalar schema's type in words (`a string`, `an integer`), for a comment. */
function scalarWords(s: JsonSchema | undefined): string {
  const t = (Array.isArray(s?.type) ? s?.type.filter((x) => x !== 'null') : s?.type ? [s.type] : [])[0];
  return t ? `${/^[aeiou]/.test(t) ? 'an' : 'a'} ${t}` : 'a value';
}

/** The schema of a `{value}` record: the scalar's own schema (never null-only), or a base64 string for bytes. */
function valueRecord(value: JsonSchema, extra: Record<string, JsonSchema> = {}): JsonSchema {
  return { type: 'object', properties: { value, ...extra } };
}

/**
 * A path with a query string in it (`/search?term={term}&v=2`): the path before it, each `k={name}` a
 * required query parameter `k` (the placeholder's declared parameter moved to the query), each `k=v` a
 * required query parameter with `v` as its default.
 */
export function splitQuery(path: string, parameters: Parameter[]): { path: string; parameters: Parameter[] } {
  const at = path.indexOf('?');
  if (at < 0) return { path, parameters };
  const out = parameters.filter((p) => p.in !== 'query' || !new RegExp(`[?&]${p.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}=`).test(path.slice(at)));
  for (const pair of path.slice(at + 1).split('&')) {
    const [k, v = ''] = pair.split('=');
    if (!k) continue;
    const m = /^\{([^{}]+)\}$/.exec(v);
    const declared = m ? out.findIndex((p) => p.name === m[1] && p.in === 'path') : -1;
    const from = declared >= 0 ? out.splice(declared, 1)[0] : undefined;
    out.push({ name: decodeURIComponent(k), in: 'query', required: true, schema: m ? from?.schema ?? { type: 'string' } : { type: 'string', default: decodeURIComponent(v) }, ...(from?.description ? { description: from.description } : {}) });
  }
  return { path: path.slice(0, at), parameters: out };
}

/** Whether a body the document does not describe is taken as JSON: some response is described as JSON, or none names a media type at all. */
function documentSpeaksJson(doc: JsonObject): boolean {
  const text = JSON.stringify(doc.paths ?? {}) + JSON.stringify(isJsonObject(doc.components) ? doc.components.responses ?? {} : {});
  return /"(application\/[^"]*json[^"]*|\*\/\*)"\s*:/.test(text) || !/"content"\s*:\s*\{\s*"/.test(text);
}

/** A body (or a value in it) that is one record: an object, or a schema with properties and no other type. */
function isRecordObject(s: JsonSchema | undefined): boolean {
  if (!s) return false;
  const t = Array.isArray(s.type) ? s.type.filter((x) => x !== 'null') : s.type ? [s.type] : [];
  return t.includes('object') || (t.length === 0 && (s.properties !== undefined || s.additionalProperties !== undefined));
}

/**
 * The record of a one-object response: the body, or the object it wraps alone (`{data: {...}}` →
 * `data`, and so on down while each level holds one object property and nothing else).
 */
export function findObject(body: JsonSchema): { selector?: string; record: JsonSchema } | undefined {
  if (!isRecordObject(body)) return undefined;
  const steps: string[] = [];
  let at = body;
  for (let props = Object.keys(at.properties ?? {}); props.length === 1 && steps.length < 4; props = Object.keys(at.properties ?? {})) {
    const only = at.properties?.[props[0] as string];
    if (!only || !isRecordObject(only) || !only.properties || !Object.keys(only.properties).length) break;
    steps.push(props[0] as string);
    at = only;
  }
  return { record: at, ...(steps.length ? { selector: steps.join('.') } : {}) };
}

/** The raw schema of the object at a selector, `$ref`s and `allOf` parts followed. */
function rawObjectAt(node: unknown, selector: string | undefined, refs: RefResolver): unknown {
  let n = refs.deref(node);
  for (const step of selector ? selector.split('.') : []) n = rawProperties(n, refs).get(step);
  return refs.deref(n);
}

/** A path whose last segment is a placeholder reads one entity (`/users/{id}`). */
export function isEntityPath(path: string): boolean {
  return /\}\/?$/.test(path);
}

/**
 * Every GET operation whose success response is JSON with records: a list of objects, or an object
 * wrapping one (the wrapper's path is the data selector), else one object (one record per response;
 * a path ending in a placeholder reads one entity, a list only when the body itself is one). The other
 * GETs are skipped with the reason.
 */
export function discoverEndpoints(doc: JsonObject, refs: RefResolver, stats: ConvertStats): { endpoints: ReadEndpoint[]; skipped: Skipped[]; operations: number } {
  const endpoints: ReadEndpoint[] = [];
  const skipped: Skipped[] = [];
  let operations = 0;
  const paths = isJsonObject(doc.paths) ? doc.paths : {};
  const speaksJson = documentSpeaksJson(doc);
  const speaksXml = speaksJson ? undefined : documentXmlType(doc);
  // An AWS document (its XML lists are wrapped, their unnamed items `<member>`).
  const isAws = isJsonObject(doc.info) && doc.info['x-providerName'] === 'amazonaws.com';
  const seen = new Set<string>();
  // Paths (before a `#fragment`) that more than one GET shares.
  const bare = Object.keys(paths).filter((p) => isJsonObject(refs.deref(paths[p])) && isJsonObject((refs.deref(paths[p]) as JsonObject).get)).map((p) => p.replace(/#.*$/, ''));
  const shared = new Set(bare.filter((p, i) => bare.indexOf(p) !== i));
  for (let path of Object.keys(paths)) {
    const item = refs.deref(paths[path]);
    if (!isJsonObject(item)) continue;
    for (const method of ['post', 'put', 'patch', 'delete']) if (isJsonObject(item[method])) operations++;
    const op = item.get;
    if (!isJsonObject(op)) continue;
    operations++;
    const skip = (reason: string) => skipped.push({ path, method: 'GET', reason });
    const success = successSchema(op, refs, speaksJson, speaksXml);
    const codes = isJsonObject(op.responses) ? Object.keys(op.responses) : [];
    // A check (GitHub's "is this repository starred": 204 yes, 404 no): no body, no record; written, not selected.
    const check = !success && codes.includes('204') && !codes.some((c) => /^2(\d\d|XX)$/i.test(c) && c !== '204');
    if (!success && !check) {
      skip('no success response in JSON, XML, text or a binary type');
      continue;
    }
    const action = /#Action=([A-Za-z0-9]+)/.exec(path)?.[1];
    const own = Array.isArray(item.parameters) ? parameters(item.parameters, refs) : [];
    const opParams = Array.isArray(op.parameters) ? parameters(op.parameters, refs) : [];
    let merged = [...own.filter((p) => !opParams.some((o) => o.name === p.name && o.in === p.in)), ...opParams];
    const split = splitQuery(path, merged);
    if (split.path !== path && (seen.has(split.path) || Object.prototype.hasOwnProperty.call(paths, split.path))) {
      skip(`its path without the query string (${split.path}) is another GET's`);
      continue;
    }
    seen.add(split.path);
    merged = split.parameters;
    path = split.path;
    const named = {
      ...(success?.mediaType ? { mediaType: success.mediaType } : {}),
      ...(typeof op.operationId === 'string' ? { operationId: op.operationId } : {}),
      ...(typeof op.summary === 'string' ? { summary: op.summary } : {}),
      ...(op.deprecated === true ? { deprecated: true } : {}),
    };
    // GETs told apart by a fragment only (AWS: `/#Action=DescribeClusters`, `/{Bucket}#acl`) keep it (dropped when written).
    const at = action || shared.has(path.replace(/#.*$/, '')) ? path : path.replace(/#.*$/, '');
    // No records to read: written (the definition lists every GET, as dlt-init-openapi's does), not selected.
    const unselected = !success ? 'it answers only 204 No Content (a check: 204 yes, 404 no): no body, no record'
      : success.redirect && /oauth|authori[sz]e|login|sign-?in/i.test(path) ? 'it redirects to a sign-in page (a step of a sign-in flow): no data'
        : undefined;
    if (unselected || !success) {
      endpoints.push({ path: at, kind: 'object', parameters: merged, body: {}, record: { type: ['object', 'null'] }, rawRecord: undefined, headers: success?.headers ?? [], untyped: 'no body to read', unselected: unselected as string, ...named });
      continue;
    }
    if (success.format === 'text' || success.format === 'binary') {
      // Text or bytes: one record per response, its value the text (or the bytes in base64); a redirect: what it leads to, a guess.
      const mt = success.mediaType ?? 'the redirect\'s target';
      const record = success.format === 'text'
        ? valueRecord({ type: 'string' })
        : valueRecord({ type: 'string', contentEncoding: 'base64', ...(success.mediaType ? { contentMediaType: mt } : {}) }, { content_type: { type: 'string' }, size: { type: 'integer' } });
      endpoints.push({ path: at, kind: 'value', format: success.format, answers: mt, parameters: merged, body: record, record, rawRecord: undefined, headers: success.headers, ...(success.redirect ? { redirect: true } : {}), ...named });
      continue;
    }
    if (success.untyped === undefined && isJsonObject(success.schema) && Object.keys(success.schema).length === 0) success.untyped = 'an empty schema';
    if (success.untyped !== undefined) {
      // JSON of no documented shape: an entity path is one object; otherwise records as dlt finds them.
      const record: JsonSchema = { type: ['object', 'null'] };
      if (success.format === 'xml') {
        // A body described nowhere: the root element's content (AWS: `<ResponseMetadata>` when the action has no result).
        endpoints.push({ path: at, kind: 'object', format: 'xml', parameters: merged, body: {}, record, rawRecord: undefined, headers: success.headers, untyped: success.untyped, selector: action && !success.noBody ? `$..${action}Result` : '$.*', ...named });
        continue;
      }
      endpoints.push({ path: at, kind: isEntityPath(path) ? 'object' : 'unknown', parameters: merged, body: {}, record, rawRecord: undefined, headers: success.headers, untyped: success.untyped, ...named });
      continue;
    }
    const body = convertSchema(success.schema, refs, stats);
    const lastStatic = path.split('/').filter((s) => s && !s.startsWith('{')).at(-1) ?? '';
    const found = isEntityPath(path) ? (isRecordList(body) ? { list: body } : undefined) : findList(body, lastStatic);
    const object = found ? undefined : findObject(body);
    if (!found && !object) {
      if (success.format === 'xml') {
        skip('XML with no element of records');
        continue;
      }
      // A scalar or a list of scalars: one `{value}` record each (dlt's normaliser wraps a non-dict item so).
      const list = isScalarList(body);
      const value = list ? (body.items ?? {}) : body;
      const record = valueRecord(value);
      endpoints.push({ path: at, kind: 'value', answers: list ? `a list of ${scalarWords(value).replace(/^an? /, '')}s` : scalarWords(value), parameters: merged, body, record, rawRecord: undefined, headers: success.headers, ...named });
      continue;
    }
    const jsonSelector = found ? found.selector : object?.selector;
    // XML: the selector goes through the root element (and AWS's `<XResponse><XResult>` wrapper).
    const selector = success.format !== 'xml' ? jsonSelector
      : found ? xmlListSelector(jsonSelector, success.schema, refs, isAws || action !== undefined)
        : `${action ? `$..${action}Result` : '$.*'}${jsonSelector ? jsonSelector.split('.').map((k) => `.${k}`).join('') : ''}`;
    const record: JsonSchema = found
      ? (found.list.items && Object.keys(found.list.items).length ? found.list.items : { type: ['object', 'null'] })
      : (object as { record: JsonSchema }).record;
    endpoints.push({
      path: at, kind: found ? 'list' : 'object', parameters: merged, body, record,
      rawRecord: found ? rawAt(success.schema, jsonSelector, refs) : rawObjectAt(success.schema, jsonSelector, refs), headers: success.headers,
      ...(selector ? { selector } : {}), ...(success.format ? { format: success.format } : {}), ...named,
    });
  }
  return { endpoints, skipped, operations };
}
