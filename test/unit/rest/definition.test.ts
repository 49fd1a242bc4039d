// tap-rest's definition reader: validation errors (one line), placeholders, compilation into kit streams.
import { describe, it, expect } from 'vitest';
import { checkDefinition, parseSource } from '../../../src/taps/rest/load.js';
import { configReferences, fill, isSecretName, resolveConfig } from '../../../src/taps/rest/placeholders.js';
import { compileResources } from '../../../src/taps/rest/resources.js';
import { didYouMean } from '../../../src/taps/rest/suggest.js';
import { applyColumns, columnSchema } from '../../../src/taps/rest/columns.js';
import { findRecords } from '../../../src/taps/rest/records.js';
import { completeSchema, withoutMovedCursor } from '../../../src/taps/rest/discover.js';
import type { RestApiDefinition } from '../../../src/taps/rest/definition.js';
import { userError } from '../kit/support.js';
import type { Paginator, RequestSpec } from '@singer-io-compatible/tap-kit';

const seed004 = (paginator: unknown = { type: 'cursor', limit: 200, cursor_param: 'page', cursor_path: 'pagination.next' }): Record<string, unknown> => ({
  client: { base_url: 'https://api.example.com/v1', auth: { type: 'bearer', token: '{config.api_token}' } },
  resource_defaults: { primary_key: 'id', write_disposition: 'merge' },
  resources: [{ name: 'environments', endpoint: { path: '/environments', data_selector: 'data', paginator } }],
});

function error(def: unknown): string {
  return userError(() => checkDefinition(def, 'definition x.json')).message;
}

describe('validation: one line naming resource, key path and what is allowed', () => {
  it('a misspelled key, with did-you-mean', () => {
    const def = seed004();
    (def.resources as Array<{ endpoint: Record<string, unknown> }>)[0]!.endpoint.data_selecter = 'data';
    expect(error(def)).toBe("definition x.json: resource 'environments': unknown key 'endpoint.data_selecter' (did you mean 'data_selector'?); allowed: path, method, params, json, headers, data_selector, paginator, incremental, response_actions, auth");
  });
  it('a paginator parameter its type does not take', () => {
    expect(error(seed004({ type: 'offset', limit: 10, cursor_path: 'x' }))).toBe("definition x.json: resource 'environments': unknown key 'endpoint.paginator.cursor_path' (a 'offset' paginator takes limit, offset, offset_param, limit_param, offset_body_path, limit_body_path, total_path, maximum_offset, stop_after_empty_page, has_more_path)");
  });
  it('a wrong type, an unknown enum value, a missing required key', () => {
    expect(error(seed004({ type: 'offset', limit: 'ten' }))).toMatch(/resource 'environments': 'endpoint.paginator.limit' must be integer \(got "ten"\)/);
    expect(error(seed004('page_numbr'))).toMatch(/'endpoint.paginator' is "page_numbr" \(did you mean 'page_number'\?\); allowed: "auto", "single_page"/);
    expect(error(seed004({ type: 'offset' }))).toMatch(/'endpoint.paginator.limit' is required/);
    expect(error({ client: {} })).toMatch(/definition x.json: definition: 'resources' is required/);
  });
  it('client and resource_defaults errors name their section', () => {
    expect(error({ ...seed004(), client: { base_ur: 'x' } })).toMatch(/^definition x.json: client: unknown key 'base_ur' \(did you mean 'base_url'\?\)/);
    expect(error({ ...seed004(), client: { auth: { type: 'bearer', tokn: 'x' } } })).toMatch(/client: unknown key 'auth.tokn' \(did you mean 'token'\?\)/);
  });
  it('processing_steps are refused clearly', () => {
    const def = seed004();
    (def.resources as Array<Record<string, unknown>>)[0]!.processing_steps = [{ filter: 'x' }];
    expect(error(def)).toMatch(/resource 'environments': processing_steps are Python callables/);
  });
  it('YAML and JSON syntax errors carry line and column', () => {
    expect(userError(() => parseSource({ label: 'definition y.yaml', text: 'client:\n  base_url: x\n resources: [\n' })).message).toMatch(/^definition y.yaml line \d+ column \d+: not valid JSON or YAML/);
    expect(parseSource({ label: 'l', text: 'resources:\n  - name: a\n' })).toEqual({ resources: [{ name: 'a' }] });
  });
  it('did-you-mean only for near misses', () => {
    expect(didYouMean('data_selecter', ['path', 'data_selector'])).toBe('data_selector');
    expect(didYouMean('zzz', ['path', 'data_selector'])).toBeUndefined();
  });
});

describe('placeholders', () => {
  it('config references are listed; names with key/token/secret/password are secrets', () => {
    expect([...configReferences(seed004())]).toEqual(['api_token']);
    expect(isSecretName('api_token') && isSecretName('client_secret') && isSecretName('password') && isSecretName('API_KEY')).toBe(true);
    expect(isSecretName('account_id')).toBe(false);
  });
  it('resolveConfig keeps a whole placeholder\'s type and interpolates inside strings', () => {
    expect(resolveConfig({ a: '{config.n}', b: 'x-{config.n}-{config.s}' }, { n: 5, s: 'y' })).toEqual({ a: 5, b: 'x-5-y' });
  });
  it('fill resolves parent fields and incremental values; unset incremental values drop the parameter', () => {
    const values = { parent: { id: 7, owner: { name: 'a b' } }, incremental: { start_value: '2024-01-01T00:00:00Z' } };
    expect(fill({ p: '{resources.projects.id}', q: '{incremental.start_value}', r: '{incremental.end_value}' }, values, 'w')).toEqual({ p: 7, q: '2024-01-01T00:00:00Z' });
    expect(fill('/o/{resources.projects.owner.name}/x', values, 'w', true)).toBe('/o/a%20b/x');
  });
});

function compile(def: Record<string, unknown>) {
  return compileResources(checkDefinition(def, 'definition d') as RestApiDefinition, 'definition d');
}

describe('compilation into kit streams', () => {
  it('write_disposition: merge keys on primary_key, append has no keys, replace is full table with ACTIVATE_VERSION', () => {
    const [merge, append, replace] = compile({
      resource_defaults: { primary_key: 'id' },
      resources: [
        { name: 'a', write_disposition: 'merge', endpoint: { path: '/a', incremental: { cursor_path: 'updated_at' } } },
        { name: 'b', endpoint: '/b' },
        { name: 'c', write_disposition: { disposition: 'replace' }, endpoint: { path: '/c', incremental: { cursor_path: 'updated_at' } } },
      ],
    });
    expect([merge!.stream.primaryKey, merge!.stream.replicationKey]).toEqual([['id'], 'updated_at']);
    expect(append!.stream.primaryKey).toEqual([]);
    expect([replace!.stream.primaryKey, replace!.stream.replicationKey, replace!.stream.activateVersion]).toEqual([['id'], undefined, true]);
  });

  it("resource_defaults: an endpoint's params and json merge one level deep with the resource's (as dlt's), paginators are replaced whole", () => {
    const [p] = compile({
      resource_defaults: { endpoint: { method: 'POST', json: { query: 'all', page: { size: 5 } }, params: { a: 1, since: { type: 'incremental', cursor_path: 'x', initial_value: 1 } }, paginator: { type: 'offset', limit: 5 } } },
      resources: [{ name: 'e', endpoint: { path: '/e', json: { trace: true, page: { from: 2 } }, params: { b: 2, since: { type: 'incremental', cursor_path: 'seq' } }, paginator: 'single_page' } }],
    });
    expect(p!.stream.body!({ settings: {} as never, context: {}, syncStart: '' })).toEqual({ query: 'all', trace: true, page: { from: 2 } });
    expect(p!.stream.params!({ settings: {} as never, context: {}, syncStart: '' })).toEqual({ a: 1, b: 2 });
    expect(p!.endpoint.incremental).toEqual({ cursor_path: 'seq', start_param: 'since' });
    expect(p!.stream.paginator).toMatchObject({ kind: 'single_page' });
  });

  it('paginator precedence: endpoint, then resource_defaults, then client; default auto', () => {
    const kinds = compile({
      client: { paginator: 'single_page' },
      resource_defaults: { endpoint: { paginator: { type: 'page_number' } } },
      resources: [{ name: 'a', endpoint: { paginator: { type: 'offset', limit: 5 } } }, 'b'],
    }).map((p) => (p.stream.paginator as { kind: string }).kind);
    expect(kinds).toEqual(['offset', 'page_number']);
    expect(compile({ client: { paginator: 'single_page' }, resources: ['a'] })[0]!.stream.paginator).toMatchObject({ kind: 'single_page' });
    expect(compile({ resources: ['a'] })[0]!.stream.paginator).toMatchObject({ kind: 'auto' });
  });

  it('{resources.<parent>.<field>} makes a child with per-parent context; include_from_parent adds _<parent>_<field>; parents come first', () => {
    const [parent, child, single] = compile({
      resources: [
        { name: 'tasks', endpoint: { path: '/projects/{resources.projects.id}/tasks', params: { since: '{incremental.start_value}' }, incremental: { cursor_path: 'updated_at' } }, include_from_parent: ['name'] },
        { name: 'projects', primary_key: 'id', write_disposition: 'merge', endpoint: 'projects' },
        { name: 'project', endpoint: '/projects/{resources.projects.id}' },
      ],
    });
    expect(parent!.dltName).toBe('projects');
    expect(child!.stream.parent).toBe('projects');
    expect(child!.stream.path).toBe('/projects/{id}/tasks');
    expect(parent!.stream.childContext!({ id: 3, name: 'P' })).toEqual({ id: 3 });
    expect(child!.shape({ id: 9 }, { id: 3, name: 'P' })).toEqual({ id: 9, _projects_name: 'P' });
    // a last-segment placeholder fetches one entity: one page, the body is the record
    expect(single!.stream.paginator).toMatchObject({ kind: 'single_page' });
    expect(single!.stream.records).toBe('$');
  });

  it('the older resolve form in params is a parent reference too', () => {
    const plans = compile({ resources: ['users', { name: 'posts', endpoint: { path: '/posts', params: { user: { type: 'resolve', resource: 'users', field: 'id' } } } }] });
    expect(plans[1]!.stream.parent).toBe('users');
  });

  it('a resolve param named in the path fills that placeholder and is not sent; a plain param named in the path is bound into it (as dlt does)', () => {
    const [, posts, widgets] = compile({
      resources: [
        'users',
        { name: 'posts', endpoint: { path: '/users/{user_id}/posts', params: { user_id: { type: 'resolve', resource: 'users', field: 'id' }, size: 5 } } },
        { name: 'widgets', endpoint: { path: '/kinds/{kind}/items', params: { kind: 'widgets', size: 5 } } },
      ],
    });
    expect(posts!.stream.parent).toBe('users');
    expect(posts!.stream.path).toBe('/users/{id}/posts');
    expect(posts!.stream.params!({ settings: {} as never, context: { id: 3 }, parent: { id: 3 }, syncStart: '' })).toEqual({ size: 5 });
    expect(widgets!.stream.path).toBe('/kinds/widgets/items');
    expect(widgets!.stream.params!({ settings: {} as never, context: {}, syncStart: '' })).toEqual({ size: 5 });
  });

  it('{incremental.*} in the path is filled in the first request of each request sequence', () => {
    const [p] = compile({ resources: [{ name: 'e', endpoint: { path: '/since/{incremental.start_value}/items', paginator: { type: 'offset', limit: 10 }, incremental: { cursor_path: 'updated_at', initial_value: '2024-01-01T00:00:00Z' } } }] });
    p!.kind = 'datetime';
    const firstRequest = (start?: string) => {
      const paginator = (p!.stream.paginator as (ctx: unknown) => Paginator)({ settings: {}, context: {}, ...(start ? { start } : {}) });
      const request: RequestSpec = { method: 'GET', url: new URL(`https://api.example.com${p!.stream.path}`), headers: {} };
      paginator.first?.(request);
      return request.url.toString();
    };
    expect(firstRequest()).toBe('https://api.example.com/since/2024-01-01T00%3A00%3A00Z/items?offset=0&limit=10');
    expect(firstRequest('2024-03-01T00:00:00Z')).toBe('https://api.example.com/since/2024-03-01T00%3A00%3A00Z/items?offset=0&limit=10');
    const [bare] = compile({ resources: [{ name: 'e', endpoint: { path: '/until/{incremental.end_value}/items', incremental: { cursor_path: 'updated_at' } } }] });
    const paginator = (bare!.stream.paginator as (ctx: unknown) => Paginator)({ settings: {}, context: {} });
    expect(userError(() => paginator.first?.({ method: 'GET', url: new URL(`https://x.test${bare!.stream.path}`), headers: {} })).message)
      .toBe("stream 'e': endpoint.path needs {incremental.end_value}, which has no value (set incremental.initial_value, or start_date)");
    expect(userError(() => compile({ resources: [{ name: 'e', endpoint: '/since/{incremental.start_value}' }] })).message)
      .toMatch(/resource 'e': endpoint.path: \{incremental.start_value\} needs an incremental/);
  });

  it("dlt's older incremental form in params, and lag as the kit's lookback", () => {
    const [old] = compile({ resources: [{ name: 'e', endpoint: { path: '/e', params: { since: { type: 'incremental', cursor_path: 'updated_at', initial_value: '2024-01-01T00:00:00Z' } } } }] });
    expect(old!.stream.replicationKey).toBe('updated_at');
    old!.kind = 'datetime';
    expect(old!.stream.params!({ settings: {} as never, context: {} })).toEqual({ since: '2024-01-01T00:00:00Z' });
    const [lagged] = compile({ resources: [{ name: 'e', endpoint: { path: '/e', incremental: { cursor_path: 'updated_at', lag: 3600 } } }] });
    expect(lagged!.stream.lookbackSeconds!({} as never)).toBe(3600);
  });

  it('a nested cursor_path is moved (not copied) to a top-level replication key; children still read it by its path', () => {
    const [p, child] = compile({ resources: [
      { name: 'm', write_disposition: 'merge', primary_key: 'id', endpoint: { path: '/m', incremental: { cursor_path: 'attributes.updated_at' } } },
      { name: 'c', include_from_parent: ['attributes.updated_at', 'attributes.name'], endpoint: { path: '/m/{resources.m.id}/c', params: { since: '{resources.m.attributes.updated_at}' } } },
    ] });
    expect(p!.stream.replicationKey).toBe('attributes__updated_at');
    const item = { id: 1, attributes: { name: 'n', updated_at: 'T' } };
    const record = p!.shape(item, undefined);
    expect(record).toEqual({ id: 1, attributes: { name: 'n' }, attributes__updated_at: 'T' });
    expect(item).toEqual({ id: 1, attributes: { name: 'n', updated_at: 'T' } });
    expect(p!.shape({ id: 2 }, undefined)).toEqual({ id: 2, attributes__updated_at: null });
    expect(child!.shape({ x: 1 }, record)).toEqual({ x: 1, _m_attributes_updated_at: 'T', _m_attributes_name: 'n' });
    expect(p!.stream.childContext!(record)).toEqual({ id: 1, 'attributes.updated_at': 'T' });
    expect(child!.stream.params!({ settings: {} as never, context: {}, parent: record })).toEqual({ since: 'T' });
    const [deep] = compile({ resources: [{ name: 'd', endpoint: { path: '/d', incremental: { cursor_path: '$.versions[0].at' } } }] });
    expect(deep!.shape({ versions: [{ at: 'A', n: 1 }, { at: 'B' }] }, undefined)).toEqual({ versions: [{ n: 1 }, { at: 'B' }], versions__0__at: 'A' });
  });

  it('lag: seconds for a date-time cursor, days for a date cursor (dlt)', () => {
    const [p] = compile({ resources: [{ name: 'e', endpoint: { path: '/e', incremental: { cursor_path: 'day', lag: 2 } } }] });
    p!.stream.schema = { type: 'object', properties: { day: { type: ['string', 'null'], format: 'date' } } };
    expect(p!.stream.lookbackSeconds!({} as never)).toBe(2 * 86_400);
    p!.stream.schema = { type: 'object', properties: { day: { type: ['string', 'null'], format: 'date-time' } } };
    expect(p!.stream.lookbackSeconds!({} as never)).toBe(2);
  });

  it('incremental filters: initial_value, end_value (open), range_start open, on_cursor_value_missing', () => {
    const [p] = compile({ resources: [{ name: 'e', write_disposition: 'merge', primary_key: 'id', endpoint: { path: '/e', incremental: { cursor_path: 'seq', initial_value: 10, end_value: 20, range_start: 'open', on_cursor_value_missing: 'exclude' } } }] });
    p!.kind = 'number';
    const t = (seq: unknown, start?: number) => p!.stream.transform!({ id: 1, ...(seq === undefined ? {} : { seq }) } as never, {} as never, { settings: {} as never, context: {}, ...(start !== undefined ? { start } : {}) });
    expect([t(9), t(10), t(19), t(20), t(undefined)].map((r) => r !== null)).toEqual([false, true, true, false, false]);
    expect(t(15, 15)).toBeNull();
    expect(t(16, 15)).not.toBeNull();
    const [raise] = compile({ resources: [{ name: 'e', write_disposition: 'merge', primary_key: 'id', endpoint: { path: '/e', incremental: { cursor_path: 'seq' } } }] });
    expect(() => raise!.stream.transform!({ id: 4 }, {} as never, { settings: {} as never, context: {} })).toThrow("stream 'e': record id=4 has no value at cursor_path 'seq'");
  });

  it('params send the start value (start_param and {incremental.start_value}), the later of bookmark and initial_value', () => {
    const [p] = compile({ resources: [{ name: 'e', endpoint: { path: '/e', params: { since: '{incremental.start_value}', size: 50 }, incremental: { cursor_path: 'seq', initial_value: 100, start_param: 'from' } } }] });
    p!.kind = 'number';
    expect(p!.stream.params!({ settings: {} as never, context: {} })).toEqual({ since: 100, size: 50, from: 100 });
    expect(p!.stream.params!({ settings: {} as never, context: {}, start: 150 })).toEqual({ since: 150, size: 50, from: 150 });
  });

  it('bad structure is one line: unknown parent, two parents, unknown placeholder', () => {
    expect(userError(() => compile({ resources: [{ name: 'a', endpoint: '/x/{resources.nope.id}' }] })).message).toMatch(/resource 'a': \{resources.nope.id\}: 'nope' is not a resource of this definition \(resources: a\)/);
    expect(userError(() => compile({ resources: [{ name: 'a', endpoint: '/x/{id}' }] })).message).toMatch(/resource 'a': path: unknown placeholder \{id\}/);
  });
});

describe('schemas and records', () => {
  it('columns hints map dlt types and nullability', () => {
    expect(columnSchema({ data_type: 'timestamp' })).toEqual({ type: ['string', 'null'], format: 'date-time' });
    expect(columnSchema({ data_type: 'bigint', nullable: false })).toEqual({ type: 'integer' });
    expect(applyColumns({ type: 'object', properties: { n: { type: ['integer', 'null'] } } }, { n: { data_type: 'double' }, extra: { data_type: 'bool' } }).properties)
      .toEqual({ n: { type: ['number', 'null'] }, extra: { type: ['boolean', 'null'] } });
  });
  it('records are found without a data_selector as dlt does', () => {
    expect(findRecords([{ a: 1 }])).toEqual([{ a: 1 }]);
    expect(findRecords({ meta: {}, results: [{ a: 1 }] })).toEqual([{ a: 1 }]);
    expect(findRecords({ data: { items: [{ a: 1 }] } })).toEqual([{ a: 1 }]);
    expect(findRecords({ id: 1 })).toEqual({ id: 1 });
  });
});

describe('names an API or a definition may use that plain objects inherit (`__proto__`, `constructor`)', () => {
  const wire = <T>(text: string): T => JSON.parse(text) as T;
  it('columns named `__proto__` and `constructor` are columns', () => {
    const out = applyColumns({ type: 'object', properties: {} }, wire('{"__proto__":{"data_type":"bool"},"constructor":{"data_type":"text"}}'));
    expect(JSON.stringify(out.properties)).toBe('{"__proto__":{"type":["boolean","null"]},"constructor":{"type":["string","null"]}}');
  });
  it('a key or cursor named `constructor` is added to a sample that lacked it', () => {
    const [p] = compile({ resources: [{ name: 'e', write_disposition: 'merge', primary_key: 'constructor', endpoint: { path: '/e', incremental: { cursor_path: 'toString' } } }] });
    expect(Object.keys(completeSchema(p!, { type: 'object', properties: { id: { type: 'integer' } } }).properties!)).toEqual(['id', 'constructor', 'toString']);
  });
  it('{config.constructor} is a setting like any other: unset, it is not Object\'s constructor', () => {
    expect(resolveConfig({ a: '{config.constructor}', b: 'x-{config.toString}' }, {})).toEqual({ a: '{config.constructor}', b: 'x-{config.toString}' });
    expect(resolveConfig({ a: '{config.constructor}' }, wire('{"constructor":"c"}'))).toEqual({ a: 'c' });
  });
  it('a setting\'s value is data: braces in it (a JSON filter, an id written {subscription-id}) are sent as they are, never read as a placeholder', () => {
    const settings = { filter: '[{"type":"CIRCLE","radius":100}]', sub: '{subscription-id}', token: 'a{b}c' };
    const def = resolveConfig({
      client: { base_url: 'https://api.example.com', auth: { type: 'bearer', token: '{config.token}' } },
      resources: [{ name: 'e', endpoint: { path: '/subscriptions/{config.sub}/items', params: { geometryList: '{config.filter}', q: 'f={config.filter}' }, headers: { 'X-Sub': '{config.sub}' } } }],
    }, settings) as Record<string, unknown>;
    const [p] = compile(def);
    expect(p!.stream.path).toBe('/subscriptions/%7Bsubscription-id%7D/items');
    expect(p!.stream.params!({ settings: {} as never, context: {} })).toEqual({ geometryList: settings.filter, q: `f=${settings.filter}` });
    const headers = p!.stream.headers as (ctx: unknown) => Record<string, string>;
    expect(headers({ settings: {}, context: {} })).toEqual({ 'X-Sub': '{subscription-id}' });
    // Outside request templates a setting is put in as it is (a credential).
    expect((def.client as { auth: { token: string } }).auth.token).toBe('a{b}c');
  });

  it('params, merged defaults and the query keep a parameter named `__proto__`', () => {
    const [p] = compile(wire('{"resource_defaults":{"endpoint":{"params":{"__proto__":"d"}}},"resources":[{"name":"e","endpoint":{"path":"/e","params":{"constructor":"c"}}}]}'));
    expect(JSON.stringify(p!.stream.params!({ settings: {} as never, context: {} }))).toBe('{"__proto__":"d","constructor":"c"}');
  });
});

describe('a schema given for a resource with a nested cursor (definition, catalog or cache of an older discovery)', () => {
  it('loses the nested cursor, which records no longer carry, and has the top-level one', () => {
    const [p] = compile({ resources: [{ name: 'm', endpoint: { path: '/m', incremental: { cursor_path: 'attributes.updated_at' } } }] });
    const old = { type: 'object', properties: { id: { type: 'string' }, attributes: { type: 'object', properties: { name: { type: 'string' }, updated_at: { type: 'string', format: 'date-time' } } } } };
    expect(withoutMovedCursor(p!, old).properties!.attributes).toEqual({ type: 'object', properties: { name: { type: 'string' } } });
    expect(Object.keys(completeSchema(p!, old).properties!)).toEqual(['id', 'attributes', 'attributes__updated_at']);
    expect(old.properties.attributes.properties.updated_at).toBeDefined();
  });
});
