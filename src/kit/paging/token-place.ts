import { getPath } from '../core/json.js';
import type { RequestSpec } from '../http/auth.js';
import type { Paginator } from './page.js';
import { withBodyValue } from './page-tools.js';

/**
 * Where a paginator's token goes. Every paginator is a strategy (page number, offset, cursor...)
 * that writes its tokens as query parameters; a placement moves them elsewhere on the way out and
 * reads them back on the way in, so each strategy works with each place:
 * - `query` (as the strategy wrote it),
 * - `body`: at a dotted path of the JSON body (`paging.page`); whole numbers as numbers,
 * - `header`: a request header (`X-Page-Token`),
 * - `path`: a `{name}` segment of a path template (`/v1/items/page/{page}`).
 */
export type TokenPlace =
  | { in: 'query' }
  | { in: 'body'; path: string }
  | { in: 'header'; name: string }
  | { in: 'path'; template: string };

/** Moves the named tokens of `inner` (by their query parameter names) to their places. */
export function placeTokens(inner: Paginator, places: Record<string, TokenPlace>): Paginator {
  const moved = Object.entries(places).filter(([, place]) => place.in !== 'query');
  if (moved.length === 0) return inner;
  const out = (request: RequestSpec): RequestSpec => {
    for (const [param, place] of moved) {
      const value = request.url.searchParams.get(param);
      if (value === null) continue;
      request.url.searchParams.delete(param);
      put(request, param, place, value);
    }
    return request;
  };
  const back = (request: RequestSpec): RequestSpec => {
    const view: RequestSpec = { ...request, url: new URL(request.url) };
    for (const [param, place] of moved) {
      const value = taken(request, param, place);
      if (value !== undefined) view.url.searchParams.set(param, value);
    }
    return view;
  };
  const planOf = inner.plan;
  return {
    kind: `${inner.kind}+in_${[...new Set(moved.map(([, p]) => p.in))].join('_')}`,
    first: (request) => {
      inner.first?.(request);
      out(request);
    },
    next: (page, request, context) => {
      const next = inner.next(page, back(request), context);
      return next && out(next);
    },
    ...(planOf ? {
      plan: (page, request) => {
        const planned = planOf(page, back(request));
        if (!planned) return undefined;
        return (function* () { for (const r of planned) yield out(r); })();
      },
    } : {}),
    ...(inner.extent ? { extent: inner.extent } : {}),
  };
}

function put(request: RequestSpec, param: string, place: TokenPlace, value: string): void {
  switch (place.in) {
    case 'body':
      request.json = withBodyValue(request.json, place.path, /^-?\d{1,15}$/.test(value) ? Number(value) : value);
      return;
    case 'header':
      request.headers = { ...request.headers, [place.name]: value };
      return;
    case 'path':
      request.url.pathname = place.template.split(`{${param}}`).join(encodeURIComponent(value));
      return;
    case 'query':
      return;
  }
}

function taken(request: RequestSpec, param: string, place: TokenPlace): string | undefined {
  switch (place.in) {
    case 'body': {
      const value = getPath(request.json, place.path);
      return value === undefined || value === null ? undefined : String(value);
    }
    case 'header': {
      const wanted = place.name.toLowerCase();
      const found = Object.entries(request.headers).find(([k]) => k.toLowerCase() === wanted);
      return found?.[1];
    }
    case 'path': {
      const [before, after] = place.template.split(`{${param}}`) as [string, string | undefined];
      const path = request.url.pathname;
      if (after === undefined || !path.startsWith(before) || !path.endsWith(after) || path.length < before.length + after.length) return undefined;
      return decodeURIComponent(path.slice(before.length, path.length - after.length));
    }
    case 'query':
      return undefined;
  }
}
