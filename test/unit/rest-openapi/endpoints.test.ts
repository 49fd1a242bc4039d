// Endpoint discovery: list endpoints (a list, or an object wrapping one) and the data selector.
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
  it('picks the list by its usual name when the body has several, and skips the ambiguous', () => {
    const doc = openapi({
      '/a': get({ type: 'object', properties: { results: { type: 'array', items: user }, warnings: { type: 'array', items: user } } }),
      '/b': get({ type: 'object', properties: { left: { type: 'array', items: user }, right: { type: 'array', items: user } } }),
    });
    const { endpoints: found, skipped } = discoverEndpoints(doc, new RefResolver(doc), { cycles: 0 });
    expect(found.map((e) => e.selector)).toEqual(['results']);
    expect(skipped).toEqual([{ path: '/b', method: 'GET', reason: 'an object with several lists (left, right), none named as the data' }]);
  });
  it('skips one object, a list of scalars, an entity path, a non-JSON answer, and says why', () => {
    const doc = openapi({
      '/me': get(user),
      '/names': get({ type: 'array', items: { type: 'string' } }),
      '/users/{id}': get({ type: 'array', items: user }, [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }]),
      '/csv': { get: { responses: { '200': { description: 'ok', content: { 'text/csv': { schema: { type: 'string' } } } } } } },
      '/entity': get({ type: 'object', properties: { data: { type: 'object', properties: { tags: { type: 'array', items: user } } } } }),
    });
    const { endpoints: found, skipped } = discoverEndpoints(doc, new RefResolver(doc), { cycles: 0 });
    expect(found).toEqual([]);
    expect(skipped.map((s) => s.reason)).toEqual(['returns one object, not a list', 'a list of scalars, not records', 'reads one entity (the path ends in a placeholder)', 'no JSON success response with a schema', 'returns one object, not a list']);
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
