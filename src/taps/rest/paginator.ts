import { autoPaginator, cursor, headerCursor, inBody, linkHeader, nextUrl, offset, pageNumber, singlePage, type Paginator } from '@singer-io-compatible/tap-kit';
import type { PaginatorConfig, Scalar } from './definition.js';

/**
 * A dlt paginator (type string or `{type, ...params}`) as a kit paginator, with dlt's defaults.
 * Where dlt fails the kit does not: a total only on the first page, no total at all, has-more flags
 * that do not override maximums, a cursor that repeats. `cursor` also takes `limit` (sent as
 * `limit_param`, default `limit`), which seed definitions write and dlt ignores.
 */
export function buildPaginator(config: PaginatorConfig | undefined): Paginator {
  const c: Record<string, Scalar> = typeof config === 'string' ? { type: config } : (config ?? { type: 'auto' });
  const s = (k: string): string | undefined => (typeof c[k] === 'string' ? (c[k] as string) : undefined);
  const n = (k: string): number | undefined => (typeof c[k] === 'number' ? (c[k] as number) : undefined);
  const b = (k: string): boolean | undefined => (typeof c[k] === 'boolean' ? (c[k] as boolean) : undefined);
  const opt = <T>(key: string, v: T | undefined): Record<string, T> => (v === undefined ? {} : { [key]: v });
  // dlt: `total_path: null` means "no total"; absent means `total`.
  const total = c.total_path === null ? undefined : (s('total_path') ?? 'total');
  switch (c.type) {
    case 'single_page': return singlePage();
    case 'json_link': return nextUrl(s('next_url_path') ?? 'next');
    case 'header_link': return linkHeader(s('links_next_key') ?? 'next');
    case 'cursor': return cursor({
      cursorPath: s('cursor_path') ?? 'cursors.next',
      param: s('cursor_param') ?? 'cursor',
      ...opt('bodyPath', s('cursor_body_path')), ...opt('hasMorePath', s('has_more_path')),
      stopAfterEmptyPage: b('stop_after_empty_page') ?? false,
      ...(n('limit') ? { pageSizeParam: s('limit_param') ?? 'limit', pageSize: n('limit') as number } : {}),
    });
    case 'header_cursor': return headerCursor({ header: s('cursor_key') ?? 'next', param: s('cursor_param') ?? 'cursor' });
    case 'offset': return bodyPlaced(offset({
      limit: n('limit') as number, offset: n('offset') ?? 0, offsetParam: s('offset_param') ?? 'offset', limitParam: s('limit_param') ?? 'limit',
      ...opt('totalPath', total), ...opt('maximumOffset', n('maximum_offset')), ...opt('hasMorePath', s('has_more_path')),
      stopAfterEmptyPage: b('stop_after_empty_page') ?? true,
    }), { [s('offset_param') ?? 'offset']: s('offset_body_path'), [s('limit_param') ?? 'limit']: s('limit_body_path') });
    case 'page_number': {
      const base = n('base_page') ?? 0;
      return bodyPlaced(pageNumber({
        param: s('page_param') ?? 'page', base, start: n('page') ?? base,
        ...opt('totalPagesPath', total), ...opt('maximumPage', n('maximum_page')), ...opt('hasMorePath', s('has_more_path')),
        stopAfterEmptyPage: b('stop_after_empty_page') ?? true,
      }), { [s('page_param') ?? 'page']: s('page_body_path') });
    }
    default: return autoPaginator();
  }
}

/** Positions sent in the JSON body where the definition says (`*_body_path`), in the query otherwise. */
function bodyPlaced(paginator: Paginator, paths: Record<string, string | undefined>): Paginator {
  const places = Object.fromEntries(Object.entries(paths).filter((e): e is [string, string] => e[1] !== undefined));
  return Object.keys(places).length ? inBody(paginator, places) : paginator;
}
