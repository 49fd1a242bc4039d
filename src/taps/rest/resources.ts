import { UserError, fieldOf, fromLastValue, isJsonObject, rest, setField, type JsonObject, type JsonSchema, type QueryParams, type RestStream, type StreamContext, type ResponseRule, type RecordSelector } from '@singer-io-compatible/tap-kit';
import { cursorField, cursorSteps, incrementalValues, keepRecord, liftCursor, readShaped, type KeyKind } from './incremental.js';
import type { EndpointConfig, IncrementalConfig, ResourceConfig, RestApiDefinition } from './definition.js';
import { buildPaginator } from './paginator.js';
import { checkPlaceholders, fill, parentReferences, literal } from './placeholders.js';
import { findRecords } from './records.js';
import { conformXml, isXmlPage } from './xml-records.js';
import { buildAuth } from './auth.js';
import type { Authenticator, Paginator } from '@singer-io-compatible/tap-kit';

import type { RestSettings } from './settings.js';

export type { RestSettings } from './settings.js';

type Ctx = StreamContext<RestSettings>;

/** One resource compiled: its stream declaration and what discovery needs to sample it. */
export interface ResourcePlan {
  /** The resource's dlt name (placeholders and `include_from_parent` use it). */
  dltName: string;
  resource: ResourceConfig;
  endpoint: EndpointConfig;
  stream: RestStream<RestSettings>;
  /** Parent's dlt name, and the parent fields this child reads. */
  parent?: { dltName: string; fields: string[] };
  /** Record shaping without the incremental filters (discovery samples through it). */
  shape: (item: JsonObject, parent: JsonObject | undefined) => JsonObject;
  /** A field of one of this resource's shaped records, by dlt path (its nested cursor path reads the lifted field). */
  readField: (record: JsonObject, path: string) => unknown;
  /** A nested cursor path and the top-level field its value is moved to. */
  lift?: { steps: string[]; field: string };
  /** The replication key's comparison kind, known once the schema is. */
  kind: KeyKind;
}

/** Objects merge key by key; these values are replaced whole (a paginator of one type must not inherit another's parameters). */
const WHOLE = new Set(['paginator', 'auth', 'incremental', 'schema', 'write_disposition', 'primary_key', 'merge_key', 'response_actions', 'include_from_parent']);
/** dlt merges an endpoint's `params` and `json` one level deep: a key the resource sets replaces the default's value whole. */
const ONE_LEVEL = new Set(['params', 'json']);

function merge(base: unknown, own: unknown): unknown {
  if (!isJsonObject(base) || !isJsonObject(own)) return own === undefined ? base : own;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(own)) {
    const b = fieldOf(base, k);
    setField(out, k, WHOLE.has(k) ? v : ONE_LEVEL.has(k) ? (isJsonObject(b) && isJsonObject(v) ? { ...b, ...v } : v) : merge(b, v));
  }
  return out;
}

/** The endpoint's own authenticator, built on first use (its settings are only needed then) and shared by every request sequence. */
function once(build: () => Authenticator): () => Authenticator {
  let auth: Authenticator | undefined;
  return () => (auth ??= build());
}

function asResource(r: string | ResourceConfig): ResourceConfig {
  return typeof r === 'string' ? { name: r, endpoint: { path: r } } : r;
}

function asEndpoint(e: string | EndpointConfig | undefined): EndpointConfig {
  return typeof e === 'string' ? { path: e } : { ...e };
}

/** `{name}` (a bare name, no context prefix) in a path. */
function pathSlot(name: string): RegExp {
  return new RegExp(`\\{\\s*${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*\\}`, 'g');
}

/**
 * dlt's older forms in `params`: `{type: resolve, resource, field}` (fills the path placeholder of
 * its name, else is sent as a query parameter), `{type: incremental, cursor_path, ...}`, and a plain
 * value whose name is a path placeholder (`/{kind}/items` with `params: {kind: widgets}`), bound
 * into the path and not sent.
 */
function modernize(endpoint: EndpointConfig): EndpointConfig {
  const params: Record<string, unknown> = {};
  let path = endpoint.path;
  const inPath = (k: string) => path !== undefined && pathSlot(k).test(path);
  for (const [k, v] of Object.entries(endpoint.params ?? {})) {
    if (isJsonObject(v) && v.type === 'resolve') {
      const ref = `{resources.${String(v.resource)}.${String(v.field)}}`;
      if (inPath(k)) path = (path as string).replace(pathSlot(k), ref);
      else setField(params, k, ref);
    } else if (isJsonObject(v) && v.type === 'incremental') {
      const { type: _t, ...inc } = v;
      endpoint.incremental = { ...(inc as unknown as IncrementalConfig), start_param: k };
    } else if (inPath(k) && (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')) {
      path = (path as string).replace(pathSlot(k), String(v));
    } else setField(params, k, v);
  }
  return { ...endpoint, ...(path !== undefined ? { path } : {}), params };
}

/** Paginators that step through positions (offsets, page numbers, page links), or may (auto). */
const POSITIONAL = new Set(['offset', 'page_number', 'json_link', 'header_link', 'auto']);

/**
 * The query parameter the API filters the cursor on: `start_param`, or a parameter whose value is
 * `{incremental.start_value}` / `{incremental.last_value}`. Undefined when the API is not asked to filter.
 */
function startFilterParam(endpoint: EndpointConfig): string | undefined {
  const inc = endpoint.incremental;
  if (inc?.start_param) return inc.start_param;
  for (const [k, v] of Object.entries(endpoint.params ?? {})) {
    if (typeof v === 'string' && /^\{\s*incremental\.(start_value|last_value)\s*\}$/.test(v)) return k;
  }
  return undefined;
}

/**
 * A list in cursor order read by positions with no start filter to page from: a row updated during the
 * run moves to the end and the rows behind it slide back, so the next position can skip one, and no
 * request can ask from the last value instead. The run says so (see the README's guarantees).
 */
export function positionalWithoutFilter(endpoint: EndpointConfig): boolean {
  const type = paginatorType(endpoint);
  return endpoint.incremental?.row_order === 'asc' && startFilterParam(endpoint) === undefined && POSITIONAL.has(type) && type !== 'auto';
}

/** The endpoint's paginator type name (`auto` when none is given). */
function paginatorType(endpoint: EndpointConfig): string {
  return String(typeof endpoint.paginator === 'string' ? endpoint.paginator : (endpoint.paginator?.type ?? 'auto'));
}

/**
 * A list in cursor order (`row_order: asc`) that the API filters from a start value, read by
 * positions: a row updated during the run moves to the end and the rows behind it slide back one
 * place, so the next position would skip one while the bookmark passes it. Each next page is asked
 * instead as the first page filtered from the last value read (the kit's `fromLastValue`); an open
 * range start (`range_start: open`, the API's filter may be exclusive) is left to the positions.
 */
function pagedFromLastValue(paginator: Paginator, endpoint: EndpointConfig): Paginator {
  const inc = endpoint.incremental;
  const param = startFilterParam(endpoint);
  if (!inc || inc.row_order !== 'asc' || inc.range_start === 'open' || param === undefined || !POSITIONAL.has(paginatorType(endpoint))) return paginator;
  return fromLastValue(paginator, { param, key: inc.cursor_path.replace(/^\$\./, '') });
}

/**
 * `{incremental.*}` in a path: the kit fills a path from the parent's context only, so the slot is
 * kept URL-encoded (`%7Bincremental.start_value%7D`, which the kit leaves alone) and filled in the
 * first request of each request sequence, when its start is known.
 */
const INCREMENTAL_IN_PATH = /\{\s*incremental\.([a-z_]+)\s*\}/g;

function incrementalPathSlots(path: string): string[] {
  return [...path.matchAll(INCREMENTAL_IN_PATH)].map((m) => m[1] as string);
}

function withIncrementalPath(paginator: Paginator, values: Partial<Record<string, unknown>>, where: string): Paginator {
  return {
    ...paginator,
    first: (r) => {
      r.url.pathname = r.url.pathname.replace(/%7Bincremental\.([a-z_]+)%7D/g, (_, name: string) => {
        const v = values[name];
        if (v === undefined || v === null) throw new UserError(`${where}: endpoint.path needs {incremental.${name}}, which has no value (set incremental.initial_value, or start_date)`);
        return encodeURIComponent(String(v));
      });
      paginator.first?.(r);
    },
  };
}

/** dlt's `lag`: seconds for a date-time cursor, days for a date cursor, units for a numeric one (the kit's lookback takes key units or seconds). */
function lagSeconds(lag: number, schema: JsonSchema | undefined, field: string | undefined): number {
  const prop = schema?.properties && field ? fieldOf(schema.properties, field) : undefined;
  const formats = [prop?.format, ...(prop?.anyOf ?? prop?.oneOf ?? []).map((s) => s.format)];
  return formats.includes('date') && !formats.includes('date-time') ? lag * 86_400 : lag;
}

/** Stream names follow the kit's rule `[a-z_0-9]+`: `Open-Issues` is `open_issues`. */
export function streamName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9_]+/g, '_').replace(/^_+|_+$/g, '') || 'stream';
}

function keys(k: string | string[] | undefined): string[] {
  return k === undefined ? [] : Array.isArray(k) ? k : [k];
}

function toQuery(params: Record<string, unknown>): QueryParams {
  const out: QueryParams = {};
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '') continue;
    setField<QueryParams[string]>(out, k, typeof v === 'object' ? (Array.isArray(v) ? v.join(',') : JSON.stringify(v)) : (v as string | number | boolean));
  }
  return out;
}

/** Compiles every resource of a definition (after `{config.*}` resolution) into stream declarations. */
export function compileResources(def: RestApiDefinition, label: string): ResourcePlan[] {
  const defaults = def.resource_defaults ?? {};
  const clientPaginator = def.client?.paginator;
  const resources = def.resources.map(asResource);
  const byName = new Map<string, ResourceConfig>();
  for (const r of resources) {
    if (byName.has(r.name)) throw new UserError(`${label}: two resources are named '${r.name}'`);
    byName.set(r.name, r);
  }
  const names = new Map<string, string>();
  const plans: ResourcePlan[] = [];
  /** Per resource, its nested cursor path and the top-level field it is moved to. */
  const lifts = new Map<string, { steps: string[]; field: string }>();
  for (const own of resources) {
    const where = `${label}: resource '${own.name}'`;
    const resource = merge(defaults, own) as ResourceConfig;
    const endpoint = modernize(merge(asEndpoint(defaults.endpoint), asEndpoint(own.endpoint)) as EndpointConfig);
    endpoint.path ??= own.name;
    endpoint.paginator ??= clientPaginator;
    checkPlaceholders({ path: endpoint.path, params: endpoint.params, json: endpoint.json, headers: endpoint.headers }, where);
    const pathIncremental = incrementalPathSlots(endpoint.path);
    if (pathIncremental.length && !endpoint.incremental) throw new UserError(`${where}: endpoint.path: {incremental.${pathIncremental[0]}} needs an incremental (endpoint.incremental with a cursor_path)`);
    const name = streamName(resource.table_name ?? resource.name);
    const clash = names.get(name);
    if (clash) throw new UserError(`${where}: its table name '${name}' is also resource '${clash}''s`);
    names.set(name, own.name);

    // Parent: the one resource its placeholders name.
    const refs = parentReferences({ path: endpoint.path, params: endpoint.params, json: endpoint.json, headers: endpoint.headers });
    const parents = [...new Set(refs.map((r) => r.parent))];
    if (parents.length > 1) throw new UserError(`${where}: placeholders name two parents (${parents.join(', ')}); a resource has one parent`);
    const parentName = parents[0];
    if (parentName !== undefined && !byName.has(parentName)) {
      const ref = refs.find((r) => r.parent === parentName) as { parent: string; field: string };
      throw new UserError(`${where}: {resources.${parentName}.${ref.field}}: '${parentName}' is not a resource of this definition (resources: ${[...byName.keys()].join(', ')})`);
    }
    if (parentName === own.name) throw new UserError(`${where}: a resource cannot be its own parent`);
    if (resource.include_from_parent?.length && parentName === undefined) throw new UserError(`${where}: include_from_parent needs a parent ({resources.<parent>.<field>} in the path or params)`);
    const fields = [...new Set(refs.map((r) => r.field))];

    // Disposition: merge = upsert on the primary key; append = no key; replace = full table, versioned.
    const wd = resource.write_disposition;
    const disposition = typeof wd === 'object' ? wd.disposition : wd ?? 'append';
    const primaryKey = disposition === 'append' ? [] : keys(resource.primary_key);
    const inc = disposition === 'replace' ? undefined : endpoint.incremental;
    const replicationKey = inc ? cursorField(inc.cursor_path) : undefined;

    // A last path segment that is a placeholder fetches one entity: one page, the body is the record.
    const single = /\{[^}]+\}\/?$/.test(endpoint.path);
    const paginator = pagedFromLastValue(buildPaginator(single && !endpoint.paginator ? 'single_page' : endpoint.paginator), endpoint);
    const selector: RecordSelector = endpoint.data_selector ?? (single ? '$' : findRecords);
    // A setting's braces in the path are data (`literal`): sent encoded, never a placeholder of the kit's.
    const kitPath = literal(endpoint.path.replace(/\{\s*resources\.[^.]+\.([^}]+?)\s*\}/g, (_, f: string) => `{${f}}`)
      .replace(INCREMENTAL_IN_PATH, (_, name: string) => `%7Bincremental.${name}%7D`), true);
    const method = (endpoint.method ?? 'GET').toUpperCase() as 'GET' | 'POST';
    const rules: ResponseRule[] = (endpoint.response_actions ?? []).map((a) => {
      if (a.message !== undefined && a.action !== 'fail') throw new UserError(`${where}: a response action's 'message' is for action 'fail', not '${a.action}'`);
      return {
        action: a.action, ...(a.status_code !== undefined ? { status: a.status_code } : {}), ...(a.content !== undefined ? { content: a.content } : {}),
        ...(a.message !== undefined ? { message: a.message } : {}),
      };
    });
    const parentDlt = parentName;
    const include = resource.include_from_parent ?? [];

    const steps = inc ? cursorSteps(inc.cursor_path) : [];
    const lift = replicationKey && steps.length > 1 ? { steps, field: replicationKey } : undefined;
    if (lift) lifts.set(own.name, lift);
    const plan: ResourcePlan = { dltName: own.name, resource, endpoint, kind: 'string', ...(lift ? { lift } : {}) } as ResourcePlan;
    plan.readField = (record, path) => readShaped(record, path, lift);
    // Parents are compiled in any order: their lifted cursor is looked up when a record is read.
    const parentField = (record: JsonObject, path: string) => readShaped(record, path, parentDlt === undefined ? undefined : lifts.get(parentDlt));
    // `{incremental.*}` values: a `replace` resource is read whole (no bookmark), from its initial_value.
    const incValues = (ctx: Ctx): Partial<ReturnType<typeof incrementalValues>> => (endpoint.incremental ? incrementalValues(endpoint.incremental, inc ? ctx.start : undefined, plan.kind) : {});
    const values = (ctx: Ctx) => ({ ...(ctx.parent ? { parent: ctx.parent, read: (r: Record<string, unknown>, f: string) => parentField(r as JsonObject, f) } : {}), incremental: incValues(ctx) });
    const shape = (item: JsonObject, parent: JsonObject | undefined): JsonObject => {
      const record: JsonObject = { ...item };
      for (const f of include) setField(record, `_${parentDlt}_${f.split('.').join('_')}`, (parent ? parentField(parent, f) : undefined) as JsonObject[string] ?? null);
      return lift ? liftCursor(record, lift.steps, lift.field) : record;
    };
    plan.shape = shape;
    const describe = (record: JsonObject) => () => `stream '${name}': record ${primaryKey.map((k) => `${k}=${JSON.stringify(fieldOf(record, k) ?? null)}`).join(', ') || '(no key)'}`;
    const transform = inc && replicationKey
      ? (item: JsonObject, _page: unknown, ctx: Ctx): JsonObject | null => {
        const record = shape(item, ctx.parent);
        return keepRecord(inc, record, replicationKey, ctx.start, plan.kind, describe(record));
      }
      : include.length ? (item: JsonObject, _page: unknown, ctx: Ctx) => shape(item, ctx.parent) : undefined;
    // A resource that asks for XML (an `Accept` naming it, as init writes): its records typed by the
    // stream's schema (lists where it says array, numbers from text); JSON resources pay nothing.
    const accept = Object.entries({ ...def.client?.headers, ...endpoint.headers }).find(([h]) => h.toLowerCase() === 'accept')?.[1];
    const typed = typeof accept === 'string' && /xml/i.test(accept)
      ? (item: JsonObject, page: unknown, ctx: Ctx): JsonObject | null => {
        const record = isXmlPage(page) ? conformXml(item, plan.stream.schema) as JsonObject : item;
        return transform ? transform(record, page, ctx) : record;
      }
      : transform;

    plan.stream = rest<RestSettings>({
      name,
      path: kitPath,
      method,
      primaryKey,
      ...(replicationKey ? { replicationKey, sorted: inc?.row_order === 'asc' } : {}),
      ...(parentName !== undefined ? { parent: streamName(byName.get(parentName)?.table_name ?? parentName) } : {}),
      params: (ctx) => {
        const params = fill(endpoint.params ?? {}, values(ctx), `stream '${name}' params`) as Record<string, unknown>;
        const iv = incValues(ctx);
        if (inc?.start_param && iv.start_value !== undefined) setField(params, inc.start_param, iv.start_value);
        if (inc?.end_param && iv.end_value !== undefined) setField(params, inc.end_param, iv.end_value);
        return toQuery(params);
      },
      ...(endpoint.json !== undefined ? { body: (ctx: Ctx) => fill(endpoint.json, values(ctx), `stream '${name}' json`) } : {}),
      ...(endpoint.headers ? { headers: (ctx: Ctx) => fill(endpoint.headers, values(ctx), `stream '${name}' headers`) as Record<string, string> } : {}),
      paginator: pathIncremental.length ? (ctx: Ctx) => withIncrementalPath(paginator, incValues(ctx), `stream '${name}'`) : paginator,
      records: selector,
      ...(typed ? { transform: typed } : {}),
      ...(rules.length ? { responseRules: rules } : {}),
      ...(endpoint.auth ? { auth: once(() => buildAuth(endpoint.auth, where)) } : {}),
      ...(disposition === 'replace' ? { activateVersion: true } : {}),
      ...(inc?.lag ? { lookbackSeconds: () => lagSeconds(inc.lag as number, plan.stream.schema, replicationKey) } : {}),
      ...(resource.selected === false ? { selectedByDefault: false } : {}),
      description: `${method} ${endpoint.path} (${disposition}${replicationKey ? `, incremental on ${inc?.cursor_path}` : ''})`,
    });
    if (parentName !== undefined) plan.parent = { dltName: parentName, fields };
    plans.push(plan);
  }
  // A parent gives its children the fields their placeholders read (the per-parent bookmark's context).
  for (const plan of plans) {
    const fields = [...new Set(plans.filter((p) => p.parent?.dltName === plan.dltName).flatMap((p) => p.parent?.fields ?? []))];
    if (fields.length) plan.stream.childContext = (record) => Object.fromEntries(fields.map((f) => [f, (plan.readField(record, f) ?? null) as JsonObject[string]]));
  }
  // Parents before children, as the kit syncs them.
  const order: ResourcePlan[] = [];
  const visit = (p: ResourcePlan, seen: Set<string>) => {
    if (order.includes(p)) return;
    if (seen.has(p.dltName)) throw new UserError(`${label}: resources form a cycle through '${p.dltName}'`);
    const parent = p.parent && plans.find((x) => x.dltName === p.parent?.dltName);
    if (parent) visit(parent, new Set([...seen, p.dltName]));
    order.push(p);
  };
  for (const p of plans) visit(p, new Set());
  return order;
}

/** Resources given a JSON Schema in the definition skip inference. */
export function declaredSchema(plan: ResourcePlan): JsonSchema | undefined {
  return plan.resource.schema as JsonSchema | undefined;
}

