import { getPath, type JsonObject } from './json.js';
import type { RequestSpec } from './auth.js';
import { UserError } from './errors.js';

/** One fetched page as paginators see it. */
export interface Page {
  url: string;
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  records: JsonObject[];
}

/**
 * Turns the current request and its page into the next request, or null when the stream is done.
 * Paginators are stateless: whatever they need to remember travels in the request itself.
 */
export interface Paginator {
  readonly kind: string;
  /** Adjusts the first request (page size, first page/offset). */
  first?(request: RequestSpec): void;
  next(page: Page, request: RequestSpec): RequestSpec | null;
}

function clone(request: RequestSpec, url: URL = new URL(request.url)): RequestSpec {
  return { ...request, url, headers: { ...request.headers } };
}

function resolveUrl(value: unknown, base: string): URL | null {
  if (typeof value !== 'string' || value === '') return null;
  try {
    return new URL(value, base);
  } catch {
    return null;
  }
}

/** The whole result in one response. */
export function singlePage(): Paginator {
  return { kind: 'single_page', next: () => null };
}

/**
 * The body names the next page's URL (`pagination.next` in Better Stack, `links.next` in JSON:API,
 * `next_page_url`). The URL carries its own query; auth is applied again by the client.
 */
export function nextUrl(path = 'next', options: { pageSizeParam?: string; pageSize?: number; carry?: string[] } = {}): Paginator {
  return {
    kind: 'json_link',
    first: (r) => {
      if (options.pageSizeParam && options.pageSize) r.url.searchParams.set(options.pageSizeParam, String(options.pageSize));
    },
    next: (page, request) => {
      const url = resolveUrl(getPath(page.body, path), page.url);
      if (!url) return null;
      // Some APIs drop parameters (per_page, filters) from their next links: carry them over.
      for (const name of [...(options.carry ?? []), ...(options.pageSizeParam ? [options.pageSizeParam] : [])]) {
        const v = request.url.searchParams.get(name);
        if (v !== null && !url.searchParams.has(name)) url.searchParams.set(name, v);
      }
      return clone(request, url);
    },
  };
}

/** RFC 8288 `Link: <url>; rel="next"` header (GitHub style). */
export function linkHeader(rel = 'next'): Paginator {
  return {
    kind: 'header_link',
    next: (page, request) => {
      const raw = page.headers.link;
      const header = Array.isArray(raw) ? raw.join(',') : raw;
      if (!header) return null;
      for (const part of header.split(/,(?=\s*<)/)) {
        const m = /<([^>]*)>\s*;(.*)/.exec(part.trim());
        // `rel` holds space-separated tokens: match one whole (rel="next-archive" is not "next").
        const value = m ? /(?:^|;)\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,"]+))/i.exec(m[2] ?? '') : null;
        const rels = (value?.[1] ?? value?.[2] ?? '').toLowerCase().split(/\s+/);
        if (m && rels.includes(rel.toLowerCase())) {
          return clone(request, resolveUrl(m[1], page.url) ?? undefined);
        }
      }
      return null;
    },
  };
}

/**
 * A token from the body goes into a query parameter of the next request (keyset/scroll APIs).
 * `only: true` sends the cursor alone (plus auth): APIs that reject filters after the first page.
 */
export function cursor(options: { cursorPath: string; param: string; only?: boolean; pageSizeParam?: string; pageSize?: number }): Paginator {
  return {
    kind: 'cursor',
    first: (r) => {
      if (options.pageSizeParam && options.pageSize) r.url.searchParams.set(options.pageSizeParam, String(options.pageSize));
    },
    next: (page, request) => {
      const token = getPath(page.body, options.cursorPath);
      if (token === null || token === undefined || token === '') return null;
      const url = new URL(request.url);
      if (options.only) url.search = '';
      url.searchParams.set(options.param, String(token));
      return clone(request, url);
    },
  };
}

/**
 * An empty page before the total the API itself announced: ending there would lose the rest without
 * a word (a transient glitch, or records removed under the paging). One clear error instead.
 */
function emptyBeforeTotal(where: string, total: string): UserError {
  return new UserError(`${where} is empty, but the API announced ${total}: stopping rather than skipping the rest (run again; the last STATE is safe)`);
}

function numberAt(body: unknown, path: string | undefined): number | undefined {
  if (!path) return undefined;
  const v = getPath(body, path);
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

/**
 * Whether a page without a total ends the stream, for position paginators (page number, offset).
 * An API may cap the page size silently (asked 100, got 50): the first short page only teaches the
 * real size, and the stream ends on an empty page or a page shorter than the size seen.
 */
function positionEnd(count: number, asked: number | undefined, request: RequestSpec): { done: boolean; pageSize?: number } {
  if (count === 0) return { done: true };
  const seen = request.pageSize;
  if (seen !== undefined) return count < seen ? { done: true } : { done: false, pageSize: Math.max(seen, count) };
  if (asked !== undefined && Number.isFinite(asked) && count < asked) return { done: false, pageSize: count };
  return { done: false, ...(asked !== undefined && Number.isFinite(asked) ? { pageSize: count } : {}) };
}

/**
 * `page=1,2,3…` (or from 0, as Harness's `pageIndex`). Stops at the body's total pages/items (read
 * again on every page), when the body flags the page as the end (`emptyPath`: Spring's `empty: true`,
 * `lastPath`: Spring's `last: true`), or else on an empty page or one shorter than the page size the
 * server was seen to return.
 */
export function pageNumber(options: {
  param?: string; start?: number; pageSizeParam?: string; pageSize?: number; totalPagesPath?: string; totalItemsPath?: string;
  emptyPath?: string; lastPath?: string;
} = {}): Paginator {
  const { param = 'page', start = 1, pageSizeParam, pageSize, totalPagesPath, totalItemsPath, emptyPath, lastPath } = options;
  return {
    kind: 'page_number',
    first: (r) => {
      r.url.searchParams.set(param, String(start));
      if (pageSizeParam && pageSize) r.url.searchParams.set(pageSizeParam, String(pageSize));
    },
    next: (page, request) => {
      if ((emptyPath && getPath(page.body, emptyPath) === true) || (lastPath && getPath(page.body, lastPath) === true)) return null;
      const current = Number(request.url.searchParams.get(param) ?? start);
      const pagesSeen = current - start + 1;
      const totalPages = numberAt(page.body, totalPagesPath);
      const totalItems = numberAt(page.body, totalItemsPath);
      if (page.records.length === 0) {
        // Page n of n pages should hold records: empty, it is a glitch, not the end.
        if (totalPages !== undefined && pagesSeen <= totalPages) throw emptyBeforeTotal(`page ${current}`, `${totalPages} pages`);
        return null;
      }
      if (totalPages !== undefined && pagesSeen >= totalPages) return null;
      const asked = Number(request.url.searchParams.get(pageSizeParam ?? '') ?? pageSize ?? NaN);
      const end = positionEnd(page.records.length, Number.isFinite(asked) ? asked : undefined, request);
      // Items so far: full pages of the size the server really returns, plus this one.
      const size = end.pageSize ?? request.pageSize ?? asked;
      if (totalItems !== undefined && Number.isFinite(size) && (pagesSeen - 1) * size + page.records.length >= totalItems) return null;
      if (totalPages === undefined && totalItems === undefined && end.done) return null;
      const next = clone(request);
      if (end.pageSize !== undefined) next.pageSize = end.pageSize;
      next.url.searchParams.set(param, String(current + 1));
      return next;
    },
  };
}

/** `offset=0&limit=N`, advancing by the records received; stops at the total, or else as `pageNumber` does. */
export function offset(options: { limit: number; offsetParam?: string; limitParam?: string; totalPath?: string }): Paginator {
  const { limit, offsetParam = 'offset', limitParam = 'limit', totalPath } = options;
  return {
    kind: 'offset',
    first: (r) => {
      r.url.searchParams.set(offsetParam, '0');
      r.url.searchParams.set(limitParam, String(limit));
    },
    next: (page, request) => {
      const current = Number(request.url.searchParams.get(offsetParam) ?? 0);
      const nextOffset = current + page.records.length;
      const total = numberAt(page.body, totalPath);
      if (page.records.length === 0) {
        if (total !== undefined && current < total) throw emptyBeforeTotal(`the page at ${offsetParam} ${current}`, `${total} records`);
        return null;
      }
      const end = positionEnd(page.records.length, limit, request);
      if (total !== undefined ? nextOffset >= total : end.done) return null;
      const next = clone(request);
      if (end.pageSize !== undefined) next.pageSize = end.pageSize;
      next.url.searchParams.set(offsetParam, String(nextOffset));
      return next;
    },
  };
}
