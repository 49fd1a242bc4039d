// The auto-detector on every response shape the README's table lists.
import { describe, it, expect } from 'vitest';
import { autoPaginator, detectPaginator } from '../../../src/kit/paging/auto-paginator.js';
import type { Page } from '../../../src/kit/paging/paginators.js';
import type { RequestSpec } from '../../../src/kit/http/auth.js';
import { Logger } from '../../../src/kit/log/log.js';
import { Redactor } from '../../../src/kit/log/redact.js';

function req(url = 'https://api.test/items'): RequestSpec {
  return { method: 'GET', url: new URL(url), headers: {} };
}
function page(body: unknown, records = 10, headers: Page['headers'] = {}, r = req()): Page {
  return { url: r.url.toString(), status: 200, headers, body, records: Array.from({ length: records }, (_, i) => ({ id: i })) };
}
function logger() {
  const lines: string[] = [];
  const out = { write: (s: string) => { lines.push(s); return true; }, isTTY: false } as unknown as NodeJS.WriteStream;
  return { log: new Logger('tap-test', { redactor: new Redactor(), out, level: 'info' }), lines };
}

/** What auto asks for after the first page with this body (and headers). */
function nextOf(body: unknown, headers: Page['headers'] = {}, r = req(), records = 10) {
  const { log, lines } = logger();
  const next = autoPaginator().next(page(body, records, headers, r), r, { log, stream: 's' });
  return { next, text: lines.join('') };
}

describe('auto: detection table', () => {
  it.each([
    ['Link header', {}, { link: '<https://api.test/items?page=2>; rel="next"' }, 'header_link', 'https://api.test/items?page=2'],
    ['next', { next: 'https://api.test/items?c=2' }, {}, "json_link at 'next'", 'https://api.test/items?c=2'],
    ['next_url', { next_url: '/items?c=2' }, {}, "json_link at 'next_url'", 'https://api.test/items?c=2'],
    ['nextLink', { nextLink: 'https://api.test/items?c=2' }, {}, "json_link at 'nextLink'", 'https://api.test/items?c=2'],
    ['@odata.nextLink', { value: [], '@odata.nextLink': 'https://api.test/items?$skip=10' }, {}, "json_link at '['@odata.nextLink']'", 'https://api.test/items?$skip=10'],
    ['links.next', { links: { next: 'https://api.test/items?page%5Bnumber%5D=2' } }, {}, "json_link at 'links.next'", 'https://api.test/items?page%5Bnumber%5D=2'],
    ['_links.next.href (HAL)', { _links: { next: { href: '/items?page=2' } } }, {}, "json_link at '_links.next.href'", 'https://api.test/items?page=2'],
    ['Zendesk next_page URL', { tickets: [], next_page: 'https://x.zendesk.com/api/v2/tickets.json?page=2' }, {}, "json_link at 'next_page'", 'https://x.zendesk.com/api/v2/tickets.json?page=2'],
    ['Salesforce nextRecordsUrl', { records: [], nextRecordsUrl: '/services/data/v59.0/query/01gxx-2000' }, {}, "json_link at 'nextRecordsUrl'", 'https://api.test/services/data/v59.0/query/01gxx-2000'],
    ['HubSpot paging.next.link', { results: [], paging: { next: { after: 'NTI1', link: 'https://api.test/items?after=NTI1' } } }, {}, "json_link at 'paging.next.link'", 'https://api.test/items?after=NTI1'],
    ['Slack response_metadata.next_cursor', { members: [], response_metadata: { next_cursor: 'dXNlcjpVMEc5V0ZYTlo=' } }, {}, "cursor from 'response_metadata.next_cursor' sent as 'cursor'", 'https://api.test/items?cursor=dXNlcjpVMEc5V0ZYTlo%3D'],
    ['Airtable offset token', { records: [], offset: 'itrXYZ/recABC' }, {}, "cursor from 'offset' sent as 'offset'", 'https://api.test/items?offset=itrXYZ%2FrecABC'],
    ['pagination.next URL', { pagination: { next: 'https://api.test/items?page=2' } }, {}, "json_link at 'pagination.next'", 'https://api.test/items?page=2'],
    ['pagination.next number', { pagination: { next: 2 } }, {}, "page_number from 'pagination.next'", 'https://api.test/items?page=2'],
    ['meta.next_page', { meta: { next_page: 2 } }, {}, "page_number from 'meta.next_page'", 'https://api.test/items?page=2'],
    ['page + total_pages', { page: 1, total_pages: 3 }, {}, 'page_number', 'https://api.test/items?page=2'],
    ['offset body', { data: [], offset: 0, limit: 10, total: 25 }, {}, 'offset (offset/limit=10', 'https://api.test/items?offset=10&limit=10'],
    ['next_cursor', { next_cursor: 'abc' }, {}, "cursor from 'next_cursor' sent as 'cursor'", 'https://api.test/items?cursor=abc'],
    ['cursor.next + has_more', { cursor: { next: 'abc' }, has_more: true }, {}, "cursor from 'cursor.next'", 'https://api.test/items?cursor=abc'],
    ['nextPageToken', { nextPageToken: 'tok' }, {}, "cursor from 'nextPageToken' sent as 'pageToken'", 'https://api.test/items?pageToken=tok'],
  ])('%s', (_name, body, headers, what, nextUrl) => {
    const { next, text } = nextOf(body, headers as Page['headers']);
    expect(text).toContain(`paginator auto: detected ${what}`);
    expect(text).toContain('because');
    expect(next?.url.toString()).toBe(nextUrl);
  });

  it('offset bodies take the limit from the response and stop at the total', () => {
    const p = autoPaginator();
    const { log } = logger();
    let r = req();
    const seen: string[] = [];
    for (let i = 0; i < 10 && r; i++) {
      const o = Number(r.url.searchParams.get('offset') ?? 0);
      const n = Math.min(100, 250 - o);
      seen.push(r.url.search);
      r = p.next(page({ data: [], offset: o, limit: 100, total: 250 }, n, {}, r), r, { log, stream: 's' }) as RequestSpec;
    }
    expect(seen).toEqual(['', '?offset=100&limit=100', '?offset=200&limit=100']);
  });

  it('a next page number is a page_number paginator, ending on null', () => {
    const p = autoPaginator();
    const { log, lines } = logger();
    let r: RequestSpec | null = req('https://api.test/v1/teams?limit=200');
    const pages: string[] = [];
    while (r) {
      const n = Number(r.url.searchParams.get('page') ?? 1);
      pages.push(String(n));
      r = p.next(page({ pagination: { next: n < 4 ? n + 1 : null } }, 50, {}, r), r, { log, stream: 'teams' });
    }
    expect(pages).toEqual(['1', '2', '3', '4']);
    expect(lines.filter((l) => l.includes('detected'))).toHaveLength(1);
  });

  it('cursor tokens with a has-more flag stop when the flag is false', () => {
    const found = detectPaginator(page({ next_cursor: 'x', has_more: false }), req());
    expect(found?.what).toContain("until 'has_more' is false");
    expect(found?.paginator.next(page({ next_cursor: 'x', has_more: false }), req())).toBeNull();
  });

  it('nothing detected on a full-looking page: one WARN that only one page was read', () => {
    const { next, text } = nextOf({ items: [] }, {}, req('https://api.test/items?per_page=50'), 50);
    expect(next).toBeNull();
    expect(text).toContain('WARN');
    expect(text).toContain('only one page was read');
  });

  it('a body that says it is the last page, or a small page, is a single page without a warning', () => {
    expect(nextOf({ next: null, data: [] }).text).toMatch(/INFO.*single page \('next' is null/);
    expect(nextOf({ data: [] }, {}, req(), 3).text).not.toContain('WARN');
  });
});

describe('auto: shapes whose first response carries a signal (issue 16 #3)', () => {
  it('a Spring Page: pages from 0 in `page`, until `last`, total pages read', () => {
    const body = { content: [{ id: 1 }], number: 0, size: 10, totalPages: 3, totalElements: 25, last: false, first: true };
    const { next, text } = nextOf(body);
    expect(next?.url.searchParams.get('page')).toBe('1');
    expect(text).toMatch(/detected page_number sent as 'page' from 0, until 'last' is true, total pages at 'totalPages', because the body is a Spring Page/);
    const found = detectPaginator(page(body), req());
    const r2 = next as RequestSpec;
    expect(found?.paginator.next(page({ ...body, number: 2, last: true }), r2)).toBeNull();
  });
  it('a Spring Slice (no totals): until `last`', () => {
    const body = { content: [{ id: 1 }], number: 0, size: 10, last: false };
    const { next, text } = nextOf(body);
    expect(next?.url.searchParams.get('page')).toBe('1');
    expect(text).toMatch(/Spring Slice/);
    const found = detectPaginator(page(body), req());
    expect(found?.paginator.next(page({ ...body, number: 1, last: true }), next as RequestSpec)).toBeNull();
  });
  it('a next cursor in a response header', () => {
    const { next, text } = nextOf([{ id: 1 }], { 'x-next-cursor': 'abc' });
    expect(next?.url.searchParams.get('cursor')).toBe('abc');
    expect(text).toMatch(/header_cursor from 'x-next-cursor'/);
  });
  it('has_more with no token (Stripe): after the last item\'s id', () => {
    const { next, text } = nextOf({ object: 'list', data: [{ id: 'cus_1' }, { id: 'cus_2' }], has_more: true });
    expect(next?.url.searchParams.get('starting_after')).toBe('cus_2');
    expect(text).toMatch(/Stripe-style list/);
    const found = detectPaginator(page({ data: [{ id: 'cus_9' }], has_more: false }), req());
    expect(found).toBeNull();
  });
});
