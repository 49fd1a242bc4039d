import { isJsonObject, type JsonObject, type JsonSchema } from '@singer-io-compatible/tap-kit';
import type { EndpointConfig, IncrementalConfig, ResourceConfig, RestApiDefinition } from '../definition.js';
import { detectAuth } from './auth.js';
import type { OpenApiDocument } from './document.js';
import { discoverEndpoints, isEntityPath, type Parameter, type ReadEndpoint, type Skipped } from './endpoints.js';
import { detectIncremental, type IncrementalFinding } from './incremental.js';
import { detectPrimaryKey } from './keys.js';
import { resourceNames, settingName } from './names.js';
import { detectPaginator, dltPath } from './paginator.js';
import { detectParent, type ParentLink } from './parents.js';
import { RefResolver } from './refs.js';
import { baseUrl } from './servers.js';
import { onlyMatcher } from './only.js';
import { READ_ACTION, xmlPaginator } from './xml.js';

/** One resource written, with what was found for its comment and the figures of the summary. */
export interface GeneratedResource {
  name: string;
  path: string;
  config: ResourceConfig;
  schema: JsonSchema;
  comment: string[];
  /**
   * `list`: a list's items are the records; `object`: one record per response (`single_page`); `unknown`:
   * JSON of no documented shape; `value`: a scalar, a list of scalars, text or bytes, one `{value}` record each.
   */
  kind: 'list' | 'object' | 'unknown' | 'value';
  /** The body's format when it is not JSON. */
  format?: 'xml' | 'text' | 'binary';
  /** Written with `selected: false`: it reads no records (a 204 check, a sign-in redirect), or it changes state (an AWS action). */
  unselected?: 'reads nothing' | 'changes state';
  /** A paginator decided from the document (`single_page` for one object; not `auto`). */
  paginated: boolean;
  keyed: boolean;
  incremental: boolean;
  child: boolean;
}

export interface Generated {
  title: string;
  definition: RestApiDefinition;
  resources: GeneratedResource[];
  /** Settings the definition references, as a JSON Schema's properties. */
  settings: Record<string, JsonSchema>;
  skipped: Skipped[];
  /** Operations in the document (every method); GET endpoints found with records, lists among them. */
  operations: number;
  readEndpoints: number;
  listEndpoints: number;
  header: string[];
  cycles: number;
}

/** A record schema as a stream's: an object, its key fields never null, with the fields taken from the parent (`include_from_parent`). */
function streamSchema(record: JsonSchema, key: string[] | undefined, fromParent: Record<string, JsonSchema> = {}): JsonSchema {
  const properties: Record<string, JsonSchema> = { ...record.properties, ...fromParent };
  for (const k of key ?? []) {
    const p = properties[k];
    if (p && Array.isArray(p.type)) properties[k] = { ...p, type: p.type.filter((t) => t !== 'null') };
  }
  const out: JsonSchema = { type: 'object', properties };
  if (record.description) out.description = record.description;
  return out;
}

/** tap-rest's and the kit's own setting names: a parameter of the same name gets another (`{source}` → `source_param`). */
const RESERVED = new Set(['source', 'base_url', 'start_date', 'schema_cache', 'request_timeout', 'max_retries', 'retry_backoff_seconds', 'user_agent', 'error_policy', 'emit_activate_version_messages', 'max_parallel_requests', 'max_parallel_streams', 'max_requests_per_second', 'api_key', 'api_token', 'access_token', 'username', 'password', 'client_id', 'client_secret', 'stream_maps', 'stream_map_config', 'flattening_enabled', 'flattening_max_depth', 'batch_config', 'faker_config']);

function paramSetting(name: string): string {
  const s = settingName(name);
  return RESERVED.has(s.toLowerCase()) ? `${s}_param` : s;
}

/** A parameter's setting: a string (tap-rest's settings from placeholders are), with an example value the document gives (its example, default or first enum value; 1 for a number). */
function paramSettingSchema(p: Parameter, description: string): JsonSchema {
  const byFormat: Record<string, string> = { date: '2024-01-01', 'date-time': '2024-01-01T00:00:00Z', uuid: '00000000-0000-4000-8000-000000000000', email: 'user@example.com' };
  const ex = p.example ?? p.schema.example ?? p.schema.default ?? (Array.isArray(p.schema.enum) ? p.schema.enum[0] : undefined)
    ?? (typeof p.schema.format === 'string' ? byFormat[p.schema.format] : undefined) ?? (p.schema.type === 'integer' || p.schema.type === 'number' ? 1 : p.schema.type === 'boolean' ? 'true' : undefined);
  const enumValues = Array.isArray(p.schema.enum) && p.schema.enum.every((v) => typeof v === 'string' || typeof v === 'number') ? p.schema.enum.map(String) : undefined;
  return {
    type: 'string', description,
    ...(enumValues ? { enum: enumValues } : {}),
    ...(ex !== undefined && ex !== null && typeof ex !== 'object' ? { examples: [String(ex)] } : {}),
  };
}

/** A fixed value a required query parameter can take from the document: its default, else its first enum value. */
function fixedValue(p: Parameter): string | number | boolean | undefined {
  const d = p.schema.default;
  // A value with braces would read as a placeholder (dlt refuses an unknown one): a setting instead.
  if (typeof d === 'string' && /[{}]/.test(d)) return undefined;
  if (typeof d === 'string' || typeof d === 'number' || typeof d === 'boolean') return d;
  const e = Array.isArray(p.schema.enum) ? p.schema.enum[0] : undefined;
  if (typeof e === 'string' && /[{}]/.test(e)) return undefined;
  if (typeof e === 'string' || typeof e === 'number' || typeof e === 'boolean') return e;
  return undefined;
}

/**
 * The dlt `rest_api` definition, stream schemas and settings for an OpenAPI document: one resource
 * per GET endpoint answering records: a JSON list or object, XML, a scalar, text or bytes (`only`: those whose name or path
 * matches, and their parents).
 */
export function generate(source: OpenApiDocument, only?: string): Generated {
  const { doc } = source;
  const refs = new RefResolver(doc);
  const stats = { cycles: 0 };
  const { endpoints, skipped, operations } = discoverEndpoints(doc, refs, stats);
  // An AWS Query action (`/#Action=DescribeClusters`) is named by its action.
  const naming = (path: string) => path.replace(/\/?#Action=([A-Za-z0-9]+)$/, '/$1').replace(/#(.*)$/, (_, f: string) => `/${f.replace(/[^\w-]+/g, '_')}`);
  const byNaming = resourceNames(endpoints.map((e) => naming(e.path)));
  const names = new Map(endpoints.map((e) => [e.path, byNaming.get(naming(e.path)) as string]));
  // An entity path (`/users/{user_id}`) names its record by its last placeholder.
  // Only when it answers one object: a list at such a path (`/standings/{season}`) shares the value
  // across its records, and a key shared by many would merge them into one row in the target.
  const entityVar = (e: ReadEndpoint) => (e.kind === 'object' && isEntityPath(e.path) ? /\{([^{}]+)\}\/?$/.exec(e.path)?.[1] : undefined);
  const keys = new Map(endpoints.map((e) => [e.path, detectPrimaryKey(e.record, e.rawRecord, (names.get(e.path) as string).replace(/_by_.*$/, ''), refs, entityVar(e))]));
  // Only lists are parents: a child reads once per record of its parent.
  const candidates = endpoints.filter((e) => e.kind === 'list').map((e) => ({ name: names.get(e.path) as string, path: e.path, record: e.record, ...(keys.get(e.path) ? { primaryKey: keys.get(e.path)?.key } : {}) }));
  const parents = new Map<string, ParentLink>();
  for (const e of endpoints) {
    const link = detectParent(e.path, candidates, Object.fromEntries(e.parameters.filter((p) => p.in === 'path').map((p) => [p.name, p.schema])));
    if (link) parents.set(e.path, link);
  }
  const base = baseUrl(doc);
  const auth = detectAuth(doc, refs, base.setting ? undefined : base.url);
  const authParam = auth.auth?.type === 'api_key' ? { name: auth.auth.name, in: auth.auth.location } : undefined;
  const settings: Record<string, JsonSchema> = { ...auth.settings };
  if (base.setting) settings.base_url = { type: 'string', description: base.why };

  // --only: the matching resources and every ancestor they need.
  const match = only ? onlyMatcher(only) : undefined;
  const keep = new Set<string>();
  for (const e of endpoints) {
    if (match && !match(names.get(e.path) as string, e.path)) continue;
    for (let p: string | undefined = e.path; p && !keep.has(p); ) {
      keep.add(p);
      const link = parents.get(p);
      p = link ? candidates.find((c) => c.name === link.parent)?.path : undefined;
    }
  }
  if (match) for (const e of endpoints) if (!keep.has(e.path)) skipped.push({ path: e.path, method: 'GET', reason: `not matched by --only ${only}` });

  const resources: GeneratedResource[] = [];
  for (const e of endpoints.filter((x) => keep.has(x.path))) {
    const name = names.get(e.path) as string;
    const comment: string[] = [`GET ${e.path}${e.summary ? `: ${e.summary.replace(/\s+/g, ' ').slice(0, 120)}` : e.operationId ? ` (${e.operationId})` : ''}`];
    const answers = e.format === 'text' ? `text (${e.answers})` : e.format === 'binary' ? `bytes (${e.answers})` : e.answers;
    comment.push(e.unselected ? `records: none (${e.unselected})` : e.kind === 'value'
      ? `records: ${e.format === 'binary' ? `one per response, {value: the bytes in base64, content_type, size}: it answers ${answers}`
        : e.format === 'text' ? `one {value: the text} per response: it answers ${answers}`
          : `one {value: ...} per ${/^a list/.test(answers ?? '') ? 'item' : 'response'} (dlt's normaliser wraps a value that is not an object so): it answers ${answers}`}`
      : e.kind === 'list'
        ? `records: ${e.selector ? `the list at '${e.selector}'` : 'the response body (a list)'}`
        : e.kind === 'object' ? `records: one per response, ${e.selector ? `the object at '${e.selector}'` : 'the response body (an object)'}`
          : 'records: as dlt finds them (the body when it is a list, else a list under a usual key, else the body as one record)');
    if (e.format === 'xml') comment.push(`XML (${e.mediaType}): read into objects (element text as strings, typed by the schema; an element seen once is still a list where the schema says array); the selector searches below the root element (${/#Action=/.test(e.path) || /Result$/.test(e.selector ?? '') ? "AWS's <ActionResponse><ActionResult> wrapper, " : ''}not in the document): a guess`);
    if (e.redirect) comment.push('the document describes a redirect only (a download): tap-rest follows it and reads what it leads to by its Content-Type; bytes are a guess (a JSON target would be records, not the schema written)');
    if (e.format) comment.push(`tap-rest reads the body by its Content-Type; dlt's rest_api reads JSON only (response.json()) and cannot run this resource`);
    if (e.deprecated) comment.push('deprecated in the document: it may stop answering');
    if (e.untyped && !e.unselected) comment.push(`schema: none (${e.untyped}): the stream is untyped, a guess`);
    const link = parents.get(e.path);
    const parentPath = link ? candidates.find((c) => c.name === link.parent)?.path : undefined;
    // A placeholder of the parent's own path bound to a grandparent cannot be filled here (a resource reads one parent).
    const grand = parentPath ? parents.get(parentPath) : undefined;
    const endpoint: EndpointConfig = { path: e.path.replace(/#.*$/, '') };
    const params: Record<string, unknown> = {};
    const headers: Record<string, string> = {};
    const settingsUsed: string[] = [];
    let unfillable: string | undefined;
    for (const p of e.parameters) {
      if (p.in === 'path') {
        const field = link?.fields[p.name];
        if (field !== undefined && link) {
          endpoint.path = (endpoint.path as string).split(`{${p.name}}`).join(`{resources.${link.parent}.${field}}`);
          continue;
        }
        const grandField = grand?.fields[p.name];
        if (grand && link && grandField !== undefined) {
          // The parent, a list child itself, carries its own parent's field (include_from_parent): `_<grandparent>_<field>`.
          if (!/^[A-Za-z0-9_]+$/.test(grandField)) unfillable = p.name;
          else {
            endpoint.path = (endpoint.path as string).split(`{${p.name}}`).join(`{resources.${link.parent}._${grand.parent}_${grandField}}`);
            comment.push(`{${p.name}} is '${grandField}' of ${grand.parent}, carried by ${link.parent} as '_${grand.parent}_${grandField}'`);
            continue;
          }
        }
        const setting = paramSetting(p.name);
        settings[setting] ??= paramSettingSchema(p, `Path parameter {${p.name}} of GET ${e.path}${p.description ? `: ${p.description.split('\n')[0]?.slice(0, 160)}` : ''}`);
        endpoint.path = (endpoint.path as string).split(`{${p.name}}`).join(`{config.${setting}}`);
        settingsUsed.push(setting);
      } else if (p.required && (p.in === 'query' || p.in === 'header')) {
        if (authParam && p.name === authParam.name) continue;
        // A name with braces (`{search}`, a document's slip) would read as a placeholder: left out, said in the comment.
        if (/[{}]/.test(p.name)) {
          comment.push(`required ${p.in} parameter '${p.name}' left out (braces in its name)`);
          continue;
        }
        const fixed = fixedValue(p);
        let value: string | number | boolean;
        if (fixed !== undefined) value = fixed;
        else {
          const setting = paramSetting(p.name);
          settings[setting] ??= paramSettingSchema(p, `Required ${p.in} parameter '${p.name}' of GET ${e.path}${p.description ? `: ${p.description.split('\n')[0]?.slice(0, 160)}` : ''}`);
          value = `{config.${setting}}`;
          settingsUsed.push(setting);
        }
        if (p.in === 'query') params[p.name] = value;
        else headers[p.name] = String(value);
      }
    }
    // A placeholder the document declares no parameter for is a setting too.
    for (const m of (endpoint.path as string).matchAll(/\{([^{}.]+)\}/g)) {
      const setting = paramSetting(m[1] as string);
      settings[setting] ??= { type: 'string', description: `Path placeholder {${m[1]}} of GET ${e.path} (no parameter declared for it)` };
      endpoint.path = (endpoint.path as string).split(m[0]).join(`{config.${setting}}`);
      settingsUsed.push(setting);
    }
    if (unfillable) {
      skipped.push({ path: e.path, method: 'GET', reason: `{${unfillable}} is bound to a grandparent's field (a resource reads one parent)` });
      continue;
    }
    if (link) comment.push(`parent: ${link.why}`);
    if (e.selector) endpoint.data_selector = e.selector.startsWith('$') ? e.selector : dltPath(e.selector.split('.'));
    // One object (or value): the whole body is the record (dlt would otherwise look for a list inside it) and there is one page.
    else if (e.kind === 'object' || e.kind === 'value') endpoint.data_selector = '$';
    const pag = e.kind === 'object' || e.kind === 'value'
      ? { paginator: 'single_page' as const, params: {}, detected: true, why: e.kind === 'object' ? 'one object per response' : 'one value per response' }
      : xmlPaginator(detectPaginator(e), e.format);
    Object.assign(params, pag.params);
    endpoint.paginator = pag.paginator;
    comment.push(`paginator: ${typeof pag.paginator === 'string' ? pag.paginator : pag.paginator.type}, from ${pag.why}`);
    const inc: IncrementalFinding = e.kind === 'list' ? detectIncremental(e.record, e.parameters) : {};
    if (inc.found) {
      const incremental: IncrementalConfig = { cursor_path: inc.found.cursor, start_param: inc.found.param };
      endpoint.incremental = incremental;
      comment.push(`incremental: ${inc.found.why}`);
    } else if (inc.candidate) comment.push(`incremental: none ('${inc.candidate}' changes, but no parameter filters on it: every run reads everything)`);
    if (Object.keys(params).length) endpoint.params = params;
    if (e.redirect && !Object.keys(headers).some((h) => h.toLowerCase() === 'accept')) headers.Accept = '*/*';
    if (e.mediaType && !Object.keys(headers).some((h) => h.toLowerCase() === 'accept')) {
      headers.Accept = e.mediaType;
      comment.push(`Accept: ${e.mediaType} (the document's media type for this response)`);
    }
    if (Object.keys(headers).length) endpoint.headers = headers;
    // The parent's field a child reads by: kept on each record (`_<parent>_<field>`), but for an entity of
    // the parent itself (`/users/{id}` of `users`), whose record is that entity.
    const parentRecord = parentPath ? endpoints.find((x) => x.path === parentPath)?.record : undefined;
    const fromParent: Record<string, JsonSchema> = {};
    const include: string[] = [];
    const ownEntity = link && parentPath && e.kind === 'object' && isEntityPath(e.path) && e.path.replace(/\/+$/, '').split('/').length === parentPath.replace(/\/+$/, '').split('/').length + 1;
    if (link && !ownEntity) {
      for (const field of new Set(Object.values(link.fields))) {
        if (!/^[A-Za-z0-9_]+$/.test(field)) continue;
        include.push(field);
        const f = parentRecord?.properties?.[field];
        fromParent[`_${link.parent}_${field}`] = f ? { ...f, ...(Array.isArray(f.type) ? { type: f.type.filter((t) => t !== 'null') } : {}) } : {};
      }
    }
    if (include.length) comment.push(`include_from_parent: ${include.map((f) => `'${f}' (as '_${link?.parent}_${f}')`).join(', ')}`);
    let key = keys.get(e.path);
    // One object per parent record (`/users/{id}/settings`) with no key of its own: the parent's field is its key.
    if (!key && e.kind === 'object' && link && include.length === 1) key = { key: [`_${link?.parent}_${include[0]}`], why: `'_${link?.parent}_${include[0]}' (one object per ${link?.parent} record, keyed by its parent's field)` };
    comment.push(key ? `primary key: ${key.why}, write_disposition merge` : 'primary key: none found, write_disposition append');
    if (settingsUsed.length) comment.push(`settings: ${[...new Set(settingsUsed)].map((s) => `{config.${s}}`).join(', ')} (${settingsUsed.length > 1 ? 'parameters' : 'a parameter'} no list in the document supplies)`);
    // An AWS Query action that changes state (`/#Action=DeleteCluster` is a GET too): written, not selected.
    const action = /#Action=([A-Za-z0-9]+)/.exec(e.path)?.[1];
    const off = e.unselected ? 'it reads no records (written so the definition lists every GET)'
      : action !== undefined && !READ_ACTION.test(action) ? `${action} is an action that changes state, not a read (select it only knowingly)` : undefined;
    if (off) comment.push(`not selected: ${off}`);
    const config: ResourceConfig = {
      name,
      ...(off ? { selected: false } : {}),
      endpoint,
      ...(include.length ? { include_from_parent: include } : {}),
      ...(key ? { primary_key: key.key.length === 1 ? (key.key[0] as string) : key.key, write_disposition: 'merge' as const } : { write_disposition: 'append' as const }),
    };
    resources.push({ name, path: e.path, kind: e.kind, ...(e.format ? { format: e.format } : {}), ...(off ? { unselected: e.unselected ? 'reads nothing' as const : 'changes state' as const } : {}), config, schema: streamSchema(e.record, key?.key, fromParent), comment, paginated: pag.detected, keyed: !!key, incremental: !!inc.found, child: !!link });
  }
  // A child whose parent was skipped cannot run: skip it too.
  for (let changed = true; changed; ) {
    changed = false;
    const written = new Set(resources.map((r) => r.name));
    for (let i = resources.length - 1; i >= 0; i--) {
      const r = resources[i] as GeneratedResource;
      const link = parents.get(r.path);
      if (link && !written.has(link.parent)) {
        resources.splice(i, 1);
        skipped.push({ path: r.path, method: 'GET', reason: `its parent '${link.parent}' was skipped` });
        changed = true;
      }
    }
  }
  const client: NonNullable<RestApiDefinition['client']> = { base_url: base.url };
  if (auth.auth) client.auth = auth.auth;
  if (Object.keys(auth.headers).length) client.headers = auth.headers;
  const info = isJsonObject(doc.info) ? (doc.info as JsonObject) : {};
  const title = typeof info.title === 'string' ? info.title : 'API';
  const header = [
    `dlt rest_api definition for ${title}${typeof info.version === 'string' ? ` ${info.version}` : ''}, generated by tap-rest init --openapi from ${source.label.replace(/^openapi /, '')} (OpenAPI ${source.declared}).`,
    `base_url: ${base.why}`,
    `auth: ${auth.why}`,
    `Settings referenced as {config.*}: ${Object.keys(settings).join(', ') || 'none'}.`,
  ];
  return {
    title, definition: { client, resources: resources.map((r) => r.config) }, resources,
    settings, skipped, operations, readEndpoints: endpoints.length, listEndpoints: endpoints.filter((e) => e.kind === 'list').length, header, cycles: stats.cycles,
  };
}
