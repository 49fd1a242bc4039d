import { getPath } from '../core/json.js';
import type { RequestSpec } from '../http/auth.js';
import type { MemoNumber, Page } from './page.js';

/**
 * A request that goes back to a position already read, on purpose: the list shrank under the paging
 * (rows before the position were removed, so the rows after it moved up into pages already read).
 * The client's loop detection lets it through once.
 */
export const REVISIT = 'revisit';

/** Marks `request` as a deliberate revisit (see REVISIT). */
export function revisit(request: RequestSpec): RequestSpec {
  request.memo = { ...request.memo, [REVISIT]: true };
  return request;
}

/**
 * A position counted from rows already read: the next page of a group of rows that share the value a
 * list is filtered from, asked by position (asked from that value it would be the same page again).
 * A row of the group that changes before that page is read leaves the group, the rows behind it slide
 * back one place, and the position skips one. The retriever reads the page before it again once it is
 * read, and reads the group again from its first page when that page holds other rows now.
 */
export const COUNTED = 'counted_from_previous';

/** Marks `request` as a position counted from rows already read (see COUNTED). */
export function counted(request: RequestSpec): RequestSpec {
  request.memo = { ...request.memo, [COUNTED]: true };
  return request;
}

/**
 * By how much a total shrank since the previous page (0 when it did not, or is not known): rows were
 * removed while the list was paged, so the rows after the position moved up by that much.
 */
export function shrinkOf(page: Page, request: RequestSpec, total: MemoNumber): number {
  const { path, memoKey } = total;
  const before = request.memo?.[memoKey];
  const here = numberAt(page.body, path);
  return typeof before === 'number' && here !== undefined && here < before ? before - here : 0;
}



/** Requests `from..to` (inclusive) of a numeric query parameter, built lazily from a template. */
export function* numbered(template: RequestSpec, param: string, range: { from: number; to: number; step?: number }): Generator<RequestSpec> {
  const { from, to, step = 1 } = range;
  for (let n = from; n <= to; n += step) {
    const next = clone(template);
    next.url.searchParams.set(param, String(n));
    yield next;
  }
}

export function clone(request: RequestSpec, url: URL = new URL(request.url)): RequestSpec {
  const next: RequestSpec = { ...request, url, headers: { ...request.headers } };
  if (request.memo) next.memo = { ...request.memo };
  return next;
}

/** A body flag (`has_more`, `hasMore`): false, "false", 0 or absent-when-asked means no more pages. */
export function flagAt(body: unknown, path: string | undefined): boolean | undefined {
  if (!path) return undefined;
  const v = getPath(body, path);
  if (v === undefined || v === null) return false;
  if (typeof v === 'string') return !/^(false|0|no|)$/i.test(v.trim());
  return Boolean(v);
}

/**
 * A total that only the first page carries (dlt#1414): remembered in the request's memo so later
 * pages, which omit it, still stop at it.
 */
export function rememberedNumber(page: Page, request: RequestSpec, total: MemoNumber & { next?: RequestSpec | undefined }): number | undefined {
  const { path, memoKey, next } = total;
  const here = numberAt(page.body, path);
  const value = here ?? (typeof request.memo?.[memoKey] === 'number' ? (request.memo[memoKey] as number) : undefined);
  if (next && value !== undefined) next.memo = { ...next.memo, [memoKey]: value };
  return value;
}

/** Sets `value` at a dotted path of a JSON body (a copy; the current request's body is not touched). */
export function withBodyValue(json: unknown, path: string, value: unknown): unknown {
  const root: Record<string, unknown> = typeof json === 'object' && json !== null && !Array.isArray(json) ? structuredClone(json as Record<string, unknown>) : {};
  const parts = path.replace(/^\$\./, '').split('.');
  let node = root;
  for (const part of parts.slice(0, -1)) {
    const child = node[part];
    node = (node[part] = typeof child === 'object' && child !== null && !Array.isArray(child) ? child : {}) as Record<string, unknown>;
  }
  node[parts[parts.length - 1] as string] = value;
  return root;
}

export function resolveUrl(value: unknown, base: string): URL | null {
  if (typeof value !== 'string' || value === '') return null;
  try {
    return new URL(value, base);
  } catch {
    return null;
  }
}

/** The whole result in one response. */
export function numberAt(body: unknown, path: string | undefined): number | undefined {
  if (!path) return undefined;
  const v = getPath(body, path);
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

/** When a position paginator stops whatever the totals say. */
