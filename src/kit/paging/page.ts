import type { JsonObject } from '../core/json.js';
import type { RequestSpec } from '../http/auth.js';
import type { Logger } from '../log/log.js';

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
  next(page: Page, request: RequestSpec, context?: PaginatorContext): RequestSpec | null;
  /**
   * Every remaining request, when the first page tells where the last one is (a total, a last-page
   * link): the pages can then be requested in parallel. Undefined when the position is not computable.
   */
  plan?(page: Page, request: RequestSpec): Iterable<RequestSpec> | undefined;
  /**
   * How long this page says the list is (its total, its last-page link), for paginators that plan:
   * a planned page that says otherwise than the first one shows the list changed while it was read.
   */
  extent?(page: Page): string | undefined;
}

/** A number read from the page at `path` (a total), remembered in the request's memo under `memoKey`. */
export interface MemoNumber {
  path: string | undefined;
  memoKey: string;
}

/** What the HTTP client tells a paginator besides the page: where to log, for which stream. */
export interface PaginatorContext {
  log: Logger;
  stream: string;
}
