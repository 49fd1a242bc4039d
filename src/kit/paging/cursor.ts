import { getPath } from '../core/json.js';
import type { RequestSpec } from '../http/auth.js';
import { clone, flagAt, withBodyValue, type Page, type Paginator, type PaginatorContext } from './paginators.js';

interface CursorOptions {
  /** The query parameter the token is sent in (default `cursor`). */
  param?: string;
  /** POST APIs: the token goes into the JSON body at this dotted path instead of the query. */
  bodyPath?: string;
  /** A body flag that says whether there are more pages (`has_more`); false ends the stream. */
  hasMorePath?: string;
  /** An empty page ends the stream even when it carries a token (default false, as dlt). */
  stopAfterEmptyPage?: boolean;
  only?: boolean;
  pageSizeParam?: string;
  pageSize?: number;
}

/** The request carrying `token`, or null when the token ends the stream (missing, empty, or the one just sent). */
function cursorRequest(token: unknown, page: Page, request: RequestSpec, options: CursorOptions): RequestSpec | null {
  const { param = 'cursor', bodyPath, hasMorePath, stopAfterEmptyPage = false, only } = options;
  if (token === null || token === undefined || token === '') return null;
  if (stopAfterEmptyPage && page.records.length === 0) return null;
  if (flagAt(page.body, hasMorePath) === false) return null;
  const value = typeof token === 'object' ? JSON.stringify(token) : String(token);
  // An API that answers its last page with the cursor it was given would loop forever (dlt#3358): that is the end.
  const sent = bodyPath ? getPath(request.json, bodyPath) : request.url.searchParams.get(param);
  if (sent !== undefined && sent !== null && String(sent) === value) return null;
  if (bodyPath) {
    const next = clone(request);
    next.json = withBodyValue(request.json, bodyPath, token);
    return next;
  }
  const url = new URL(request.url);
  if (only) url.search = '';
  url.searchParams.set(param, value);
  return clone(request, url);
}

function pageSizeFirst(options: { pageSizeParam?: string; pageSize?: number }): (r: RequestSpec) => void {
  return (r) => {
    if (options.pageSizeParam && options.pageSize) r.url.searchParams.set(options.pageSizeParam, String(options.pageSize));
  };
}

/**
 * A token from the body goes into a query parameter (or the JSON body) of the next request
 * (keyset/scroll APIs). `only: true` sends the cursor alone (plus auth): APIs that reject filters
 * after the first page. A token equal to the one just sent ends the stream.
 */
export function cursor(options: CursorOptions & { cursorPath: string }): Paginator {
  return {
    kind: 'cursor',
    first: pageSizeFirst(options),
    next: (page, request, context) => {
      const token = getPath(page.body, options.cursorPath);
      if (token === undefined) warnIfFull(page, options, context, `cursor path '${options.cursorPath}'`);
      return cursorRequest(token, page, request, options);
    },
  };
}

/**
 * A token that is not there on a full page (as many records as asked for, or `has_more` true) is a
 * path that names nothing, not the last page: the stream ends there, but never silently.
 */
function warnIfFull(page: Page, options: CursorOptions, context: PaginatorContext | undefined, what: string): void {
  const count = page.records.length;
  if (count === 0 || !context) return;
  const full = flagAt(page.body, options.hasMorePath) === true ? `${options.hasMorePath} is true` : options.pageSize !== undefined && count >= options.pageSize ? `${count} records, as many as asked for` : undefined;
  if (full) context.log.warn(`stream '${context.stream}': ${what} found nothing on a full page (${full}); the stream ends here: check the path against a response`);
}

/** The token is in a response header (`X-Next-Cursor`), sent back as a query parameter. */
export function headerCursor(options: CursorOptions & { header?: string } = {}): Paginator {
  const name = (options.header ?? 'next').toLowerCase();
  return {
    kind: 'header_cursor',
    first: pageSizeFirst(options),
    next: (page, request, context) => {
      const raw = page.headers[name];
      const token = Array.isArray(raw) ? raw[0] : raw;
      if (token === undefined) warnIfFull(page, options, context, `response header '${name}'`);
      return cursorRequest(token, page, request, options);
    },
  };
}
