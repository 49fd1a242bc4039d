/**
 * The paginations `tap-kit new --paging` offers (REST streams). Each is the kit paginator the
 * stream declares (src/tap.ts) and the pages the stand-in API serves (test/server.mjs) in the shape
 * that paginator reads: 250 items, 100 a page.
 */

export const PAGING_NAMES = ['next-url', 'link-header', 'page-number', 'offset', 'cursor'] as const;
export type PagingName = (typeof PAGING_NAMES)[number];
export const DEFAULT_PAGING: PagingName = 'next-url';

export interface PagingChoice {
  name: PagingName;
  summary: string;
  /** What the tap imports from the kit for it. */
  imports: string[];
  /** The request and the page, as the comment over the stream says them. */
  shape: string;
  /** The stream's declaration lines for records, params and paginator. */
  declaration: string[];
  /** test/server.mjs: `function pageOf(url, base)` answering `{ body, headers? }` for GET /items, under its doc comment. */
  server: string[];
}

const PER_PAGE = [
  "  const perPage = Number(url.searchParams.get('per_page') ?? 100);",
  "  const page = Number(url.searchParams.get('page') ?? 1);",
  '  const data = ITEMS.slice((page - 1) * perPage, page * perPage);',
  '  const next = page * perPage < ITEMS.length ? `${base}/items?per_page=${perPage}&page=${page + 1}` : null;',
];

export const PAGING_CHOICES: Record<PagingName, PagingChoice> = {
  'next-url': {
    name: 'next-url',
    summary: 'the body names the next page\'s URL (`"next": "https://..."`)',
    imports: ['nextUrl'],
    shape: 'GET /items?per_page=100 -> {"data": [...], "next": "<absolute URL of the next page>" | null}',
    declaration: ["records: 'data',", 'params: () => ({ per_page: 100 }),', "paginator: nextUrl('next'),"],
    server: ['/** A page of GET /items: its records and the URL of the next page. */', 'function pageOf(url, base) {', ...PER_PAGE, '  return { body: { data, next } };', '}'],
  },
  'link-header': {
    name: 'link-header',
    summary: 'an RFC 8288 `Link: <...>; rel="next"` header (GitHub style), the records a bare array',
    imports: ['linkHeader'],
    shape: 'GET /items?per_page=100 -> [...], with a `Link: <next page URL>; rel="next"` header until the last page',
    declaration: ['params: () => ({ per_page: 100 }),', 'paginator: linkHeader(),'],
    server: ['/** A page of GET /items: its records, and a Link header to the next page until the last. */', 'function pageOf(url, base) {', ...PER_PAGE, '  return { body: data, headers: next ? { link: `<${next}>; rel="next"` } : {} };', '}'],
  },
  'page-number': {
    name: 'page-number',
    summary: 'numbered pages (`?page=2&per_page=100`) with a total of pages in the body',
    imports: ['pageNumber'],
    shape: 'GET /items?page=N&per_page=100 -> {"data": [...], "page": N, "total_pages": 3}',
    declaration: ["records: 'data',", "paginator: pageNumber({ pageSizeParam: 'per_page', pageSize: 100, totalPagesPath: 'total_pages' }),"],
    server: [
      '/** Page `page` of GET /items, `per_page` records, and how many pages there are. */',
      'function pageOf(url) {',
      "  const perPage = Number(url.searchParams.get('per_page') ?? 100);",
      "  const page = Number(url.searchParams.get('page') ?? 1);",
      '  return { body: { data: ITEMS.slice((page - 1) * perPage, page * perPage), page, total_pages: Math.ceil(ITEMS.length / perPage) } };',
      '}',
    ],
  },
  offset: {
    name: 'offset',
    summary: 'offset and limit (`?offset=200&limit=100`) with a total of records in the body',
    imports: ['offset'],
    shape: 'GET /items?offset=N&limit=100 -> {"data": [...], "total": 250}',
    declaration: ["records: 'data',", "paginator: offset({ limit: 100, totalPath: 'total' }),"],
    server: [
      '/** `limit` records of GET /items from `offset`, and how many there are. */',
      'function pageOf(url) {',
      "  const offset = Number(url.searchParams.get('offset') ?? 0);",
      "  const limit = Number(url.searchParams.get('limit') ?? 100);",
      '  return { body: { data: ITEMS.slice(offset, offset + limit), total: ITEMS.length } };',
      '}',
    ],
  },
  cursor: {
    name: 'cursor',
    summary: 'an opaque cursor from the body sent back as `?cursor=` (keyset/scroll APIs)',
    imports: ['cursor'],
    shape: 'GET /items?limit=100&cursor=TOKEN -> {"data": [...], "next_cursor": "<token>" | null}',
    declaration: ["records: 'data',", "paginator: cursor({ cursorPath: 'next_cursor', param: 'cursor', pageSizeParam: 'limit', pageSize: 100 }),"],
    server: [
      '/** `limit` records of GET /items after the cursor, and the next cursor: the position of the next item, opaque to the client (base64url). */',
      'function pageOf(url) {',
      "  const limit = Number(url.searchParams.get('limit') ?? 100);",
      "  const token = url.searchParams.get('cursor');",
      "  const start = token ? Number(Buffer.from(token, 'base64url').toString()) : 0;",
      '  const end = start + limit;',
      "  const nextCursor = end < ITEMS.length ? Buffer.from(String(end)).toString('base64url') : null;",
      '  return { body: { data: ITEMS.slice(start, end), next_cursor: nextCursor } };',
      '}',
    ],
  },
};
