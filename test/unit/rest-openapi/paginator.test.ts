// Paginator detection from parameters and the response.
import { describe, it, expect } from 'vitest';
import { detectPaginator } from '../../../src/taps/rest/openapi/paginator.js';
import { generate } from '../../../src/taps/rest/openapi/generate.js';
import { endpoints, get, openapi, q, source, user } from './support.js';

const list = { type: 'array', items: user };
const one = (schema: unknown, params: unknown[] = [], headers = {}) => {
  const [e] = endpoints(openapi({ '/users': get(schema, params, headers) }));
  if (!e) throw new Error('no endpoint');
  return detectPaginator(e);
};

describe('paginator detection', () => {
  it('page and per_page, with total pages, pages from the minimum', () => {
    const g = one({ type: 'object', properties: { data: list, meta: { type: 'object', properties: { total_pages: { type: 'integer' } } } } }, [q('page', { type: 'integer', minimum: 1 }), q('per_page', { type: 'integer', maximum: 100 })]);
    expect(g.paginator).toEqual({ type: 'page_number', base_page: 1, page_param: 'page', total_path: 'meta.total_pages' });
    expect(g.params).toEqual({ per_page: 100 });
    expect(g.detected).toBe(true);
  });
  it('a page index from 0 and no total: ends on an empty page', () => {
    expect(one(list, [q('pageIndex', { type: 'integer' })]).paginator).toEqual({ type: 'page_number', base_page: 0, page_param: 'pageIndex', total_path: null });
  });
  it('offset and limit with a total of items and has_more', () => {
    const g = one({ type: 'object', properties: { items: list, total_count: { type: 'integer' }, has_more: { type: 'boolean' } } }, [q('offset', { type: 'integer' }), q('limit', { type: 'integer', default: 50 })]);
    expect(g.paginator).toEqual({ type: 'offset', limit: 50, offset_param: 'offset', limit_param: 'limit', total_path: 'total_count', has_more_path: 'has_more' });
  });
  it('a cursor parameter and the next cursor in the body (Slack\'s response_metadata)', () => {
    const g = one({ type: 'object', properties: { members: list, response_metadata: { type: 'object', properties: { next_cursor: { type: 'string' } } } } }, [q('cursor'), q('limit', { type: 'integer' })]);
    expect(g.paginator).toEqual({ type: 'cursor', cursor_param: 'cursor', cursor_path: 'response_metadata.next_cursor' });
  });
  it('page_token and nextPageToken (Google)', () => {
    expect(one({ type: 'object', properties: { items: list, nextPageToken: { type: 'string' } } }, [q('pageToken')]).paginator).toEqual({ type: 'cursor', cursor_param: 'pageToken', cursor_path: 'nextPageToken' });
  });
  it('starting_after and has_more (Stripe): the last record\'s id', () => {
    const g = one({ type: 'object', properties: { data: list, has_more: { type: 'boolean' } } }, [q('starting_after'), q('limit', { type: 'integer' })]);
    expect(g.paginator).toEqual({ type: 'cursor', cursor_param: 'starting_after', cursor_path: 'data[-1].id', has_more_path: 'has_more' });
  });
  it('a next link in the body, also under links/_links and @odata.nextLink', () => {
    expect(one({ type: 'object', properties: { results: list, next: { type: 'string', format: 'uri' } } }).paginator).toEqual({ type: 'json_link', next_url_path: 'next' });
    expect(one({ type: 'object', properties: { data: list, links: { type: 'object', properties: { self: { type: 'string' }, next: { type: 'string' } } } } }).paginator).toEqual({ type: 'json_link', next_url_path: 'links.next' });
    expect(one({ type: 'object', properties: { value: list, '@odata.nextLink': { type: 'string' } } }).paginator).toEqual({ type: 'json_link', next_url_path: "['@odata.nextLink']" });
  });
  it('a Link response header (GitHub)', () => {
    expect(one(list, [q('per_page', { type: 'integer', default: 30 }), q('page', { type: 'integer' })], { Link: { schema: { type: 'string' } } }).paginator).toEqual({ type: 'header_link' });
  });
  it('a cursor parameter and the next cursor in a response header: header_cursor, the header as dlt reads it (lower case)', () => {
    const g = one(list, [q('cursor'), q('limit', { type: 'integer', maximum: 200 })], { 'X-Next-Cursor': { schema: { type: 'string' } } });
    expect(g.paginator).toEqual({ type: 'header_cursor', cursor_key: 'x-next-cursor', cursor_param: 'cursor' });
    expect(g.params).toEqual({ limit: 200 });
    expect(g.detected).toBe(true);
    expect(one(list, [q('pageToken')], { 'X-Next-Page-Token': { schema: { type: 'string' } } }).paginator).toEqual({ type: 'header_cursor', cursor_key: 'x-next-page-token', cursor_param: 'pageToken' });
    // A header that names no cursor (a rate limit) is no paging signal; a cursor in the body wins over one in a header.
    expect(one(list, [q('cursor')], { 'X-RateLimit-Remaining': { schema: { type: 'integer' } } }).paginator).toBe('auto');
    expect(one({ type: 'object', properties: { items: list, next_cursor: { type: 'string' } } }, [q('cursor')], { 'X-Next-Cursor': { schema: { type: 'string' } } }).paginator).toEqual({ type: 'cursor', cursor_param: 'cursor', cursor_path: 'next_cursor' });
  });
  it('offsets named skip and start (with take, rows, $top as the limit), a total of items when the body has one', () => {
    expect(one(list, [q('skip', { type: 'integer' }), q('take', { type: 'integer', maximum: 500 })]).paginator).toEqual({ type: 'offset', limit: 500, offset_param: 'skip', limit_param: 'take', total_path: null });
    expect(one({ type: 'object', properties: { docs: list, numFound: { type: 'integer' }, total: { type: 'integer' } } }, [q('start', { type: 'integer', minimum: 0 }), q('rows', { type: 'integer', default: 20 })]).paginator)
      .toEqual({ type: 'offset', limit: 20, offset_param: 'start', limit_param: 'rows', total_path: 'total' });
    expect(one({ type: 'object', properties: { value: list } }, [q('$skip', { type: 'integer' }), q('$top', { type: 'integer' })]).paginator).toEqual({ type: 'offset', limit: 100, offset_param: '$skip', limit_param: '$top', total_path: null });
    // An offset with no limit parameter: 100 and 'limit' are guesses, the comment says so.
    const alone = one(list, [q('skip', { type: 'integer' })]);
    expect(alone.paginator).toEqual({ type: 'offset', limit: 100, offset_param: 'skip', limit_param: 'limit', total_path: null });
    expect(alone.why).toContain('guesses');
  });
  it('start or from as a date or a time is the start of a time range, not an offset', () => {
    const range = [q('start', { type: 'string', format: 'date-time' }), q('end', { type: 'string', format: 'date-time' })];
    expect(one(list, [...range, q('limit', { type: 'integer' })])).toMatchObject({ paginator: 'auto', detected: false });
    expect(one(list, range).paginator).toBe('auto');
    expect(one(list, [q('from', { type: 'string', format: 'date' }), q('page', { type: 'integer' })]).paginator).toEqual({ type: 'page_number', base_page: 1, page_param: 'page', total_path: null });
    // With an offset of its own beside it, that one is the offset.
    expect(one(list, [...range, q('offset', { type: 'integer' }), q('limit', { type: 'integer' })]).paginator).toMatchObject({ type: 'offset', offset_param: 'offset' });
  });
  it('nothing documented: auto, not counted as detected', () => {
    const g = one(list);
    expect(g.paginator).toBe('auto');
    expect(g.detected).toBe(false);
  });
});

describe('one object per response', () => {
  it('is single_page with the whole body as its record (data_selector $), never incremental, even with paging-like parameters', () => {
    const g = generate(source(openapi({ '/stats': get(user, [q('page', { type: 'integer' }), q('updated_since', { type: 'string', format: 'date-time' })]) })));
    const [r] = g.resources;
    expect(r?.config.endpoint).toEqual({ path: '/stats', data_selector: '$', paginator: 'single_page' });
    expect(r).toMatchObject({ kind: 'object', paginated: true, incremental: false });
  });
  it('wrapped alone, its wrapper is the data selector', () => {
    const g = generate(source(openapi({ '/me': get({ type: 'object', properties: { user } }) })));
    expect(g.resources[0]?.config.endpoint).toMatchObject({ data_selector: 'user', paginator: 'single_page' });
  });
});

describe('JSON of no documented shape', () => {
  it('has no data_selector (records as dlt finds them) and a paginator from its parameters alone', () => {
    const g = generate(source(openapi({ '/events': { get: { parameters: [q('page', { type: 'integer' })], responses: { '200': { description: 'ok', content: { 'application/json': {} } } } } } })));
    expect(g.resources[0]?.config.endpoint).toEqual({ path: '/events', paginator: { type: 'page_number', base_page: 1, page_param: 'page', total_path: null } });
    expect(g.resources[0]?.comment).toContain('schema: none (application/json with no schema): the stream is untyped, a guess');
  });
});
