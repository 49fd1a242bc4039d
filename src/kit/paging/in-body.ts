import { getPath } from '../core/json.js';
import { withBodyValue, type Paginator } from './paginators.js';
import type { RequestSpec } from '../http/auth.js';

/**
 * Any position paginator (page number, offset) with its positions in the JSON body instead of the
 * query: `{ page: 'paging.page' }` sends the page number at `paging.page` of a POST body (dlt's
 * `page_body_path`, `offset_body_path`, `limit_body_path`). The inner paginator reads and writes
 * query parameters as always; this wrapper moves them into the body on the way out and reads them
 * back from it on the way in. Whole numbers go into the body as numbers.
 */
export function inBody(inner: Paginator, places: Record<string, string>): Paginator {
  const entries = Object.entries(places);
  const toBody = (request: RequestSpec): RequestSpec => {
    for (const [param, path] of entries) {
      const value = request.url.searchParams.get(param);
      if (value === null) continue;
      request.url.searchParams.delete(param);
      request.json = withBodyValue(request.json, path, /^-?\d{1,15}$/.test(value) ? Number(value) : value);
    }
    return request;
  };
  const fromBody = (request: RequestSpec): RequestSpec => {
    const view: RequestSpec = { ...request, url: new URL(request.url) };
    for (const [param, path] of entries) {
      const value = getPath(request.json, path);
      if (value !== undefined && value !== null) view.url.searchParams.set(param, String(value));
    }
    return view;
  };
  const planOf = inner.plan;
  return {
    kind: `${inner.kind}+in_body`,
    first: (request) => {
      inner.first?.(request);
      toBody(request);
    },
    next: (page, request, context) => {
      const next = inner.next(page, fromBody(request), context);
      return next && toBody(next);
    },
    ...(planOf ? {
      plan: (page, request) => {
        const planned = planOf(page, fromBody(request));
        if (!planned) return undefined;
        return (function* () { for (const r of planned) yield toBody(r); })();
      },
    } : {}),
    ...(inner.extent ? { extent: inner.extent } : {}),
  };
}
