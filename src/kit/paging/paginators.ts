import { getPath } from '../core/json.js';
import type { RequestSpec } from '../http/auth.js';
import { UserError } from '../core/errors.js';
import type { MemoNumber, Page, Paginator } from './page.js';
import { clone, flagAt, numberAt, numbered, rememberedNumber, revisit, shrinkOf } from './page-tools.js';

export type { Page, Paginator, PaginatorContext, MemoNumber } from './page.js';
export { REVISIT, revisit, COUNTED, counted, shrinkOf, numbered, clone, flagAt, rememberedNumber, withBodyValue, resolveUrl, numberAt } from './page-tools.js';

/**
 * Whether a page without a total ends the stream, for position paginators (page number, offset).
 * An API may cap the page size silently (asked 100, got 50): the first short page only teaches the
 * real size (kept in the request's memo), and the stream ends on an empty page or a page shorter than
 * the size seen.
 */
function positionEnd(count: number, asked: number | undefined, request: RequestSpec): { done: boolean; pageSize?: number } {
  if (count === 0) return { done: true };
  const seen = typeof request.memo?.page_size === 'number' ? request.memo.page_size : undefined;
  if (seen !== undefined) return count < seen ? { done: true } : { done: false, pageSize: Math.max(seen, count) };
  if (asked !== undefined && Number.isFinite(asked)) return { done: false, pageSize: count };
  return { done: false };
}

/** The page size learned so far (see positionEnd). */
function learnedSize(request: RequestSpec): number | undefined {
  return typeof request.memo?.page_size === 'number' ? request.memo.page_size : undefined;
}

/**
 * An empty page before the total the API itself announced: ending there would lose the rest without
 * a word (a transient glitch, or records removed under the paging). One clear error instead.
 */
function emptyBeforeTotal(where: string, total: string): UserError {
  return new UserError(`${where} is empty, but the API announced ${total}: stopping rather than skipping the rest (run again; the last STATE is safe)`);
}

interface StopRules {
  /** An empty page ends the stream (default true). */
  stopAfterEmptyPage?: boolean;
  /** A body flag (`has_more`): false ends the stream; true never overrides a maximum (dlt#4225). */
  hasMorePath?: string;
}

/**
 * `page=1,2,3…` (or from 0, as Harness's `pageIndex`). Stops on an empty page, when the body's total
 * pages/items says so (read on every page; a total only the first page carries is remembered), at
 * `maximumPage`, when a has-more flag is false, when the body flags the page as the end (`emptyPath`:
 * Spring's `empty: true`, `lastPath`: Spring's `last: true`), or (with a known page size and no
 * total) on a page shorter than the size the server was seen to return (a silently capped page size
 * is learned, not taken for the end). An empty page before an announced total is an error, unless
 * `stopAfterEmptyPage: true` is given (dlt's meaning: an empty page is the end, whatever the total). `nextPagePath`: the body names the next page number (`pagination.next: 2`,
 * null on the last).
 */
export function pageNumber(options: StopRules & {
  param?: string; start?: number; base?: number; pageSizeParam?: string; pageSize?: number; totalPagesPath?: string; totalItemsPath?: string;
  maximumPage?: number; nextPagePath?: string; emptyPath?: string; lastPath?: string;
} = {}): Paginator {
  const { param = 'page', start = 1, pageSizeParam, pageSize, totalPagesPath, totalItemsPath, maximumPage, nextPagePath, emptyPath, lastPath, stopAfterEmptyPage = true, hasMorePath } = options;
  const explicitStop = options.stopAfterEmptyPage;
  const base = options.base ?? start;
  return {
    kind: 'page_number',
    first: (r) => {
      r.url.searchParams.set(param, String(start));
      if (pageSizeParam && pageSize) r.url.searchParams.set(pageSizeParam, String(pageSize));
    },
    next: (page, request) => {
      const current = Number(request.url.searchParams.get(param) ?? start);
      const next = clone(request);
      // Rows removed before this position moved the rows after it up into pages already read: go back
      // as many pages as they moved (the exact count from a total in items; from one in pages, a page more).
      const size0 = learnedSize(request) ?? Number(request.url.searchParams.get(pageSizeParam ?? '') ?? pageSize ?? NaN);
      const shrunkItems = shrinkOf(page, request, { path: totalItemsPath, memoKey: 'total_items' });
      const shrunkPages = shrinkOf(page, request, { path: totalPagesPath, memoKey: 'total_pages' });
      const back = shrunkItems > 0 && Number.isFinite(size0) && size0 > 0 ? Math.ceil(shrunkItems / size0) : shrunkPages > 0 ? shrunkPages + 1 : 0;
      if (back > 0 && !nextPagePath) {
        rememberedNumber(page, request, { path: totalPagesPath, memoKey: 'total_pages', next });
        rememberedNumber(page, request, { path: totalItemsPath, memoKey: 'total_items', next });
        next.url.searchParams.set(param, String(Math.max(start, current + 1 - back)));
        return revisit(next);
      }
      if (flagAt(page.body, hasMorePath) === false) return null;
      if ((emptyPath && getPath(page.body, emptyPath) === true) || (lastPath && getPath(page.body, lastPath) === true)) return null;
      if (page.records.length === 0 && stopAfterEmptyPage) {
        // Page n of n pages should hold records: empty, it is a glitch, not the end (unless the
        // declaration says, as dlt's `stop_after_empty_page: true` does, that an empty page is the end).
        const announced = rememberedNumber(page, request, { path: totalPagesPath, memoKey: 'total_pages' });
        if (explicitStop === undefined && announced !== undefined && current - base + 1 <= announced) throw emptyBeforeTotal(`page ${current}`, `${announced} pages`);
        return null;
      }
      let following = current + 1;
      if (nextPagePath) {
        const named = numberAt(page.body, nextPagePath);
        if (named === undefined || named === current) return null;
        following = named;
      }
      if (maximumPage !== undefined && following >= maximumPage) return null;
      const pagesSeen = current - base + 1;
      const totalPages = rememberedNumber(page, request, { path: totalPagesPath, memoKey: 'total_pages', next });
      if (totalPages !== undefined && pagesSeen >= totalPages) return null;
      const totalItems = rememberedNumber(page, request, { path: totalItemsPath, memoKey: 'total_items', next });
      const asked = Number(request.url.searchParams.get(pageSizeParam ?? '') ?? pageSize ?? NaN);
      const end = positionEnd(page.records.length, Number.isFinite(asked) ? asked : undefined, request);
      // Items so far: earlier pages of the size the server really returns, plus this one.
      const size = learnedSize(request) ?? end.pageSize ?? asked;
      if (totalItems !== undefined && Number.isFinite(size) && (pagesSeen - 1) * size + page.records.length >= totalItems) return null;
      if (!nextPagePath && !hasMorePath && totalPages === undefined && totalItems === undefined && Number.isFinite(asked) && end.done) return null;
      if (end.pageSize !== undefined) next.memo = { ...next.memo, page_size: end.pageSize };
      next.url.searchParams.set(param, String(following));
      return next;
    },
    plan: (page, request) => {
      // Pages named by the body, or a has-more flag, are not positions we can compute.
      if (page.records.length === 0 || nextPagePath || hasMorePath) return undefined;
      if ((emptyPath && getPath(page.body, emptyPath) === true) || (lastPath && getPath(page.body, lastPath) === true)) return [];
      const current = Number(request.url.searchParams.get(param) ?? start);
      let lastPage: number | undefined;
      const totalPages = numberAt(page.body, totalPagesPath);
      if (totalPages !== undefined) lastPage = base + totalPages - 1;
      const totalItems = numberAt(page.body, totalItemsPath);
      const size = Number(request.url.searchParams.get(pageSizeParam ?? '') ?? pageSize ?? NaN);
      // A total in items numbers the pages only if the server kept the page size we asked for.
      if (lastPage === undefined && totalItems !== undefined && Number.isFinite(size) && size > 0 && page.records.length === size) {
        lastPage = base + Math.ceil(totalItems / size) - 1;
      }
      if (lastPage === undefined || !Number.isSafeInteger(current)) return undefined;
      if (maximumPage !== undefined) lastPage = Math.min(lastPage, maximumPage - 1);
      return numbered(request, param, { from: current + 1, to: lastPage });
    },
    extent: (page) => {
      const pages = numberAt(page.body, totalPagesPath);
      const items = numberAt(page.body, totalItemsPath);
      return pages === undefined && items === undefined ? undefined : `${items ?? '?'} items in ${pages ?? '?'} pages`;
    },
  };
}

/**
 * `offset=0&limit=N`, advancing by the records received. Stops on an empty page, at the total (items;
 * a total only the first page carries is remembered), at `maximumOffset`, when a has-more flag is
 * false, or (no total, no flag) on a page shorter than the size the server was seen to return. An
 * empty page before an announced total is an error, unless `stopAfterEmptyPage: true` is given.
 */
export function offset(options: StopRules & { limit: number; offset?: number; offsetParam?: string; limitParam?: string; totalPath?: string; maximumOffset?: number }): Paginator {
  const { limit, offsetParam = 'offset', limitParam = 'limit', totalPath, maximumOffset, stopAfterEmptyPage = true, hasMorePath } = options;
  const explicitStop = options.stopAfterEmptyPage;
  const initial = options.offset ?? 0;
  return {
    kind: 'offset',
    first: (r) => {
      r.url.searchParams.set(offsetParam, String(initial));
      r.url.searchParams.set(limitParam, String(limit));
    },
    next: (page, request) => {
      const current = Number(request.url.searchParams.get(offsetParam) ?? initial);
      const next = clone(request);
      const total = rememberedNumber(page, request, { path: totalPath, memoKey: 'total', next });
      const shrunk = shrinkOf(page, request, { path: totalPath, memoKey: 'total' });
      if (shrunk > 0) {
        // Rows removed before this offset moved the rows after it up by as many: read from there again.
        next.url.searchParams.set(offsetParam, String(Math.max(initial, current + page.records.length - shrunk)));
        if (!next.url.searchParams.has(limitParam)) next.url.searchParams.set(limitParam, String(limit));
        return revisit(next);
      }
      if (flagAt(page.body, hasMorePath) === false) return null;
      if (page.records.length === 0 && (stopAfterEmptyPage || (!totalPath && !hasMorePath))) {
        if (explicitStop === undefined && total !== undefined && current < total) throw emptyBeforeTotal(`the page at ${offsetParam} ${current}`, `${total} records`);
        return null;
      }
      const nextOffset = current + (page.records.length || limit);
      if (maximumOffset !== undefined && nextOffset >= maximumOffset) return null;
      const end = positionEnd(page.records.length, limit, request);
      if (total !== undefined ? nextOffset >= total : !hasMorePath && end.done) return null;
      if (end.pageSize !== undefined) next.memo = { ...next.memo, page_size: end.pageSize };
      next.url.searchParams.set(offsetParam, String(nextOffset));
      // A paginator chosen after the first response (auto) sends the page size it read there from now on.
      if (!next.url.searchParams.has(limitParam)) next.url.searchParams.set(limitParam, String(limit));
      return next;
    },
    plan: (page, request) => {
      const total = numberAt(page.body, totalPath);
      const current = Number(request.url.searchParams.get(offsetParam) ?? initial);
      // Offsets are computable only from a total, when the server returned the full limit we asked for.
      if (total === undefined || hasMorePath || page.records.length !== limit || !Number.isSafeInteger(current)) return undefined;
      const template = clone(request);
      template.url.searchParams.set(limitParam, String(limit));
      const end = maximumOffset === undefined ? total : Math.min(total, maximumOffset);
      return numbered(template, offsetParam, { from: current + limit, to: end - 1, step: limit });
    },
    extent: (page) => {
      const total = numberAt(page.body, totalPath);
      return total === undefined ? undefined : `${total} records`;
    },
  };
}
