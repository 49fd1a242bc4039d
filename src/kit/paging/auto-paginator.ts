import { getPath, isJsonObject } from '../core/json.js';
import type { RequestSpec } from '../http/auth.js';
import { offset, pageNumber, type Page, type Paginator, type PaginatorContext } from './paginators.js';
import { singlePage, nextUrl, linkHeader } from './links.js';
import { cursor, headerCursor } from './cursor.js';

/** What `auto` found in the first response: a paginator and the reason, for the one INFO line. */
export interface Detection {
  paginator: Paginator;
  /** `json_link at '@odata.nextLink'`: what was detected. */
  what: string;
  /** Why: the shape of the response that gave it away. */
  why: string;
}

/** Containers where APIs put their paging keys, searched after the top level. */
const CONTAINERS = ['', 'pagination', 'paging', 'meta', 'meta.pagination', 'links', '_links', 'page_info', 'pageInfo', 'cursor', 'cursors', 'paging.cursors', 'paging.next', 'response_metadata'];
/** Keys holding the next page's URL. */
const NEXT_URL_KEYS = ['next', 'next_url', 'nextUrl', 'next_page_url', 'nextPageUrl', 'next_page', 'next_link', 'nextLink', '@odata.nextLink', 'odata.nextLink', 'nextRecordsUrl', 'next.href', 'next.link'];
/** Keys holding the next page's number. */
const NEXT_PAGE_KEYS = ['next_page', 'nextPage', 'next', 'next_page_number'];
/** Keys holding an opaque cursor token, with the query parameter it usually goes back in. */
const CURSOR_KEYS: Array<[string, string]> = [
  ['next_cursor', 'cursor'], ['nextCursor', 'cursor'], ['next', 'cursor'], ['nextPageToken', 'pageToken'], ['next_page_token', 'page_token'],
  ['after', 'after'], ['end_cursor', 'after'], ['endCursor', 'after'], ['cursor', 'cursor'], ['scroll_id', 'scroll_id'], ['continuation', 'continuation'],
  ['offset', 'offset'],
];
const HAS_MORE_KEYS = ['has_more', 'hasMore', 'has_next', 'hasNext', 'has_next_page', 'hasNextPage', 'more'];
const TOTAL_PAGE_KEYS = ['total_pages', 'totalPages', 'pages', 'page_count', 'pageCount', 'last_page'];
const PAGE_KEYS = ['page', 'current_page', 'currentPage', 'page_number', 'pageNumber'];

/** `['@odata.nextLink']` for keys with dots, `a.b` otherwise. */
function pathOf(container: string, key: string): string {
  const keyPart = key.includes('.') && !/^next\.(href|link)$/.test(key) ? `['${key}']` : key;
  return container ? `${container}.${keyPart}` : keyPart;
}

function isUrlLike(v: unknown): v is string {
  return typeof v === 'string' && (/^https?:\/\//i.test(v) || v.startsWith('/') || v.startsWith('?'));
}

function isPageNumber(v: unknown): v is number {
  return (typeof v === 'number' && Number.isInteger(v) && v >= 0) || (typeof v === 'string' && /^\d{1,6}$/.test(v));
}

function find(body: unknown, keys: readonly string[], test: (v: unknown) => boolean): { path: string; value: unknown } | undefined {
  for (const container of CONTAINERS) {
    const node = container ? getPath(body, container) : body;
    if (!isJsonObject(node)) continue;
    for (const key of keys) {
      const path = pathOf(container, key);
      const value = getPath(body, path);
      if (test(value)) return { path, value };
    }
  }
  return undefined;
}

/** A query parameter the first request already uses for this purpose, or the usual name. */
function paramLike(request: RequestSpec, names: string[], fallback: string): string {
  return names.find((n) => request.url.searchParams.has(n)) ?? fallback;
}

/**
 * Detects the paginator of a response, in order: a `Link` header; a next-page URL wherever the body
 * keeps it; a next page *number*; page bodies (page + total pages); offset bodies (offset + limit);
 * cursor tokens (with a has-more flag when present). Null when nothing says there is another page.
 */
export function detectPaginator(page: Page, request: RequestSpec): Detection | null {
  const body = page.body;
  const link = page.headers.link;
  if (typeof link === 'string' || Array.isArray(link)) {
    const text = Array.isArray(link) ? link.join(',') : link;
    if (/rel\s*=\s*"?[^"]*\bnext\b/i.test(text)) return { paginator: linkHeader(), what: 'header_link', why: 'a Link header with rel="next"' };
  }
  const url = find(body, NEXT_URL_KEYS, isUrlLike);
  if (url) return { paginator: nextUrl(url.path), what: `json_link at '${url.path}'`, why: `'${url.path}' holds a URL` };
  const headerToken = NEXT_CURSOR_HEADERS.find((h) => typeof page.headers[h] === 'string' && page.headers[h] !== '');
  if (headerToken) {
    const param = paramLike(request, ['cursor', 'page_token', 'pageToken'], 'cursor');
    return { paginator: headerCursor({ header: headerToken, param }), what: `header_cursor from '${headerToken}' sent as '${param}'`, why: `the response header '${headerToken}' holds a token` };
  }
  const spring = springPage(body);
  if (spring) return spring;
  const hasMore = find(body, HAS_MORE_KEYS, (v) => typeof v === 'boolean');
  const nextNumber = find(body, NEXT_PAGE_KEYS, isPageNumber);
  if (nextNumber) {
    const param = paramLike(request, ['page', 'page_number', 'pageNumber', 'p'], 'page');
    return {
      paginator: pageNumber({ param, start: Number(nextNumber.value) - 1, nextPagePath: nextNumber.path, stopAfterEmptyPage: true, ...(hasMore ? { hasMorePath: hasMore.path } : {}) }),
      what: `page_number from '${nextNumber.path}' sent as '${param}'`,
      why: `'${nextNumber.path}' holds the next page number (${JSON.stringify(nextNumber.value)})`,
    };
  }
  const totalPages = find(body, TOTAL_PAGE_KEYS, isPageNumber);
  const current = find(body, PAGE_KEYS, isPageNumber);
  if (totalPages && current) {
    const param = paramLike(request, ['page', 'page_number', 'pageNumber', 'p'], current.path.split('.').pop() === 'current_page' ? 'page' : String(current.path.split('.').pop()));
    const at = Number(current.value);
    return {
      paginator: pageNumber({ param, start: at, base: at === 0 ? 0 : 1, totalPagesPath: totalPages.path }),
      what: `page_number sent as '${param}', total pages at '${totalPages.path}'`,
      why: `the body has '${current.path}' (${at}) and '${totalPages.path}' (${JSON.stringify(totalPages.value)})`,
    };
  }
  const off = find(body, ['offset', 'skip', 'start'], (v) => typeof v === 'number');
  const container = off ? off.path.split('.').slice(0, -1).join('.') : '';
  const lim = off ? find(container ? getPath(body, container) : body, ['limit', 'per_page', 'take', 'count', 'size'], (v) => typeof v === 'number' && v > 0) : undefined;
  if (off && lim) {
    const limit = Number(lim.value);
    const total = find(body, ['total', 'total_count', 'totalCount', 'count_total', 'total_items', 'totalItems'], (v) => typeof v === 'number');
    const offsetParam = off.path.split('.').pop() as string;
    const limitParam = lim.path.split('.').pop() as string;
    return {
      paginator: offset({ limit, offsetParam, limitParam, ...(total ? { totalPath: total.path } : {}), ...(hasMore ? { hasMorePath: hasMore.path } : {}) }),
      what: `offset (${offsetParam}/${limitParam}=${limit}${total ? `, total at '${total.path}'` : ''})`,
      why: `the body has '${off.path}' and '${pathOf(container, limitParam)}'${total ? ` and '${total.path}'` : ''}`,
    };
  }
  for (const [key, param] of CURSOR_KEYS) {
    // Numbers only where a key cannot mean a position (`offset: 20` is an offset body, `next: 2` a page).
    const token = find(body, [key], (v) => (typeof v === 'string' && v !== '' && !isUrlLike(v)) || (typeof v === 'number' && key !== 'next' && key !== 'offset'));
    if (!token) continue;
    // A lone `cursor`/`next` key with no has-more flag could be anything: only trust it with the flag.
    if ((key === 'cursor' || key === 'next') && !hasMore) continue;
    return {
      paginator: cursor({ cursorPath: token.path, param: paramLike(request, [param], param), ...(hasMore ? { hasMorePath: hasMore.path } : {}) }),
      what: `cursor from '${token.path}' sent as '${param}'${hasMore ? `, until '${hasMore.path}' is false` : ''}`,
      why: `'${token.path}' holds a token${hasMore ? ` and '${hasMore.path}' is a has-more flag` : ''}`,
    };
  }
  const lastId = stripeList(body, hasMore?.path);
  if (lastId) return lastId;
  return null;
}

/** Response headers holding the next page's cursor token (sent back as a query parameter). */
const NEXT_CURSOR_HEADERS = ['x-next-cursor', 'next-cursor', 'x-next-page-token', 'x-next-token', 'x-cursor-next', 'x-pagination-next-cursor'];

/**
 * A Spring Data `Page` (`content`, `number`, `totalPages`, `last`) or `Slice` (the same without
 * totals): pages numbered from 0 in `page`, the end told by `last` (and `totalPages` when there).
 */
function springPage(body: unknown): Detection | undefined {
  if (!isJsonObject(body) || !Array.isArray(body.content) || !isPageNumber(body.number) || typeof body.last !== 'boolean') return undefined;
  const at = Number(body.number);
  const total = isPageNumber(body.totalPages);
  return {
    paginator: pageNumber({ param: 'page', start: at, base: 0, lastPath: 'last', ...(total ? { totalPagesPath: 'totalPages' } : {}) }),
    what: `page_number sent as 'page' from ${at}, until 'last' is true${total ? `, total pages at 'totalPages'` : ''}`,
    why: `the body is a Spring ${total ? 'Page' : 'Slice'} ('content', 'number', 'last'${total ? ", 'totalPages'" : ''})`,
  };
}

/**
 * Stripe-style lists: `has_more` true and no token anywhere, the records in `data`, each with an
 * `id`: the next page starts after the last item's id (`starting_after`).
 */
function stripeList(body: unknown, hasMorePath: string | undefined): Detection | undefined {
  if (!hasMorePath || getPath(body, hasMorePath) !== true || !isJsonObject(body) || !Array.isArray(body.data)) return undefined;
  const last = body.data.at(-1);
  if (!isJsonObject(last) || (typeof last.id !== 'string' && typeof last.id !== 'number')) return undefined;
  return {
    paginator: cursor({ cursorPath: 'data[-1].id', param: 'starting_after', hasMorePath }),
    what: `cursor from the last item's id ('data[-1].id') sent as 'starting_after', until '${hasMorePath}' is false`,
    why: `'${hasMorePath}' is true with no token, and the records in 'data' have ids (a Stripe-style list)`,
  };
}

/** The first page looks full: a round number of records, or exactly the page size the request asked for. */
function looksFull(page: Page, request: RequestSpec): boolean {
  const n = page.records.length;
  if (n === 0) return false;
  for (const p of ['limit', 'per_page', 'page_size', 'pageSize', 'size', 'count', 'top', '$top']) {
    const asked = Number(request.url.searchParams.get(p));
    if (Number.isFinite(asked) && asked > 0) return n >= asked;
  }
  return n >= 10 && (n % 10 === 0 || n % 25 === 0);
}

/** Says whether the body states that this is the only page (`next: null`, `has_more: false`). */
function saysLast(body: unknown): string | undefined {
  const nullNext = find(body, [...NEXT_URL_KEYS, 'next_cursor', 'nextPageToken', 'next_page'], (v) => v === null || v === '');
  if (nullNext) return `'${nullNext.path}' is ${JSON.stringify(nullNext.value)}`;
  const flag = find(body, HAS_MORE_KEYS, (v) => v === false);
  return flag ? `'${flag.path}' is false` : undefined;
}

/**
 * `auto`: the paginator is detected from the first response of each request sequence and logged once
 * per stream at INFO (what and why). When nothing is detected but the page looks full, a WARN says
 * only one page was read. Stateless like the others: the detection is redone from each sequence's
 * first page (a child stream's parents may differ), and later pages use the paginator it chose.
 */
export function autoPaginator(): Paginator {
  const chosen = new WeakMap<RequestSpec, Paginator>();
  const logged = new Set<string>();
  const say = (context: PaginatorContext | undefined, level: 'info' | 'warn', text: string) => {
    if (!context || logged.has(`${context.stream}:${level}`)) return;
    logged.add(`${context.stream}:${level}`);
    context.log[level](`stream '${context.stream}': ${text}`);
  };
  return {
    kind: 'auto',
    next: (page, request, context) => {
      let paginator = chosen.get(request);
      if (!paginator) {
        const found = detectPaginator(page, request);
        if (!found) {
          const last = saysLast(page.body);
          if (last) say(context, 'info', `paginator auto: single page (${last} on the first page)`);
          else if (looksFull(page, request)) say(context, 'warn', `paginator auto: no pagination found in the first response, but it holds ${page.records.length} records and looks full: only one page was read (set a paginator in the definition)`);
          else say(context, 'info', 'paginator auto: single page (the response has no paging keys or headers)');
          return singlePage().next(page, request);
        }
        say(context, 'info', `paginator auto: detected ${found.what}, because ${found.why}`);
        paginator = found.paginator;
      }
      const next = paginator.next(page, request, context);
      if (next) chosen.set(next, paginator);
      return next;
    },
  };
}
