import type { Page, Paginator } from './paginators.js';
import type { JsonValue } from '../core/json.js';

/**
 * Position paging (page numbers, offsets, page links) made safe for a list that changes during the
 * run. A row updated on a page already read moves to the end, and every row behind it slides back
 * one place: the next position skips one for good. For a stream sorted by its replication key whose
 * API filters on it, `fromLastValue` asks every next page as a first page filtered from the last
 * value written (`updated_since=<last updatedAt>`, inclusive): what moved is read again at the end,
 * nothing slides past the reader. Records at that value already written are not written twice
 * (the sync loop's tie guard). A page that is one single value falls back to the inner position
 * paginator, since a filter from that value would return the same page.
 */
export function fromLastValue(inner: Paginator, options: {
  /** The API's filter parameter (`updated_since`). */
  param: string;
  /** The record field it filters on: the stream's replication key. */
  key: string;
  /** Position parameters a first page does not carry (`page` of a next-page link). */
  drop?: string[];
  format?: (value: JsonValue) => string;
}): Paginator {
  const format = options.format ?? ((v: JsonValue) => String(v));
  return {
    kind: `${inner.kind}+from_last_value`,
    first: (r) => inner.first?.(r),
    next: (page: Page, request) => {
      const positional = inner.next(page, request);
      if (!positional) return null;
      const first = page.records[0]?.[options.key];
      const last = page.records.at(-1)?.[options.key];
      if (last === undefined || last === null || first === last) return positional;
      const url = new URL(request.url);
      const restart = { ...request, url, headers: { ...request.headers } };
      for (const p of options.drop ?? []) url.searchParams.delete(p);
      inner.first?.(restart);
      url.searchParams.set(options.param, format(last));
      return restart;
    },
  };
}
