import { autoPaginator, cursor, headerCursor, inBody, linkHeader, nextUrl, offset, pageNumber, singlePage, type JsonSchema, type Paginator } from '@singer-io-compatible/tap-kit';
import type { PaginatorConfig, Scalar } from './definition.js';
import { bool, int, nullableStr, str, typedSchema, type Kind } from './schema-parts.js';

/** A paginator's parameters as the definition gives them, read by type. */
interface Params {
  s(key: string): string | undefined;
  n(key: string): number | undefined;
  b(key: string): boolean | undefined;
  opt<T>(key: string, value: T | undefined): Record<string, T>;
  /** dlt: `total_path: null` means "no total"; absent means `total`. */
  total: string | undefined;
}

/**
 * dlt's paginator types, each with its parameters (dlt's names; `limit`/`limit_param` on cursor are
 * ours) beside the kit paginator it builds, with dlt's defaults. Where dlt fails the kit does not: a
 * total only on the first page, no total at all, has-more flags that do not override maximums, a
 * cursor that repeats. `cursor` also takes `limit` (sent as `limit_param`, default `limit`), which
 * seed definitions write and dlt ignores.
 */
export const PAGINATOR_TYPES: Record<string, Kind<Params, Paginator>> = {
  auto: { params: {}, build: () => autoPaginator() },
  single_page: { params: {}, build: () => singlePage() },
  json_link: { params: { next_url_path: str }, build: ({ s }) => nextUrl(s('next_url_path') ?? 'next') },
  header_link: { params: { links_next_key: str }, build: ({ s }) => linkHeader(s('links_next_key') ?? 'next') },
  cursor: {
    params: { cursor_path: str, cursor_param: str, cursor_body_path: str, has_more_path: str, stop_after_empty_page: bool, limit: int, limit_param: str },
    build: ({ s, n, b, opt }) => cursor({
      cursorPath: s('cursor_path') ?? 'cursors.next',
      param: s('cursor_param') ?? 'cursor',
      ...opt('bodyPath', s('cursor_body_path')), ...opt('hasMorePath', s('has_more_path')),
      stopAfterEmptyPage: b('stop_after_empty_page') ?? false,
      ...(n('limit') ? { pageSizeParam: s('limit_param') ?? 'limit', pageSize: n('limit') as number } : {}),
    }),
  },
  header_cursor: {
    params: { cursor_key: str, cursor_param: str },
    build: ({ s }) => headerCursor({ header: s('cursor_key') ?? 'next', param: s('cursor_param') ?? 'cursor' }),
  },
  offset: {
    params: { limit: int, offset: int, offset_param: str, limit_param: str, offset_body_path: str, limit_body_path: str, total_path: nullableStr, maximum_offset: int, stop_after_empty_page: bool, has_more_path: str },
    required: ['limit'],
    build: ({ s, n, b, opt, total }) => bodyPlaced(offset({
      limit: n('limit') as number, offset: n('offset') ?? 0, offsetParam: s('offset_param') ?? 'offset', limitParam: s('limit_param') ?? 'limit',
      ...opt('totalPath', total), ...opt('maximumOffset', n('maximum_offset')), ...opt('hasMorePath', s('has_more_path')),
      stopAfterEmptyPage: b('stop_after_empty_page') ?? true,
    }), { [s('offset_param') ?? 'offset']: s('offset_body_path'), [s('limit_param') ?? 'limit']: s('limit_body_path') }),
  },
  page_number: {
    params: { base_page: int, page: int, page_param: str, page_body_path: str, total_path: nullableStr, maximum_page: int, stop_after_empty_page: bool, has_more_path: str },
    build: ({ s, n, b, opt, total }) => {
      const base = n('base_page') ?? 0;
      return bodyPlaced(pageNumber({
        param: s('page_param') ?? 'page', base, start: n('page') ?? base,
        ...opt('totalPagesPath', total), ...opt('maximumPage', n('maximum_page')), ...opt('hasMorePath', s('has_more_path')),
        stopAfterEmptyPage: b('stop_after_empty_page') ?? true,
      }), { [s('page_param') ?? 'page']: s('page_body_path') });
    },
  },
};

/** A definition's `paginator`: a type name, or `{type, ...params}`. */
export const paginatorSchema: JsonSchema = { anyOf: [{ enum: Object.keys(PAGINATOR_TYPES) }, typedSchema(PAGINATOR_TYPES)] };

/** A dlt paginator (type string or `{type, ...params}`) as a kit paginator; an unknown type is `auto`. */
export function buildPaginator(config: PaginatorConfig | undefined): Paginator {
  const c: Record<string, Scalar> = typeof config === 'string' ? { type: config } : (config ?? { type: 'auto' });
  const params: Params = {
    s: (k) => (typeof c[k] === 'string' ? (c[k] as string) : undefined),
    n: (k) => (typeof c[k] === 'number' ? (c[k] as number) : undefined),
    b: (k) => (typeof c[k] === 'boolean' ? (c[k] as boolean) : undefined),
    opt: (key, v) => (v === undefined ? {} : { [key]: v }),
    total: c.total_path === null ? undefined : (typeof c.total_path === 'string' ? c.total_path : 'total'),
  };
  const kind = typeof c.type === 'string' && Object.hasOwn(PAGINATOR_TYPES, c.type) ? PAGINATOR_TYPES[c.type] : undefined;
  return (kind ?? (PAGINATOR_TYPES.auto as Kind<Params, Paginator>)).build(params);
}

/** Positions sent in the JSON body where the definition says (`*_body_path`), in the query otherwise. */
function bodyPlaced(paginator: Paginator, paths: Record<string, string | undefined>): Paginator {
  const places = Object.fromEntries(Object.entries(paths).filter((e): e is [string, string] => e[1] !== undefined));
  return Object.keys(places).length ? inBody(paginator, places) : paginator;
}
