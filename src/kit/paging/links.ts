import { getPath } from '../core/json.js';
import type { RequestSpec } from '../http/auth.js';
import { revisit, numbered, clone, resolveUrl, type Paginator } from './paginators.js';

export function singlePage(): Paginator {
  return { kind: 'single_page', next: () => null };
}

/**
 * The body names the next page's URL (`pagination.next` in Better Stack, `links.next` in JSON:API,
 * `next_page_url`). The URL carries its own query; auth is applied again by the client.
 */
export function nextUrl(path = 'next', options: {
  pageSizeParam?: string; pageSize?: number; carry?: string[];
  /**
   * Where the body names the last page's URL (`pagination.last`) and the query parameter numbering
   * pages (`page`): when the next and last links differ only in that number, the remaining pages are
   * known and may be requested in parallel.
   */
  last?: { path: string; pageParam: string };
} = {}): Paginator {
  const carried = (url: URL, request: RequestSpec): URL => {
    // Some APIs drop parameters (per_page, filters) from their next links: carry them over.
    for (const name of [...(options.carry ?? []), ...(options.pageSizeParam ? [options.pageSizeParam] : [])]) {
      const v = request.url.searchParams.get(name);
      if (v !== null && !url.searchParams.has(name)) url.searchParams.set(name, v);
    }
    return url;
  };
  const paginator: Paginator = {
    kind: 'json_link',
    first: (r) => {
      if (options.pageSizeParam && options.pageSize) r.url.searchParams.set(options.pageSizeParam, String(options.pageSize));
    },
    next: (page, request) => {
      const url = resolveUrl(getPath(page.body, path), page.url);
      if (!url) return null;
      const next = clone(request, carried(url, request));
      const last = options.last;
      if (!last) return next;
      // The last page's number, read on every page: when it drops, rows removed before this position
      // moved the rows after it up into pages already read; go back a page more than the pages lost.
      const lastPage = Number(resolveUrl(getPath(page.body, last.path), page.url)?.searchParams.get(last.pageParam));
      const before = request.memo?.last_page;
      const following = Number(url.searchParams.get(last.pageParam));
      const current = Number(request.url.searchParams.get(last.pageParam) ?? 1);
      if (Number.isSafeInteger(lastPage)) next.memo = { ...next.memo, last_page: lastPage };
      // Only a next link that moves forward: one pointing back is a loop, which the client stops.
      const forward = Number.isSafeInteger(following) && following > current;
      if (typeof before === 'number' && Number.isSafeInteger(lastPage) && lastPage < before && forward) {
        next.url.searchParams.set(last.pageParam, String(Math.max(1, following - (before - lastPage) - 1)));
        return revisit(next);
      }
      return next;
    },
  };
  const last = options.last;
  if (last) {
    paginator.extent = (page) => {
      const lastUrl = getPath(page.body, last.path);
      return typeof lastUrl === 'string' ? new URL(lastUrl, page.url).searchParams.get(last.pageParam) ?? undefined : undefined;
    };
    paginator.plan = (page, request) => {
      const nextUrl = resolveUrl(getPath(page.body, path), page.url);
      const lastUrl = resolveUrl(getPath(page.body, last.path), page.url);
      if (!nextUrl || !lastUrl) return undefined;
      const from = Number(nextUrl.searchParams.get(last.pageParam));
      const to = Number(lastUrl.searchParams.get(last.pageParam));
      if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || to < from) return undefined;
      // Only a link that is the next one with another page number is a position we can compute.
      const probe = new URL(lastUrl);
      probe.searchParams.set(last.pageParam, String(from));
      if (probe.toString() !== nextUrl.toString()) return undefined;
      return numbered(clone(request, carried(nextUrl, request)), last.pageParam, { from, to });
    };
  }
  return paginator;
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

/** Options shared by the cursor paginators. */
