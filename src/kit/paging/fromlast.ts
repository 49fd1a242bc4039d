import { REVISIT, counted, type Page, type Paginator } from './paginators.js';
import { getPath, type JsonValue } from '../core/json.js';

/** The memo entry holding the first request's URL, which every restart is built from. */
const FIRST_URL = 'from_last_value_first_url';

/**
 * Position paging (page numbers, offsets, page links) made safe for a list that changes during the
 * run. A row updated on a page already read moves to the end, and every row behind it slides back
 * one place: the next position skips one for good. For a stream sorted by its replication key whose
 * API filters on it, `fromLastValue` asks every next page as the first page filtered from the last
 * value written (`updated_since=<last updatedAt>`, inclusive): what moved is read again at the end,
 * nothing slides past the reader. Records at that value already written are not written twice
 * (the sync loop's tie guard). A page that is one single value is asked again from that value, then
 * (a filter from that value returning the same page) the inner position paginator goes on from there,
 * marked as counted from the rows read (`COUNTED`): the retriever makes sure none of them left the
 * group while it was paged, and reads the group again when one did.
 */
export function fromLastValue(inner: Paginator, options: {
  /** The API's filter parameter (`updated_since`). */
  param: string;
  /** The record field it filters on: the stream's replication key (a dotted path reads a nested field). */
  key: string;
  /** Position parameters a first page does not carry (`page` of a next-page link). */
  drop?: string[];
  format?: (value: JsonValue) => string;
}): Paginator {
  const format = options.format ?? ((v: JsonValue) => String(v));
  const valueOf = (page: Page, at: 'first' | 'last') => {
    const record = at === 'first' ? page.records[0] : page.records.at(-1);
    return record === undefined ? undefined : (getPath(record, options.key) as JsonValue | undefined);
  };
  return {
    kind: `${inner.kind}+from_last_value`,
    first: (r) => {
      inner.first?.(r);
      r.memo = { ...r.memo, [FIRST_URL]: r.url.href };
    },
    next: (page: Page, request) => {
      const positional = inner.next(page, request);
      if (!positional) return null;
      const firstUrl = request.memo?.[FIRST_URL];
      const keep: Record<string, string | boolean> = typeof firstUrl === 'string' ? { [FIRST_URL]: firstUrl } : {};
      const first = valueOf(page, 'first');
      const last = valueOf(page, 'last');
      // A page of one single value: asked from that value again it would be the same page, so the next
      // position is taken, but counted from that value (asked from an older one, the rows in between
      // could move away and slide the next position past a row).
      const sameValue = first === last && last !== undefined && last !== null && request.url.searchParams.get(options.param) === format(last);
      if (last === undefined || last === null || sameValue) {
        positional.memo = { ...positional.memo, ...keep };
        // Within one value the position counts rows read: the retriever checks none left meanwhile.
        return sameValue ? counted(positional) : positional;
      }
      // The first request as sent (its filters, page size, first position), filtered from the last value.
      const url = new URL(typeof firstUrl === 'string' ? firstUrl : request.url);
      const restart = { ...request, url, headers: { ...request.headers }, memo: keep };
      for (const p of options.drop ?? []) url.searchParams.delete(p);
      if (typeof firstUrl !== 'string') inner.first?.(restart);
      const from = format(last);
      // A page of one value asked again from that value (above) answers rows already read: not a loop.
      if (first === last && request.url.searchParams.get(options.param) !== from) restart.memo = { ...keep, [REVISIT]: true };
      url.searchParams.set(options.param, from);
      return restart;
    },
  };
}
