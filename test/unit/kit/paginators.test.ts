import { describe, it, expect } from 'vitest';
import { singlePage, nextUrl, linkHeader, cursor, pageNumber, offset, COUNTED, type Page } from '../../../src/kit/paging/index.js';
import type { RequestSpec } from '../../../src/kit/http/auth.js';
import type { JsonObject } from '../../../src/kit/core/json.js';

function req(url: string, extra: Partial<RequestSpec> = {}): RequestSpec {
  return { method: 'GET', url: new URL(url), headers: { authorization: 'Bearer t' }, ...extra };
}

function page(request: RequestSpec, body: unknown, records: number | JsonObject[] = 0, headers: Page['headers'] = {}): Page {
  const list = typeof records === 'number' ? Array.from({ length: records }, (_, i) => ({ id: i })) : records;
  return { url: request.url.toString(), status: 200, headers, body, records: list };
}

describe('singlePage', () => {
  it('never asks for a second page', () => {
    const p = singlePage();
    const r = req('https://api.test/items');
    expect(p.next(page(r, { next: 'https://api.test/items?page=2' }, 5), r)).toBeNull();
  });
});

describe('nextUrl', () => {
  it('with a last link: the last page number read on every page; when it drops, back a page more than the pages lost (issue 15 #2)', () => {
    const p = nextUrl('pagination.next', { last: { path: 'pagination.last', pageParam: 'page' } });
    const r = req('https://api.test/items?page=1');
    const links = (next: number, last: number) => ({ pagination: { next: `https://api.test/items?page=${next}`, last: `https://api.test/items?page=${last}` } });
    const n2 = p.next(page(r, links(2, 6), 10), r)!;
    const n3 = p.next(page(n2, links(3, 6), 10), n2)!;
    expect(n3.url.searchParams.get('page')).toBe('3');
    // one page lost before page 3: rows moved up by up to two pages' worth; read from page 2 again
    const back = p.next(page(n3, links(4, 5), 10), n3)!;
    expect(back.url.searchParams.get('page')).toBe('2');
    expect(back.memo?.revisit).toBe(true);
    // a list that grows goes on
    expect(p.next(page(n3, links(4, 7), 10), n3)!.url.searchParams.get('page')).toBe('4');
    // a next link pointing back (a loop, its last link rewritten too) is not taken for a shrink: the client stops the loop
    const loop = p.next(page(n3, links(1, 1), 10), n3)!;
    expect(loop.url.searchParams.get('page')).toBe('1');
    expect(loop.memo?.revisit).toBeUndefined();
  });

  it('follows an absolute next URL from the body, keeping method, headers and json', () => {
    const p = nextUrl('pagination.next');
    const r = req('https://api.test/v2/items?per_page=50', { method: 'POST', json: { q: 1 } });
    const n = p.next(page(r, { pagination: { next: 'https://api.test/v2/items?per_page=50&page=2' } }, 50), r)!;
    expect(n.url.toString()).toBe('https://api.test/v2/items?per_page=50&page=2');
    expect(n.method).toBe('POST');
    expect(n.json).toEqual({ q: 1 });
    expect(n.headers).toEqual({ authorization: 'Bearer t' });
    // a copy: changing the next request's headers does not touch the current one
    n.headers.x = 'y';
    expect(r.headers.x).toBeUndefined();
  });

  it('resolves a relative next URL against the page URL', () => {
    const p = nextUrl('links.next');
    const r = req('https://api.test/v2/items?page=1');
    expect(p.next(page(r, { links: { next: '/v2/items?page=2' } }, 1), r)!.url.toString()).toBe('https://api.test/v2/items?page=2');
    expect(p.next(page(r, { links: { next: 'items?page=3' } }, 1), r)!.url.toString()).toBe('https://api.test/v2/items?page=3');
    expect(p.next(page(r, { links: { next: '?page=4' } }, 1), r)!.url.toString()).toBe('https://api.test/v2/items?page=4');
  });

  it('stops on null, missing or empty next', () => {
    const p = nextUrl('links.next');
    const r = req('https://api.test/items');
    expect(p.next(page(r, { links: { next: null } }, 1), r)).toBeNull();
    expect(p.next(page(r, { links: {} }, 1), r)).toBeNull();
    expect(p.next(page(r, {}, 1), r)).toBeNull();
    expect(p.next(page(r, { links: { next: '' } }, 1), r)).toBeNull();
    expect(p.next(page(r, null, 0), r)).toBeNull();
  });

  it('default path is `next`; first() sets the page size', () => {
    const p = nextUrl(undefined, { pageSizeParam: 'per_page', pageSize: 100 });
    const r = req('https://api.test/items');
    p.first!(r);
    expect(r.url.searchParams.get('per_page')).toBe('100');
    expect(p.next(page(r, { next: '/items?cursor=abc' }, 1), r)!.url.searchParams.get('cursor')).toBe('abc');
  });
  it('carries page size and named parameters over when the next link drops them', () => {
    const p = nextUrl('next', { pageSizeParam: 'per_page', pageSize: 50, carry: ['since'] });
    const r = req('https://api.test/items?since=2024-01-01&per_page=50&other=1');
    const n = p.next(page(r, { next: '/items?cursor=c2' }, 50), r)!;
    expect(n.url.searchParams.get('cursor')).toBe('c2');
    expect(n.url.searchParams.get('per_page')).toBe('50');
    expect(n.url.searchParams.get('since')).toBe('2024-01-01');
    expect(n.url.searchParams.has('other')).toBe(false);
    // a value the link carries itself is not overwritten
    const n2 = p.next(page(r, { next: '/items?cursor=c3&per_page=10' }, 50), r)!;
    expect(n2.url.searchParams.getAll('per_page')).toEqual(['10']);
  });
});

describe('linkHeader', () => {
  it('picks rel="next" among several rels', () => {
    const p = linkHeader();
    const r = req('https://api.test/repos?page=2');
    const header = '<https://api.test/repos?page=1>; rel="prev", <https://api.test/repos?page=3>; rel="next", <https://api.test/repos?page=9>; rel="last", <https://api.test/repos?page=1>; rel="first"';
    expect(p.next(page(r, [], 1, { link: header }), r)!.url.toString()).toBe('https://api.test/repos?page=3');
  });

  it('accepts a rel with several values, unquoted rels and relative URLs', () => {
    const p = linkHeader();
    const r = req('https://api.test/v1/repos?page=2');
    expect(p.next(page(r, [], 1, { link: '<https://api.test/repos?page=9>; rel="last next"' }), r)!.url.toString()).toBe('https://api.test/repos?page=9');
    expect(p.next(page(r, [], 1, { link: '</v1/repos?page=3>; rel=next' }), r)!.url.toString()).toBe('https://api.test/v1/repos?page=3');
    expect(p.next(page(r, [], 1, { link: '<https://api.test/repos?page=4>; title="a, b"; REL="Next"' }), r)!.url.toString()).toBe('https://api.test/repos?page=4');
    // an array of Link headers
    expect(p.next(page(r, [], 1, { link: ['<https://api.test/a>; rel="prev"', '<https://api.test/b>; rel="next"'] }), r)!.url.toString()).toBe('https://api.test/b');
  });

  it('a custom rel', () => {
    const p = linkHeader('prev');
    const r = req('https://api.test/x?page=2');
    expect(p.next(page(r, [], 1, { link: '<https://api.test/x?page=3>; rel="next", <https://api.test/x?page=1>; rel="prev"' }), r)!.url.toString()).toBe('https://api.test/x?page=1');
  });

  it('stops when there is no next link (last page) or no header', () => {
    const p = linkHeader();
    const r = req('https://api.test/repos?page=9');
    expect(p.next(page(r, [], 1, { link: '<https://api.test/repos?page=1>; rel="first", <https://api.test/repos?page=8>; rel="prev"' }), r)).toBeNull();
    expect(p.next(page(r, [], 1, {}), r)).toBeNull();
  });

  it('matches the rel as a whole token (rel="next-archive" is not rel="next")', () => {
    const p = linkHeader();
    const r = req('https://api.test/repos?page=1');
    expect(p.next(page(r, [], 1, { link: '<https://api.test/archive?page=2>; rel="next-archive"' }), r)).toBeNull();
    expect(p.next(page(r, [], 1, { link: '<https://api.test/archive?page=2>; rel="nextpage", <https://api.test/repos?page=2>; rel="next"' }), r)!.url.toString()).toBe('https://api.test/repos?page=2');
  });
});

describe('cursor', () => {
  it('puts the token in the param, keeping the other parameters', () => {
    const p = cursor({ cursorPath: 'meta.next_cursor', param: 'cursor', pageSizeParam: 'limit', pageSize: 25 });
    const r = req('https://api.test/events?since=2024-01-01&sort=asc');
    p.first!(r);
    expect(r.url.searchParams.get('limit')).toBe('25');
    const n = p.next(page(r, { meta: { next_cursor: 'abc 123' } }, 25), r)!;
    expect(n.url.searchParams.get('cursor')).toBe('abc 123');
    expect(n.url.searchParams.get('since')).toBe('2024-01-01');
    expect(n.url.searchParams.get('sort')).toBe('asc');
    expect(n.url.searchParams.get('limit')).toBe('25');
    // the next page replaces the cursor, it does not add a second one
    const n2 = p.next(page(n, { meta: { next_cursor: 'def' } }, 25), n)!;
    expect(n2.url.searchParams.getAll('cursor')).toEqual(['def']);
    // the request passed in is not modified
    expect(r.url.searchParams.has('cursor')).toBe(false);
  });

  it('only: true sends the cursor alone', () => {
    const p = cursor({ cursorPath: 'scroll_id', param: 'scroll_id', only: true });
    const r = req('https://api.test/search?q=x&from=2024');
    const n = p.next(page(r, { scroll_id: 'S1' }, 10), r)!;
    expect(n.url.toString()).toBe('https://api.test/search?scroll_id=S1');
    expect(n.url.pathname).toBe('/search');
  });

  it('numeric cursors are stringified; null, missing or empty stop', () => {
    const p = cursor({ cursorPath: 'next', param: 'after' });
    const r = req('https://api.test/items');
    expect(p.next(page(r, { next: 42 }, 1), r)!.url.searchParams.get('after')).toBe('42');
    expect(p.next(page(r, { next: null }, 1), r)).toBeNull();
    expect(p.next(page(r, {}, 1), r)).toBeNull();
    expect(p.next(page(r, { next: '' }, 1), r)).toBeNull();
  });
});

describe('pageNumber', () => {
  it('first() sets page 1 and the size; next() counts up', () => {
    const p = pageNumber({ pageSizeParam: 'per_page', pageSize: 2 });
    const r = req('https://api.test/items');
    p.first!(r);
    expect(r.url.searchParams.get('page')).toBe('1');
    expect(r.url.searchParams.get('per_page')).toBe('2');
    const n = p.next(page(r, {}, 2), r)!;
    expect(n.url.searchParams.get('page')).toBe('2');
    expect(r.url.searchParams.get('page')).toBe('1');
    const n3 = p.next(page(n, {}, 2), n)!;
    expect(n3.url.searchParams.get('page')).toBe('3');
  });

  it('stops on a page shorter than the size seen, and on an empty page', () => {
    const p = pageNumber({ pageSizeParam: 'per_page', pageSize: 3 });
    const r = req('https://api.test/items');
    p.first!(r);
    const n = p.next(page(r, {}, 3), r)!;
    expect(p.next(page(n, {}, 2), n)).toBeNull();
    expect(p.next(page(r, {}, 0), r)).toBeNull();
  });

  it('a server capping the page size (asked 100, got 50) is followed to the end (issue 9 #2)', () => {
    const p = pageNumber({ pageSizeParam: 'per_page', pageSize: 100 });
    const r = req('https://api.test/items');
    p.first!(r);
    const n2 = p.next(page(r, {}, 50), r)!;
    expect(n2.url.searchParams.get('page')).toBe('2');
    expect(n2.memo?.page_size).toBe(50);
    const n3 = p.next(page(n2, {}, 50), n2)!;
    expect(n3.url.searchParams.get('page')).toBe('3');
    // shorter than the 50 the server returns: the last page
    expect(p.next(page(n3, {}, 20), n3)).toBeNull();
    // a first page that is short for real costs one more (empty) request
    const last = p.next(page(r, {}, 7), r)!;
    expect(p.next(page(last, {}, 0), last)).toBeNull();
  });

  it('totalItemsPath counts the capped page size, not the asked one (issue 9 #2)', () => {
    const p = pageNumber({ totalItemsPath: 'total', pageSizeParam: 'size', pageSize: 100 });
    const r = req('https://api.test/items');
    p.first!(r);
    const n2 = p.next(page(r, { total: 120 }, 50), r)!;
    const n3 = p.next(page(n2, { total: 120 }, 50), n2)!;
    expect(n3.url.searchParams.get('page')).toBe('3');
    expect(p.next(page(n3, { total: 120 }, 20), n3)).toBeNull();
  });

  it('without a page size only an empty page stops it', () => {
    const p = pageNumber();
    const r = req('https://api.test/items');
    p.first!(r);
    expect(p.next(page(r, {}, 1), r)!.url.searchParams.get('page')).toBe('2');
    expect(p.next(page(r, {}, 0), r)).toBeNull();
  });

  it('totalPagesPath', () => {
    const p = pageNumber({ totalPagesPath: 'meta.total_pages', pageSizeParam: 'size', pageSize: 10 });
    const r = req('https://api.test/items');
    p.first!(r);
    const n = p.next(page(r, { meta: { total_pages: 2 } }, 10), r)!;
    expect(n.url.searchParams.get('page')).toBe('2');
    expect(p.next(page(n, { meta: { total_pages: 2 } }, 10), n)).toBeNull();
    // a string total works too
    expect(p.next(page(r, { meta: { total_pages: '1' } }, 10), r)).toBeNull();
  });

  it('totalItemsPath', () => {
    const p = pageNumber({ totalItemsPath: 'total', pageSizeParam: 'size', pageSize: 10 });
    const r = req('https://api.test/items');
    p.first!(r);
    const n2 = p.next(page(r, { total: 25 }, 10), r)!;
    const n3 = p.next(page(n2, { total: 25 }, 10), n2)!;
    expect(n3.url.searchParams.get('page')).toBe('3');
    expect(p.next(page(n3, { total: 25 }, 5), n3)).toBeNull();
    // exactly 20 items: two full pages and done
    const m2 = p.next(page(r, { total: 20 }, 10), r)!;
    expect(p.next(page(m2, { total: 20 }, 10), m2)).toBeNull();
  });

  it('a total that shrinks while the list is paged sends it back as far as the rows moved up (issue 15 #2)', () => {
    const p = pageNumber({ totalItemsPath: 'total', totalPagesPath: 'pages', pageSizeParam: 'size', pageSize: 10 });
    const r = req('https://api.test/items');
    p.first!(r);
    const n2 = p.next(page(r, { total: 45, pages: 5 }, 10), r)!;
    const n3 = p.next(page(n2, { total: 45, pages: 5 }, 10), n2)!;
    // 3 rows removed before page 3: the first 3 rows of page 4 are now on page 3, read again
    const back = p.next(page(n3, { total: 42, pages: 5 }, 10), n3)!;
    expect(back.url.searchParams.get('page')).toBe('3');
    expect(back.memo?.revisit).toBe(true);
    // 12 rows removed: two pages back
    expect(p.next(page(n3, { total: 33, pages: 4 }, 10), n3)!.url.searchParams.get('page')).toBe('2');
    // a last page that emptied out, or one flagged last, still goes back first
    const spring = pageNumber({ totalItemsPath: 'total', pageSizeParam: 'size', pageSize: 10, lastPath: 'last' });
    expect(spring.next(page(n3, { total: 29, last: true }, 0), n3)!.url.searchParams.get('page')).toBe('2');
    // a total that grows (rows added) goes on: the rows moved down are read twice, never missed
    expect(p.next(page(n3, { total: 50, pages: 5 }, 10), n3)!.url.searchParams.get('page')).toBe('4');
    // only pages known: a page more than the pages lost
    const byPages = pageNumber({ totalPagesPath: 'pages', pageSizeParam: 'size', pageSize: 10 });
    const q2 = byPages.next(page(r, { pages: 5 }, 10), r)!;
    const q3 = byPages.next(page(q2, { pages: 5 }, 10), q2)!;
    expect(byPages.next(page(q3, { pages: 4 }, 10), q3)!.url.searchParams.get('page')).toBe('2');
  });

  it('start 0 (pageIndex style) with totals', () => {
    const p = pageNumber({ param: 'pageIndex', start: 0, pageSizeParam: 'pageSize', pageSize: 5, totalPagesPath: 'pageCount' });
    const r = req('https://api.test/items');
    p.first!(r);
    expect(r.url.searchParams.get('pageIndex')).toBe('0');
    const n = p.next(page(r, { pageCount: 2 }, 5), r)!;
    expect(n.url.searchParams.get('pageIndex')).toBe('1');
    expect(p.next(page(n, { pageCount: 2 }, 5), n)).toBeNull();
    const single = pageNumber({ param: 'pageIndex', start: 0, totalPagesPath: 'pageCount' });
    const r0 = req('https://api.test/items');
    single.first!(r0);
    expect(single.next(page(r0, { pageCount: 1 }, 5), r0)).toBeNull();
  });
});

describe('pageNumber end flags', () => {
  it('emptyPath and lastPath stop it even when the totals say there is more', () => {
    const p = pageNumber({ param: 'pageIndex', start: 0, totalPagesPath: 'data.totalPages', emptyPath: 'data.empty', lastPath: 'data.last' });
    const r = req('https://api.test/items');
    p.first!(r);
    expect(p.next(page(r, { data: { totalPages: 9, empty: false, last: false } }, 3), r)!.url.searchParams.get('pageIndex')).toBe('1');
    expect(p.next(page(r, { data: { totalPages: 9, empty: true } }, 3), r)).toBeNull();
    expect(p.next(page(r, { data: { totalPages: 9, last: true } }, 3), r)).toBeNull();
    // only `true` ends it: a missing or string flag does not
    expect(p.next(page(r, { data: { totalPages: 9, empty: 'true' } }, 3), r)).not.toBeNull();
  });

  it('the total pages are read again on every page (a total that grows is followed)', () => {
    const p = pageNumber({ param: 'pageIndex', start: 0, totalPagesPath: 'data.totalPages' });
    const r = req('https://api.test/items');
    p.first!(r);
    const n1 = p.next(page(r, { data: { totalPages: 2 } }, 3), r)!;
    const n2 = p.next(page(n1, { data: { totalPages: 3 } }, 3), n1)!;
    expect(n2.url.searchParams.get('pageIndex')).toBe('2');
    expect(p.next(page(n2, { data: { totalPages: 3 } }, 3), n2)).toBeNull();
  });
});

describe('offset', () => {
  it('first() sets offset 0 and the limit; advances by records received; stops on a short page', () => {
    const p = offset({ limit: 3 });
    const r = req('https://api.test/items');
    p.first!(r);
    expect(r.url.searchParams.get('offset')).toBe('0');
    expect(r.url.searchParams.get('limit')).toBe('3');
    const n = p.next(page(r, {}, 3), r)!;
    expect(n.url.searchParams.get('offset')).toBe('3');
    expect(n.url.searchParams.get('limit')).toBe('3');
    const n2 = p.next(page(n, {}, 3), n)!;
    expect(n2.url.searchParams.get('offset')).toBe('6');
    expect(p.next(page(n2, {}, 2), n2)).toBeNull();
    expect(p.next(page(n2, {}, 0), n2)).toBeNull();
  });

  it('without a total, a capped page size does not end the stream after page 1 (issue 9 #2)', () => {
    const p = offset({ limit: 100 });
    const r = req('https://api.test/items');
    p.first!(r);
    const n = p.next(page(r, {}, 50), r)!;
    expect(n.url.searchParams.get('offset')).toBe('50');
    const n2 = p.next(page(n, {}, 50), n)!;
    expect(n2.url.searchParams.get('offset')).toBe('100');
    expect(p.next(page(n2, {}, 49), n2)).toBeNull();
  });

  it('with a total, stops at the total even on full pages, and continues past short pages below it', () => {
    const p = offset({ limit: 10, offsetParam: 'skip', limitParam: 'take', totalPath: 'meta.total' });
    const r = req('https://api.test/items');
    p.first!(r);
    expect(r.url.searchParams.get('skip')).toBe('0');
    expect(r.url.searchParams.get('take')).toBe('10');
    const n = p.next(page(r, { meta: { total: 20 } }, 10), r)!;
    expect(n.url.searchParams.get('skip')).toBe('10');
    expect(p.next(page(n, { meta: { total: 20 } }, 10), n)).toBeNull();
    // a server capping pages below the limit: keep going until the total
    const capped = p.next(page(r, { meta: { total: 20 } }, 7), r)!;
    expect(capped.url.searchParams.get('skip')).toBe('7');
    const alone = p.next(page(r, { meta: { total: 10 } }, 10), r);
    expect(alone).toBeNull();
  });

  it('a total that shrinks while the list is paged goes back by as many rows (issue 15 #2)', () => {
    const p = offset({ limit: 10, totalPath: 'total' });
    const r = req('https://api.test/items');
    p.first!(r);
    const n = p.next(page(r, { total: 30 }, 10), r)!;
    const back = p.next(page(n, { total: 27 }, 10), n)!;
    expect(back.url.searchParams.get('offset')).toBe('17');
    expect(back.memo?.revisit).toBe(true);
    expect(back.memo?.total).toBe(27);
    // an emptied last page goes back too
    expect(p.next(page(n, { total: 9 }, 0), n)!.url.searchParams.get('offset')).toBe('0');
  });

  it('an empty page before the announced total is an error, not the end (issue 9 faults)', () => {
    const p = offset({ limit: 10, totalPath: 'total' });
    const r = req('https://api.test/items?offset=10&limit=10');
    expect(() => p.next(page(r, { total: 30 }, 0), r)).toThrow(/offset 10 is empty, but the API announced 30 records/);
    const pn = pageNumber({ totalPagesPath: 'total_pages' });
    const r2 = req('https://api.test/items?page=2');
    expect(() => pn.next(page(r2, { total_pages: 4 }, 0), r2)).toThrow(/page 2 is empty, but the API announced 4 pages/);
  });
});

describe('plan: the remaining requests when the first page tells where the last one is', () => {
  const urls = (plan: Iterable<RequestSpec> | undefined) => (plan ? [...plan].map((r) => r.url.toString()) : undefined);

  it('offset with a total: every remaining offset, only if the server returned the full limit', () => {
    const p = offset({ limit: 10, totalPath: 'total' });
    const r = req('https://api.test/items?offset=0&limit=10');
    expect(urls(p.plan!(page(r, { total: 35 }, 10), r))).toEqual([
      'https://api.test/items?offset=10&limit=10', 'https://api.test/items?offset=20&limit=10', 'https://api.test/items?offset=30&limit=10']);
    expect(urls(p.plan!(page(r, { total: 10 }, 10), r))).toEqual([]);
    expect(p.plan!(page(r, { total: 35 }, 8), r)).toBeUndefined(); // the server capped the page: positions unknown
    expect(offset({ limit: 10 }).plan!(page(r, {}, 10), r)).toBeUndefined();
  });

  it('page number with total pages or total items', () => {
    const r = req('https://api.test/items?page=1&size=5');
    const byPages = pageNumber({ pageSizeParam: 'size', pageSize: 5, totalPagesPath: 'meta.pages' });
    expect(urls(byPages.plan!(page(r, { meta: { pages: 3 } }, 5), r))).toEqual(['https://api.test/items?page=2&size=5', 'https://api.test/items?page=3&size=5']);
    const byItems = pageNumber({ pageSizeParam: 'size', pageSize: 5, totalItemsPath: 'total' });
    expect(urls(byItems.plan!(page(r, { total: 11 }, 5), r))).toEqual(['https://api.test/items?page=2&size=5', 'https://api.test/items?page=3&size=5']);
    expect(byItems.plan!(page(r, { total: 11 }, 4), r)).toBeUndefined();
    const fromZero = pageNumber({ param: 'pageIndex', start: 0, totalPagesPath: 'pages' });
    const r0 = req('https://api.test/items?pageIndex=0');
    expect(urls(fromZero.plan!(page(r0, { pages: 2 }, 3), r0))).toEqual(['https://api.test/items?pageIndex=1']);
    expect(pageNumber().plan!(page(r, {}, 5), r)).toBeUndefined();
  });

  it('next link with a last link (Better Stack): the pages between, parameters carried; nothing when the links differ otherwise', () => {
    const p = nextUrl('pagination.next', { carry: ['per_page'], last: { path: 'pagination.last', pageParam: 'page' } });
    const r = req('https://api.test/v2/monitors?per_page=250');
    const body = { pagination: { next: 'https://api.test/v2/monitors?page=2&per_page=250', last: 'https://api.test/v2/monitors?page=4&per_page=250' } };
    expect(urls(p.plan!(page(r, body, 250), r))).toEqual([
      'https://api.test/v2/monitors?page=2&per_page=250', 'https://api.test/v2/monitors?page=3&per_page=250', 'https://api.test/v2/monitors?page=4&per_page=250']);
    const dropped = { pagination: { next: 'https://api.test/v2/monitors?page=2', last: 'https://api.test/v2/monitors?page=3' } };
    expect(urls(p.plan!(page(r, dropped, 250), r))).toEqual(['https://api.test/v2/monitors?page=2&per_page=250', 'https://api.test/v2/monitors?page=3&per_page=250']);
    const cursorish = { pagination: { next: 'https://api.test/v2/monitors?page=2&cursor=abc', last: 'https://api.test/v2/monitors?page=9' } };
    expect(p.plan!(page(r, cursorish, 250), r)).toBeUndefined();
    expect(p.plan!(page(r, { pagination: { next: null, last: 'https://api.test/v2/monitors?page=1' } }, 3), r)).toBeUndefined();
    expect(nextUrl('pagination.next').plan).toBeUndefined();
  });
});

describe('a cursor path that names nothing on a full page (issue 16 #1)', () => {
  const context = () => {
    const lines: string[] = [];
    return { lines, ctx: { stream: 'items', log: { warn: (m: string) => lines.push(m) } as unknown as import('../../../src/kit/log/log.js').Logger } };
  };
  it('has_more true with no token: a WARN naming stream and path, and the end', () => {
    const { lines, ctx } = context();
    const p = cursor({ cursorPath: 'meta.next', hasMorePath: 'has_more' });
    const r = req('https://api.test/items');
    expect(p.next(page(r, { has_more: true, meta: {} }, 3), r, ctx)).toBeNull();
    expect(lines).toEqual([expect.stringMatching(/^stream 'items': cursor path 'meta\.next' found nothing on a full page \(has_more is true\)/)]);
  });
  it('as many records as asked for, with no token: a WARN', () => {
    const { lines, ctx } = context();
    const p = cursor({ cursorPath: 'next', pageSizeParam: 'limit', pageSize: 3 });
    const r = req('https://api.test/items');
    expect(p.next(page(r, {}, 3), r, ctx)).toBeNull();
    expect(lines).toHaveLength(1);
  });
  it('a short last page, or a token set to null, ends quietly', () => {
    const { lines, ctx } = context();
    const p = cursor({ cursorPath: 'next', pageSizeParam: 'limit', pageSize: 3, hasMorePath: 'has_more' });
    const r = req('https://api.test/items');
    expect(p.next(page(r, {}, 2), r, ctx)).toBeNull();
    expect(p.next(page(r, { next: null, has_more: false }, 3), r, ctx)).toBeNull();
    expect(lines).toEqual([]);
  });
  it('the last item\'s id as the cursor (`data[-1].id`)', () => {
    const p = cursor({ cursorPath: 'data[-1].id', param: 'starting_after', hasMorePath: 'has_more' });
    const r = req('https://api.test/items');
    expect(p.next(page(r, { data: [{ id: 'x1' }, { id: 'x2' }], has_more: true }, 2), r)!.url.searchParams.get('starting_after')).toBe('x2');
  });
});

describe('positions in the JSON body (inBody; dlt *_body_path, issue 16 #5)', () => {
  it('offset and limit go into the body, read back from it, and planned pages carry them too', async () => {
    const { inBody } = await import('../../../src/kit/paging/in-body.js');
    const p = inBody(offset({ limit: 2, totalPath: 'total' }), { offset: 'page.offset', limit: 'page.limit' });
    const r = req('https://api.test/search', { method: 'POST', json: { query: 'x' } });
    p.first?.(r);
    expect(r.url.search).toBe('');
    expect(r.json).toEqual({ query: 'x', page: { offset: 0, limit: 2 } });
    const n = p.next(page(r, { total: 5 }, 2), r)!;
    expect(n.json).toEqual({ query: 'x', page: { offset: 2, limit: 2 } });
    expect(n.url.search).toBe('');
    expect(p.next(page(n, { total: 5 }, 2), n)!.json).toEqual({ query: 'x', page: { offset: 4, limit: 2 } });
    const planned = [...(p.plan?.(page(r, { total: 5 }, 2), r) ?? [])].map((x) => (x.json as { page: unknown }).page);
    expect(planned).toEqual([{ offset: 2, limit: 2 }, { offset: 4, limit: 2 }]);
  });
  it('a page number in the body, ending at the total pages', async () => {
    const { inBody } = await import('../../../src/kit/paging/in-body.js');
    const p = inBody(pageNumber({ param: 'page', start: 1, totalPagesPath: 'pages' }), { page: 'paging.page' });
    const r = req('https://api.test/search', { method: 'POST', json: {} });
    p.first?.(r);
    expect(r.json).toEqual({ paging: { page: 1 } });
    const n = p.next(page(r, { pages: 2 }, 3), r)!;
    expect(n.json).toEqual({ paging: { page: 2 } });
    expect(p.next(page(n, { pages: 2 }, 3), n)).toBeNull();
  });
});

describe('fromLastValue (positions asked from the last value read)', () => {
  it('a next page is the first request filtered from the last value; a page of one value is asked again from it, then by position from there', async () => {
    const { fromLastValue } = await import('../../../src/kit/paging/fromlast.js');
    const p = fromLastValue(offset({ limit: 2 }), { param: 'since', key: 'at' });
    const r = req('https://api.test/items?since=0');
    p.first?.(r);
    const rows = (...at: number[]) => at.map((v, i) => ({ id: i, at: v }));
    // values 1..2: from 2, at offset 0 again
    const n1 = p.next(page(r, {}, rows(1, 2)), r)!;
    expect([n1.url.searchParams.get('since'), n1.url.searchParams.get('offset')]).toEqual(['2', '0']);
    // a page of one value (3, 3) asked from an older value: asked again from 3, not by position from 2 (checker seed 1)
    const n2 = p.next(page(n1, {}, rows(3, 3)), n1)!;
    expect([n2.url.searchParams.get('since'), n2.url.searchParams.get('offset')]).toEqual(['3', '0']);
    expect(n2.memo?.revisit).toBe(true);
    delete n2.memo?.revisit; // the retriever takes the mark off before sending
    // the same page of one value asked from that value: by position, counted from it
    const n3 = p.next(page(n2, {}, rows(3, 3)), n2)!;
    expect([n3.url.searchParams.get('since'), n3.url.searchParams.get('offset')]).toEqual(['3', '2']);
    expect(n3.memo?.revisit).toBeUndefined();
    // a position counted from rows read: the retriever checks none of them left before it is read
    expect(n3.memo?.[COUNTED]).toBe(true);
    expect(n1.memo?.[COUNTED]).toBeUndefined();
    expect(n2.memo?.[COUNTED]).toBeUndefined();
  });
});
