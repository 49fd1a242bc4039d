// Endpoint discovery: list endpoints (a list, or an object wrapping one), single objects, and the data selector.
import { describe, it, expect } from 'vitest';
import { discoverEndpoints } from '../../../src/taps/rest/openapi/endpoints.js';
import { RefResolver } from '../../../src/taps/rest/openapi/refs.js';
import { endpoints, get, openapi, user } from './support.js';

describe('list endpoints', () => {
  it('a GET answering a list has no selector; an object wrapping one has its key', () => {
    const doc = openapi({
      '/users': get({ type: 'array', items: user }),
      '/teams': get({ type: 'object', properties: { data: { type: 'array', items: user }, total: { type: 'integer' } } }),
      '/groups': get({ type: 'object', properties: { response: { type: 'object', properties: { items: { type: 'array', items: user } } } } }),
    });
    const found = endpoints(doc);
    expect(found.map((e) => [e.path, e.selector])).toEqual([['/users', undefined], ['/teams', 'data'], ['/groups', 'response.items']]);
    expect(Object.keys(found[0]?.record.properties ?? {})).toEqual(['id', 'name', 'updated_at']);
  });
  it('picks the list by its usual name when the body has several; with none named, the body is one object', () => {
    const doc = openapi({
      '/a': get({ type: 'object', properties: { results: { type: 'array', items: user }, warnings: { type: 'array', items: user } } }),
      '/b': get({ type: 'object', properties: { left: { type: 'array', items: user }, right: { type: 'array', items: user } } }),
    });
    const { endpoints: found, skipped } = discoverEndpoints(doc, new RefResolver(doc), { cycles: 0 });
    expect(found.map((e) => [e.path, e.kind, e.selector])).toEqual([['/a', 'list', 'results'], ['/b', 'object', undefined]]);
    expect(skipped).toEqual([]);
  });
  it('one object is one record: the body, or the object it wraps alone; an entity path is one object unless its body is a list', () => {
    const doc = openapi({
      '/me': get(user),
      '/entity': get({ type: 'object', properties: { data: { type: 'object', properties: { tags: { type: 'array', items: user } } } } }),
      '/users/{id}': get(user, [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }]),
      '/groups/{id}': get({ type: 'object', properties: { items: { type: 'array', items: user } } }, [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }]),
      '/teams/{id}': get({ type: 'array', items: user }, [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }]),
      // An envelope (paging fields beside its one list, or the path naming it): the list is the records.
      '/getFeeds': get({ type: 'object', properties: { status: { type: 'string' }, results: { type: 'object', properties: { feeds: { type: 'array', items: user }, input: { type: 'string' }, numPages: { type: 'integer' } } } } }),
      '/getLocations': get({ type: 'object', properties: { results: { type: 'object', properties: { locations: { type: 'array', items: user }, input: { type: 'string' } } } } }),
      // ... but not an entity's own list beside its `id`.
      '/account': get({ type: 'object', properties: { data: { type: 'object', properties: { id: { type: 'string' }, tags: { type: 'array', items: user }, total: { type: 'integer' } } } } }),
    });
    const found = endpoints(doc);
    expect(found.map((e) => [e.path, e.kind, e.selector])).toEqual([
      ['/me', 'object', undefined], ['/entity', 'object', 'data'], ['/users/{id}', 'object', undefined], ['/groups/{id}', 'object', undefined], ['/teams/{id}', 'list', undefined],
      ['/getFeeds', 'list', 'results.feeds'], ['/getLocations', 'list', 'results.locations'], ['/account', 'object', 'data'],
    ]);
    expect(Object.keys(found[0]?.record.properties ?? {})).toEqual(['id', 'name', 'updated_at']);
    expect(Object.keys(found[1]?.record.properties ?? {})).toEqual(['tags']);
  });
  it('a list of scalars, a scalar, text and bytes are {value} endpoints; an HTML page is skipped, and says why', () => {
    const doc = openapi({
      '/names': get({ type: 'array', items: { type: 'string' } }),
      '/count': get({ type: 'integer' }),
      '/csv': { get: { responses: { '200': { description: 'ok', content: { 'text/csv': { schema: { type: 'string' } } } } } } },
      '/logo': { get: { responses: { '200': { description: 'ok', content: { 'image/png': { schema: { type: 'string', format: 'binary' } } } } } } },
      '/page': { get: { responses: { '200': { description: 'ok', content: { 'text/html': { schema: { type: 'string' } } } } } } },
    });
    const { endpoints: found, skipped } = discoverEndpoints(doc, new RefResolver(doc), { cycles: 0 });
    expect(found.map((e) => [e.path, e.kind, e.format, e.answers, e.mediaType])).toEqual([
      ['/names', 'value', undefined, 'a list of strings', undefined], ['/count', 'value', undefined, 'an integer', undefined],
      ['/csv', 'value', 'text', 'text/csv', 'text/csv'], ['/logo', 'value', 'binary', 'image/png', 'image/png'],
    ]);
    expect(found.map((e) => e.record)).toEqual([
      { type: 'object', properties: { value: { type: ['string', 'null'] } } }, { type: 'object', properties: { value: { type: ['integer', 'null'] } } },
      { type: 'object', properties: { value: { type: 'string' } } },
      { type: 'object', properties: { value: { type: 'string', contentEncoding: 'base64', contentMediaType: 'image/png' }, content_type: { type: 'string' }, size: { type: 'integer' } } },
    ]);
    expect(skipped.map((s) => [s.path, s.reason])).toEqual([['/page', 'no success response in JSON, XML, text or a binary type']]);
  });
  it('XML: the list by the OpenAPI XML rules (wrapped, unwrapped, AWS <member> under its Result), one object below the root', () => {
    const feed = { type: 'object', xml: { name: 'Feed' }, properties: { id: { type: 'integer' } } };
    const xml = (schema: unknown) => ({ get: { responses: { '200': { description: 'ok', content: { 'application/xml': { schema } } } } } });
    const doc = openapi({
      '/wrapped': xml({ type: 'object', properties: { feeds: { type: 'array', xml: { name: 'Feeds', wrapped: true }, items: feed } } }),
      '/unwrapped': xml({ type: 'object', properties: { feed: { type: 'array', items: feed } } }),
      '/one': xml({ type: 'object', properties: { ok: { type: 'boolean' } } }),
      '/#Action=DescribeThings': xml({ type: 'object', properties: { Things: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' } } } } } }),
      '/#Action=GetThing': xml({ type: 'object', properties: { Thing: { type: 'object', properties: { id: { type: 'string' } } } } }),
    });
    expect(endpoints(doc).map((e) => [e.path, e.kind, e.format, e.selector])).toEqual([
      ['/wrapped', 'list', 'xml', '$.*.Feeds.Feed'], ['/unwrapped', 'list', 'xml', '$.*.Feed'], ['/one', 'object', 'xml', '$.*'],
      // AWS Query: the fragment keeps the paths apart; the records are below <ActionResponse><ActionResult>.
      ['/#Action=DescribeThings', 'list', 'xml', '$..Things.member'], ['/#Action=GetThing', 'object', 'xml', '$..GetThingResult.Thing'],
    ]);
  });
  it('JSON with no schema is untyped: records as dlt finds them, one object on an entity path; a body described nowhere only in a JSON API', () => {
    const noSchema = { get: { responses: { '200': { description: 'ok', content: { 'application/json': {} } } } } };
    const nothing = { get: { responses: { '200': { description: 'ok' } } } };
    const doc = openapi({ '/events': noSchema, '/events/{id}': { ...noSchema, parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }] }, '/ping': nothing, '/any': get({}) });
    const assumed = 'no body described; JSON assumed, as the document answers JSON elsewhere or names no media type at all';
    expect(endpoints(doc).map((e) => [e.path, e.kind, e.untyped])).toEqual([
      ['/events', 'unknown', 'application/json with no schema'], ['/events/{id}', 'object', 'application/json with no schema'],
      ['/ping', 'unknown', assumed], ['/any', 'unknown', 'an empty schema'],
    ]);
    expect(endpoints(openapi({ '/ping': nothing })).map((e) => e.untyped)).toEqual([assumed]);
    // A document answering XML: a body it does not describe is not taken for JSON.
    const xml = openapi({ '/ping': nothing, '/list': { get: { responses: { '200': { description: 'ok', content: { 'text/xml': { schema: { type: 'object' } } } } } } } });
    const { endpoints: some, skipped } = discoverEndpoints(xml, new RefResolver(xml), { cycles: 0 });
    // ... but XML, as the document answers XML elsewhere: the root element's content, untyped.
    expect(some.map((e) => [e.path, e.format, e.selector, e.untyped])).toEqual([['/ping', 'xml', '$.*', 'no body described; XML assumed (text/xml), as the document answers it elsewhere'], ['/list', 'xml', '$.*', undefined]]);
    expect(skipped).toEqual([]);
    const check = openapi({ '/following/{user}': { get: { parameters: [{ name: 'user', in: 'path', required: true, schema: { type: 'string' } }], responses: { '204': { description: 'yes' }, '404': { description: 'no' } } } } });
    const checked = discoverEndpoints(check, new RefResolver(check), { cycles: 0 });
    expect(checked.skipped).toEqual([]);
    expect(checked.endpoints.map((e) => [e.path, e.kind, e.unselected])).toEqual([['/following/{user}', 'object', 'it answers only 204 No Content (a check: 204 yes, 404 no): no body, no record']]);
  });
  it('a query string in the path becomes query parameters (a placeholder takes its declared parameter)', () => {
    const doc = openapi({ '/search?term={term}&v=2': get({ type: 'array', items: user }, [{ name: 'term', in: 'path', required: true, schema: { type: 'integer' } }]) });
    const [e] = endpoints(doc);
    expect(e?.path).toBe('/search');
    expect(e?.parameters).toEqual([{ name: 'term', in: 'query', required: true, schema: { type: 'integer' } }, { name: 'v', in: 'query', required: true, schema: { type: 'string', default: '2' } }]);
  });
  it('a deprecated GET is written, the comment says so', () => {
    const doc = openapi({ '/old': { get: { ...(get({ type: 'array', items: user }).get as object), deprecated: true } } });
    expect(endpoints(doc).map((e) => [e.path, e.deprecated])).toEqual([['/old', true]]);
  });
  it('merges path-level parameters with the operation\'s, follows $ref responses, reads a vendor JSON media type', () => {
    const doc = openapi({
      '/items': {
        parameters: [{ $ref: '#/components/parameters/Page' }],
        get: { parameters: [{ name: 'limit', in: 'query', schema: { type: 'integer' } }], responses: { '200': { $ref: '#/components/responses/Items' } } },
      },
    }, {
      parameters: { Page: { name: 'page', in: 'query', schema: { type: 'integer' } } },
      responses: { Items: { description: 'ok', content: { 'application/vnd.api+json': { schema: { type: 'array', items: user } } } } },
    });
    const [e] = endpoints(doc);
    expect(e?.parameters.map((p) => p.name)).toEqual(['page', 'limit']);
    expect(e?.mediaType).toBe('application/vnd.api+json');
  });
});
