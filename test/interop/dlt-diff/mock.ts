/**
 * The differential test's mock API: one small endpoint per case, under `/diff/`, each serving a
 * known list of records in one paging or auth style, implemented the plain way a real server
 * would. Its data is the ground truth: `cases.ts` states each case's expected records from the same
 * generators, never from what a client fetched.
 *
 * Mounted on the playground's HTTP server (`startPlayground({factories: [diffMock]})`).
 */
import type { MockApi, MockRequest } from '../../../src/playground/types.js';

export type Rec = Record<string, unknown>;

export const TOKEN = 'diff-secret-token';
export const API_KEY = 'diff-api-key';
export const BASIC = { username: 'diff-user', password: 'diff-password' };
export const CLIENT = { id: 'diff-client', secret: 'diff-client-secret' };

/** Records are numbered from 1; every field is a plain JSON value (no floats that print differently in Python and JS). */
export function items(n: number, prefix = 'item', from = 1): Rec[] {
  return Array.from({ length: n }, (_, i) => {
    const id = from + i;
    return {
      id,
      name: `${prefix}-${id}`,
      updated_at: new Date(Date.UTC(2024, 0, 1, id)).toISOString().replace('.000Z', 'Z'),
      active: id % 3 !== 0,
      score: id * 2.5,
      tags: id % 2 === 0 ? ['even'] : [],
    };
  });
}

/** The standard list most endpoints page through. */
export const LIST = items(25);
export const PAGE = 10;

export const PARENTS: Rec[] = Array.from({ length: 5 }, (_, i) => ({ id: i + 1, name: `parent-${i + 1}`, slug: `p${i + 1}` }));
/** Children of a parent: parent 3 has none (an empty child page), the others 1 + id % 3 children. */
export function children(parentId: number): Rec[] {
  const n = parentId === 3 ? 0 : 1 + (parentId % 3);
  return Array.from({ length: n }, (_, i) => ({ id: parentId * 100 + i + 1, parent_id: parentId, title: `child-${parentId}-${i + 1}`, size: i * 10 }));
}
/** A parent's detail (the single-entity endpoint). */
export function detail(parentId: number): Rec {
  return { id: parentId, name: `parent-${parentId}`, owner: { login: `owner-${parentId}` }, seats: parentId * 3 };
}
/** Children where the first parent has none and later ones carry fields the first page never shows. */
export function lateChildren(parentId: number): Rec[] {
  if (parentId === 1) return [];
  return [{ id: parentId * 100 + 1, parent_id: parentId, title: `late-${parentId}`, color: `c${parentId}`, weight: parentId * 7 }];
}
/** Groups for the wildcard selector: members of every group are the records. */
export const GROUPS = [
  { name: 'a', members: items(3, 'member', 1) },
  { name: 'b', members: items(4, 'member', 4) },
  { name: 'c', members: items(2, 'member', 8) },
];
/** Pages of 10 where the third page's records carry a field the first two never do. */
export const LATE_FIELD = LIST.map((r) => ((r.id as number) > 20 ? { ...r, extra: { note: `late-${String(r.id)}` } } : r));
/** The 404 and content rules of the response-action cases. */
export const MISSING_PARENT = 2;
export const ARCHIVED_PARENT = 4;

interface Reply {
  status?: number;
  body: unknown;
  headers?: Record<string, string>;
}

type Handler = (r: { url: URL; origin: string; body: unknown; req: MockRequest['req']; rest: string[] }) => Reply;

const int = (v: string | null, dflt: number): number => (v === null || v === '' || !/^-?\d+$/.test(v) ? dflt : Number(v));
const slice = (list: Rec[], from: number, n: number): Rec[] => list.slice(Math.max(0, from), Math.max(0, from) + n);
const pages = (list: Rec[], size: number): number => Math.ceil(list.length / size);
/** Opaque-looking cursor tokens: `c<position>` base64-encoded. */
const token = (pos: number): string => Buffer.from(`c${pos}`).toString('base64url');
const position = (t: string | null | undefined): number => (t ? Number(Buffer.from(t, 'base64url').toString().slice(1)) || 0 : 0);
const unauthorized: Reply = { status: 401, body: { error: 'unauthorized' } };

function absolute(origin: string, url: URL, params: Record<string, string | number>): string {
  const next = new URL(url.pathname, origin);
  for (const [k, v] of Object.entries(params)) next.searchParams.set(k, String(v));
  return next.toString();
}

/** 1-based `page` with `per_page` (default 10). */
function pageArgs(url: URL, param = 'page', base = 1): { page: number; size: number; from: number } {
  const page = int(url.searchParams.get(param), base);
  const size = int(url.searchParams.get('per_page') ?? url.searchParams.get('size'), PAGE);
  return { page, size, from: (page - base) * size };
}

const jsonLink: Handler = ({ url, origin }) => {
  const { page, size, from } = pageArgs(url);
  return { body: { data: slice(LIST, from, size), next: from + size < LIST.length ? absolute(origin, url, { page: page + 1 }) : null } };
};
const jsonLinkNested: Handler = ({ url }) => {
  const { page, size, from } = pageArgs(url);
  return { body: { results: slice(LIST, from, size), pagination: { next: from + size < LIST.length ? `${url.pathname}?page=${page + 1}` : null, page } } };
};
const odata: Handler = ({ url, origin }) => {
  const skip = int(url.searchParams.get('$skip'), 0);
  const body: Rec = { '@odata.context': 'diff', value: slice(LIST, skip, PAGE) };
  if (skip + PAGE < LIST.length) body['@odata.nextLink'] = absolute(origin, url, { $skip: skip + PAGE });
  return { body };
};
function headerLink(rel = 'next'): Handler {
  return ({ url, origin }) => {
    const { page, size, from } = pageArgs(url);
    const links = [`<${absolute(origin, url, { page: 1 })}>; rel="first"`];
    if (from + size < LIST.length) links.push(`<${absolute(origin, url, { page: page + 1 })}>; rel="${rel}"`);
    return { body: slice(LIST, from, size), headers: { link: links.join(', ') } };
  };
}
function offsetBody(opts: { total?: 'always' | 'first'; hasMore?: boolean; offsetParam?: string; limitParam?: string } = {}): Handler {
  return ({ url }) => {
    const offset = int(url.searchParams.get(opts.offsetParam ?? 'offset'), 0);
    const limit = Math.min(int(url.searchParams.get(opts.limitParam ?? 'limit'), PAGE), 50);
    const body: Rec = { data: slice(LIST, offset, limit) };
    if (opts.total === 'always' || (opts.total === 'first' && offset === 0)) body.total = LIST.length;
    if (opts.hasMore) body.has_more = offset + limit < LIST.length;
    return { body };
  };
}
const offsetInBody: Handler = ({ body }) => {
  const page = (body as { page?: { offset?: number; limit?: number } } | undefined)?.page ?? {};
  const offset = page.offset ?? 0;
  const limit = page.limit ?? PAGE;
  return { body: { data: slice(LIST, offset, limit), total: LIST.length } };
};
function pageBody(opts: { shape: 'total_pages' | 'none' | 'total' | 'has_more'; base?: number; param?: string; key?: string }): Handler {
  return ({ url }) => {
    const base = opts.base ?? 1;
    const { page, size, from } = pageArgs(url, opts.param ?? 'page', base);
    const key = opts.key ?? 'data';
    const body: Rec = { [key]: slice(LIST, from, size) };
    if (opts.shape === 'total_pages') body.total_pages = pages(LIST, size);
    if (opts.shape === 'total') body.total = pages(LIST, size);
    if (opts.shape === 'has_more') body.more = from + size < LIST.length;
    return { body };
  };
}
const pageInBody: Handler = ({ body }) => {
  const page = (body as { paging?: { page?: number } } | undefined)?.paging?.page ?? 1;
  return { body: { data: slice(LIST, (page - 1) * PAGE, PAGE), total_pages: pages(LIST, PAGE) } };
};
const cursorDefault: Handler = ({ url }) => {
  const at = position(url.searchParams.get('cursor'));
  return { body: { data: slice(LIST, at, PAGE), cursors: { next: at + PAGE < LIST.length ? token(at + PAGE) : null } } };
};
const cursorHasMore: Handler = ({ url }) => {
  const at = position(url.searchParams.get('after'));
  const more = at + PAGE < LIST.length;
  // The last page still names a cursor (to an empty page): only `has_more` says it is the last.
  return { body: { data: slice(LIST, at, PAGE), meta: { next_cursor: token(at + PAGE), has_more: more } } };
};
const cursorEndless: Handler = ({ url }) => {
  const at = position(url.searchParams.get('cursor'));
  // Every page names a next cursor, empty pages too: only an empty page says it is the end.
  return { body: { data: slice(LIST, at, PAGE), next_cursor: token(at + PAGE) } };
};
const cursorRepeat: Handler = ({ url }) => {
  const sent = url.searchParams.get('cursor');
  const at = position(sent);
  // The last page answers with the cursor it was given (dlt#3358).
  return { body: { data: slice(LIST, at, PAGE), next_cursor: at + PAGE < LIST.length ? token(at + PAGE) : sent ?? token(at) } };
};
const cursorInBody: Handler = ({ body }) => {
  const b = (body ?? {}) as { query?: string; cursor?: string };
  if (b.query !== 'all') return { status: 400, body: { error: "body must have query: 'all'" } };
  const at = position(b.cursor);
  return { body: { data: slice(LIST, at, PAGE), next_token: at + PAGE < LIST.length ? token(at + PAGE) : null } };
};
const headerCursor: Handler = ({ url }) => {
  const at = position(url.searchParams.get('cursor'));
  const headers: Record<string, string> = at + PAGE < LIST.length ? { 'x-next-cursor': token(at + PAGE) } : {};
  return { body: slice(LIST, at, PAGE), headers };
};
const stripe: Handler = ({ url }) => {
  const after = url.searchParams.get('starting_after');
  const limit = int(url.searchParams.get('limit'), PAGE);
  const at = after === null ? 0 : LIST.findIndex((r) => String(r.id) === after) + 1;
  return { body: { object: 'list', url: url.pathname, data: slice(LIST, at, limit), has_more: at + limit < LIST.length } };
};
const pageNext: Handler = ({ url }) => {
  const { page, size, from } = pageArgs(url);
  return { body: { data: slice(LIST, from, size), pagination: { next: from + size < LIST.length ? page + 1 : null } } };
};
const pageTotal: Handler = ({ url }) => {
  const { page, size, from } = pageArgs(url);
  return { body: { data: slice(LIST, from, size), page, total_pages: pages(LIST, size) } };
};
const autoOffset: Handler = ({ url }) => {
  const offset = int(url.searchParams.get('offset'), 0);
  const limit = int(url.searchParams.get('limit'), PAGE);
  return { body: { data: slice(LIST, offset, limit), offset, limit, total: LIST.length } };
};
const autoCursor: Handler = ({ url }) => {
  const at = position(url.searchParams.get('cursor'));
  const more = at + PAGE < LIST.length;
  return { body: { data: slice(LIST, at, PAGE), next_cursor: more ? token(at + PAGE) : null, has_more: more } };
};
function spring(slice_: boolean): Handler {
  return ({ url }) => {
    const page = int(url.searchParams.get('page'), 0);
    const size = int(url.searchParams.get('size'), PAGE);
    const content = slice(LIST, page * size, size);
    const last = (page + 1) * size >= LIST.length;
    const body: Rec = { content, number: page, size, numberOfElements: content.length, first: page === 0, last, empty: content.length === 0 };
    if (!slice_) Object.assign(body, { totalPages: pages(LIST, size), totalElements: LIST.length });
    return { body };
  };
}
const singleWithNext: Handler = ({ url, origin }) => ({ body: { data: slice(LIST, 0, PAGE), next: absolute(origin, url, { page: 2 }) } });
const latePages: Handler = ({ url }) => {
  const { page, from } = pageArgs(url);
  return { body: { data: slice(LATE_FIELD, from, PAGE), page, total_pages: pages(LATE_FIELD, PAGE) } };
};

// Parent/child.
function parentsOf(list: Rec[]): Handler {
  return () => ({ body: { data: list } });
}
function childrenBy(get: (rest: string[], url: URL, body: unknown) => number | undefined, of: (id: number) => Rec[] = children): Handler {
  return ({ rest, url, body }) => {
    const id = get(rest, url, body);
    if (id === undefined || !PARENTS.some((p) => p.id === id)) return { status: 404, body: { error: 'no such parent' } };
    return { body: { data: of(id) } };
  };
}
const byPath = (rest: string[]) => (rest[1] === 'children' || rest[1] === 'late' ? int(rest[0] ?? null, -1) : undefined);
const detailBy: Handler = ({ rest }) => {
  const id = int(rest[0] ?? null, -1);
  return PARENTS.some((p) => p.id === id) ? { body: detail(id) } : { status: 404, body: { error: 'no such parent' } };
};
/** Response actions: parent 2's children are missing (404), parent 4's are answered with a 200 saying it is archived. */
const actionChildren: Handler = ({ rest }) => {
  const id = int(rest[0] ?? null, -1);
  if (id === MISSING_PARENT) return { status: 404, body: { error: 'parent not found' } };
  if (id === ARCHIVED_PARENT) return { body: { status: 'archived', data: [{ id: 0, parent_id: id, title: 'placeholder of an archived parent', size: 0 }] } };
  return { body: { data: children(id) } };
};

// Incremental.
function since(list: Rec[], from: string | null | undefined, until?: string | null): Rec[] | Reply {
  const a = from ? Date.parse(from) : -Infinity;
  const b = until ? Date.parse(until) : Infinity;
  if (Number.isNaN(a) || Number.isNaN(b)) return { status: 400, body: { error: `not a date-time: ${String(from)} / ${String(until)}` } };
  return list.filter((r) => Date.parse(r.updated_at as string) >= a && Date.parse(r.updated_at as string) < b);
}
const asReply = (r: Rec[] | Reply): Reply => (Array.isArray(r) ? { body: { data: r } } : r);
const incQuery: Handler = ({ url }) => asReply(since(LIST, url.searchParams.get('since'), url.searchParams.get('until')));
const incPath: Handler = ({ rest }) => asReply(since(LIST, decodeURIComponent(rest[0] ?? '')));
const incBody: Handler = ({ body }) => asReply(since(LIST, (body as { filter?: { updated_after?: string } } | undefined)?.filter?.updated_after));

// Auth: each endpoint answers 401 unless its credential is where it belongs.
function authed(check: (req: MockRequest['req'], url: URL) => boolean): Handler {
  return ({ req, url }) => (check(req, url) ? { body: { data: LIST } } : unauthorized);
}
const basicHeader = `Basic ${Buffer.from(`${BASIC.username}:${BASIC.password}`).toString('base64')}`;
const oauthTokens = new Set<string>();
const oauthToken: Handler = ({ req, body }) => {
  // RFC 6749 §2.3.1: client credentials in HTTP basic or in the form body; both are accepted.
  const form = new URLSearchParams(typeof body === 'string' ? body : '');
  const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  const [id, secret] = basic ? Buffer.from(basic, 'base64').toString().split(':').map(decodeURIComponent) : [form.get('client_id'), form.get('client_secret')];
  if (form.get('grant_type') !== 'client_credentials' || id !== CLIENT.id || secret !== CLIENT.secret) return { status: 401, body: { error: 'invalid_client' } };
  if (form.get('scope') !== 'read') return { status: 400, body: { error: 'invalid_scope' } };
  const access = `at-${oauthTokens.size + 1}`;
  oauthTokens.add(access);
  return { body: { access_token: access, token_type: 'Bearer', expires_in: 3600 } };
};

/** Route: `/diff/<first segment>/...`; handlers get the segments after it. */
const ROUTES: Record<string, Handler> = {
  'json-link': jsonLink,
  'json-link-nested': jsonLinkNested,
  odata,
  'header-link': headerLink(),
  'header-link-rel': headerLink('successor'),
  'offset-total': offsetBody({ total: 'always' }),
  'offset-no-total': offsetBody(),
  'offset-first-total': offsetBody({ total: 'first' }),
  'offset-has-more': offsetBody({ hasMore: true, offsetParam: 'skip', limitParam: 'take' }),
  'offset-body': offsetInBody,
  'page-total': pageBody({ shape: 'total_pages', key: 'items' }),
  'page-no-total': pageBody({ shape: 'none' }),
  'page-zero': pageBody({ shape: 'total', base: 0 }),
  'page-has-more': pageBody({ shape: 'has_more', param: 'p' }),
  'page-body': pageInBody,
  cursor: cursorDefault,
  'cursor-has-more': cursorHasMore,
  'cursor-repeat': cursorRepeat,
  'cursor-endless': cursorEndless,
  'cursor-body': cursorInBody,
  'header-cursor': headerCursor,
  single: singleWithNext,
  stripe,
  'auto-link': headerLink(),
  'auto-next-url': jsonLink,
  'auto-odata': odata,
  'auto-page-next': pageNext,
  'auto-page-total': pageTotal,
  'auto-offset': autoOffset,
  'auto-cursor': autoCursor,
  'auto-spring-page': spring(false),
  'auto-spring-slice': spring(true),
  'auto-header-cursor': headerCursor,
  'auto-stripe': stripe,
  'auto-plain': () => ({ body: LIST.slice(0, 5) }),
  'auto-next-null': () => ({ body: { data: LIST.slice(0, 5), next: null } }),
  'sel-nested': () => ({ body: { response: { body: { items: LIST } } } }),
  'sel-wildcard': () => ({ body: { groups: GROUPS } }),
  'sel-filter': () => ({ body: { data: LIST } }),
  'sel-object': () => ({ body: { data: { summary: { id: 1, name: 'summary', total: LIST.length } } } }),
  'sel-recursive': () => ({ body: { payload: { page: { records: LIST } }, meta: { count: LIST.length } } }),
  'scalar-list': () => ({ body: LIST.map((r) => r.name) }),
  'scalar-one': () => ({ body: LIST.length }),
  'late-field': latePages,
  parents: (a) => (a.rest.length === 0 ? parentsOf(PARENTS)(a) : a.rest.length === 1 ? detailBy(a) : childrenBy(byPath)(a)),
  children: childrenBy((_, url) => int(url.searchParams.get('parent_id'), -1)),
  'children-search': childrenBy((_, __, body) => (body as { parent?: { id?: number } } | undefined)?.parent?.id),
  'late-parents': (a) => (a.rest.length === 0 ? parentsOf(PARENTS)(a) : childrenBy(byPath, lateChildren)(a)),
  actions: (a) => (a.rest.length === 0 ? parentsOf(PARENTS)(a) : actionChildren(a)),
  'static-path': ({ rest }) => (rest[0] === 'widgets' && rest[1] === 'items' ? { body: { data: LIST } } : { status: 404, body: { error: `no kind ${String(rest[0])}` } }),
  'inc-query': incQuery,
  'inc-path': incPath,
  'inc-body': incBody,
  'auth-bearer': authed((req) => req.headers.authorization === `Bearer ${TOKEN}`),
  'auth-header': authed((req) => req.headers['x-api-key'] === API_KEY),
  'auth-query': authed((_, url) => url.searchParams.get('api_key') === API_KEY),
  'auth-cookie': authed((req) => (req.headers.cookie ?? '').split(/;\s*/).includes(`session=${API_KEY}`)),
  'auth-basic': authed((req) => req.headers.authorization === basicHeader),
  'auth-oauth2': authed((req) => oauthTokens.has(/^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '')),
  oauth: oauthToken,
};

export function diffMock(): MockApi {
  return {
    name: 'dlt-diff',
    handle({ req, res, url, origin, body }: MockRequest): boolean {
      const parts = url.pathname.split('/').filter(Boolean);
      if (parts[0] !== 'diff' || parts[1] === undefined) return false;
      const handler = ROUTES[parts[1]];
      if (!handler) return false;
      let parsed: unknown = body;
      if (body && (req.headers['content-type'] ?? '').includes('json')) {
        try {
          parsed = JSON.parse(body);
        } catch {
          parsed = undefined;
        }
      }
      const reply = handler({ url, origin, body: parsed, req, rest: parts.slice(2) });
      const text = JSON.stringify(reply.body);
      res.writeHead(reply.status ?? 200, { ...reply.headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
      return true;
    },
    mutate: () => 0,
    stats: () => ({ records: LIST.length }),
  };
}
