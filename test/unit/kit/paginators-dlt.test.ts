// The cases where dlt's paginators go wrong (../shared/DLT.md), each as a test of the kit's.
import { describe, it, expect } from 'vitest';
import { cursor, headerCursor, offset, pageNumber, linkHeader, nextUrl, type Page } from '../../../src/kit/paging/index.js';
import type { RequestSpec } from '../../../src/kit/http/auth.js';

function req(url: string, extra: Partial<RequestSpec> = {}): RequestSpec {
  return { method: 'GET', url: new URL(url), headers: {}, ...extra };
}
function page(request: RequestSpec, body: unknown, records: number, headers: Page['headers'] = {}): Page {
  return { url: request.url.toString(), status: 200, headers, body, records: Array.from({ length: records }, (_, i) => ({ id: i })) };
}
/** Pages through `serve` (request -> [body, records, headers]) and returns the requests made. */
function walk(p: ReturnType<typeof offset>, serve: (r: RequestSpec) => [unknown, number, Page['headers']?], limit = 50): RequestSpec[] {
  let r = req('https://api.test/items');
  p.first?.(r);
  const made = [r];
  for (;;) {
    const [body, n, headers] = serve(r);
    const next = p.next(page(r, body, n, headers ?? {}), r);
    if (!next) return made;
    made.push(next);
    r = next;
    if (made.length > limit) throw new Error('does not end');
  }
}

describe('offset (dlt#1414, #1530, #1637, #2816, #4225)', () => {
  const total = 25;
  const serveFirstTotal = (r: RequestSpec): [unknown, number] => {
    const o = Number(r.url.searchParams.get('offset'));
    return [o === 0 ? { total } : {}, Math.max(0, Math.min(10, total - o))];
  };
  it('a total only on the first page is remembered: no error on page 2, stops at the total', () => {
    const made = walk(offset({ limit: 10, totalPath: 'total' }), serveFirstTotal);
    expect(made.map((r) => r.url.searchParams.get('offset'))).toEqual(['0', '10', '20']);
  });
  it('no total in the body at all (total_path defaulted): no error, ends on an empty or short page', () => {
    const made = walk(offset({ limit: 10, totalPath: 'total' }), (r) => [{}, Number(r.url.searchParams.get('offset')) < 30 ? 10 : 0]);
    expect(made.map((r) => r.url.searchParams.get('offset'))).toEqual(['0', '10', '20', '30']);
  });
  it('has_more false ends the stream (no infinite loop on full pages)', () => {
    const made = walk(offset({ limit: 10, hasMorePath: 'has_more' }), (r) => [{ has_more: Number(r.url.searchParams.get('offset')) < 20 }, 10]);
    expect(made).toHaveLength(3);
  });
  it('has_more true never overrides maximum_offset', () => {
    const made = walk(offset({ limit: 10, hasMorePath: 'has_more', maximumOffset: 30 }), () => [{ has_more: true }, 10]);
    expect(made.map((r) => r.url.searchParams.get('offset'))).toEqual(['0', '10', '20']);
  });
  it('stop_after_empty_page: true (dlt\'s default, which tap-rest passes) ends on an empty page even below the total', () => {
    const made = walk(offset({ limit: 10, totalPath: 'total', stopAfterEmptyPage: true }), (r) => [{ total: 100 }, Number(r.url.searchParams.get('offset')) < 10 ? 10 : 0]);
    expect(made).toHaveLength(2);
  });
  it('initial offset and parameter names', () => {
    const made = walk(offset({ limit: 5, offset: 10, offsetParam: 'skip', limitParam: 'take', totalPath: 'n' }), () => [{ n: 20 }, 5]);
    expect(made.map((r) => r.url.search)).toEqual(['?skip=10&take=5', '?skip=15&take=5']);
  });
});

describe('page_number', () => {
  it('total pages only on the first page, base_page 1', () => {
    const made = walk(pageNumber({ param: 'page', start: 1, base: 1, totalPagesPath: 'total' }), (r) => [r.url.searchParams.get('page') === '1' ? { total: 3 } : {}, 10]);
    expect(made.map((r) => r.url.searchParams.get('page'))).toEqual(['1', '2', '3']);
  });
  it("dlt's default base_page 0 counts pages from 0", () => {
    const made = walk(pageNumber({ param: 'page', start: 0, base: 0, totalPagesPath: 'total' }), () => [{ total: 2 }, 10]);
    expect(made.map((r) => r.url.searchParams.get('page'))).toEqual(['0', '1']);
  });
  it('maximum_page is never exceeded whatever has_more says', () => {
    const made = walk(pageNumber({ param: 'p', start: 1, maximumPage: 4, hasMorePath: 'more' }), () => [{ more: true }, 10]);
    expect(made.map((r) => r.url.searchParams.get('p'))).toEqual(['1', '2', '3']);
  });
  it('has_more false stops; an empty page stops', () => {
    expect(walk(pageNumber({ hasMorePath: 'meta.has_more' }), (r) => [{ meta: { has_more: r.url.searchParams.get('page') !== '2' } }, 10])).toHaveLength(2);
    expect(walk(pageNumber(), (r) => [{}, r.url.searchParams.get('page') === '3' ? 0 : 10])).toHaveLength(3);
  });
  it('the next page number named by the body (pagination.next: N | null), as the incident API sends it', () => {
    const made = walk(pageNumber({ nextPagePath: 'pagination.next' }), (r) => {
      const p = Number(r.url.searchParams.get('page'));
      return [{ pagination: { next: p < 3 ? p + 1 : null } }, 10];
    });
    expect(made.map((r) => r.url.searchParams.get('page'))).toEqual(['1', '2', '3']);
  });
});

describe('cursor (dlt#3358)', () => {
  it('a last page that returns the cursor it was given ends the stream', () => {
    const made = walk(cursor({ cursorPath: 'next', param: 'cursor' }), (r) => [{ next: r.url.searchParams.get('cursor') === 'B' ? 'B' : r.url.searchParams.get('cursor') ? 'B' : 'A' }, 5]);
    expect(made.map((r) => r.url.searchParams.get('cursor'))).toEqual([null, 'A', 'B']);
  });
  it('has_more false ends it even with a cursor; stop_after_empty_page ends on an empty page', () => {
    expect(walk(cursor({ cursorPath: 'c', hasMorePath: 'has_more' }), (r) => [{ c: `x${r.url.search.length}`, has_more: r.url.search === '' }, 5])).toHaveLength(2);
    expect(walk(cursor({ cursorPath: 'c', stopAfterEmptyPage: true }), (r) => [{ c: `x${r.url.search.length}` }, r.url.search === '' ? 5 : 0])).toHaveLength(2);
  });
  it("dlt's defaults: cursors.next sent as cursor", () => {
    const p = cursor({ cursorPath: 'cursors.next' });
    const r = req('https://api.test/x');
    expect(p.next(page(r, { cursors: { next: 'n1' } }, 1), r)!.url.searchParams.get('cursor')).toBe('n1');
  });
  it('cursor_body_path puts the token in the JSON body of a POST, keeping the rest', () => {
    const p = cursor({ cursorPath: 'next', bodyPath: 'page.after' });
    const r = req('https://api.test/search', { method: 'POST', json: { query: 'x', page: { size: 10 } } });
    const n = p.next(page(r, { next: 'T1' }, 10), r)!;
    expect(n.json).toEqual({ query: 'x', page: { size: 10, after: 'T1' } });
    expect(r.json).toEqual({ query: 'x', page: { size: 10 } });
    expect(p.next(page(n, { next: 'T1' }, 10), n)).toBeNull();
  });
  it('limit is the page size, sent on the first request and kept (seed 004 writes it)', () => {
    const p = cursor({ cursorPath: 'pagination.next', param: 'page', pageSizeParam: 'limit', pageSize: 200 });
    const r = req('https://api.test/v1/teams');
    p.first!(r);
    const n = p.next(page(r, { pagination: { next: 2 } }, 50), r)!;
    expect(n.url.search).toBe('?limit=200&page=2');
  });
});

describe('header_cursor, header_link, json_link defaults', () => {
  it('header_cursor reads the next header, sends cursor, ends when absent or repeated', () => {
    const p = headerCursor();
    const r = req('https://api.test/x');
    const n = p.next(page(r, [], 1, { next: 'h1' }), r)!;
    expect(n.url.searchParams.get('cursor')).toBe('h1');
    expect(p.next(page(n, [], 1, { next: 'h1' }), n)).toBeNull();
    expect(p.next(page(n, [], 1, {}), n)).toBeNull();
    const named = headerCursor({ header: 'X-Next-Token', param: 'token' });
    expect(named.next(page(r, [], 1, { 'x-next-token': 'z' }), r)!.url.searchParams.get('token')).toBe('z');
  });
  it('json_link follows @odata.nextLink with the bracket path', () => {
    const p = nextUrl("['@odata.nextLink']");
    const r = req('https://api.test/x');
    expect(p.next(page(r, { '@odata.nextLink': 'https://api.test/x?$skip=10' }, 10), r)!.url.searchParams.get('$skip')).toBe('10');
  });
  it('header_link default rel is next', () => {
    const r = req('https://api.test/x');
    expect(linkHeader().next(page(r, [], 1, { link: '<https://api.test/x?page=2>; rel="next"' }), r)!.url.searchParams.get('page')).toBe('2');
  });
});
