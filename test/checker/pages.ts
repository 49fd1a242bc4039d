/**
 * One page of a list in each paginator style, as simple APIs shape it: `{data, total}` for offsets,
 * `{data, total_pages}` for page numbers, `{data, next}` for next links, a `Link` header,
 * `{data, meta: {next_cursor, has_more}}` for cursors, an `X-Next-Cursor` header.
 *
 * Links and cursors of a list sorted by its cursor are keyset tokens (the last row's cursor and id:
 * stable while rows move); of any other list, positions (as most APIs' page links are).
 */
import type { Json } from './source.js';
import type { PaginatorKind } from './scenario.js';

export interface Listed {
  item: { [key: string]: Json };
  /** The row's sort position for keyset tokens: cursor milliseconds and id. */
  at: number;
  id: number;
}

export interface Page {
  headers: Record<string, string>;
  body: { [key: string]: Json };
}

interface Token {
  /** A position, or the last row's (at, id) of a keyset. */
  offset?: number;
  at?: number;
  id?: number;
}

const encode = (t: Token): string => Buffer.from(JSON.stringify(t)).toString('base64url');
function decode(s: string | null): Token {
  if (!s) return { offset: 0 };
  const t = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as Token;
  return t;
}

/** The rows of `list` after a token, and the token of what follows them. */
function window(list: readonly Listed[], token: Token, limit: number, keyset: boolean): { rows: Listed[]; next: Token | undefined } {
  let start: number;
  if (token.offset !== undefined) start = token.offset;
  else {
    const after = list.findIndex((r) => r.at > (token.at as number) || (r.at === token.at && r.id > (token.id as number)));
    start = after < 0 ? list.length : after;
  }
  const rows = list.slice(start, start + limit);
  if (start + limit >= list.length) return { rows, next: undefined };
  const last = rows[rows.length - 1] as Listed;
  return { rows, next: keyset ? { at: last.at, id: last.id } : { offset: start + limit } };
}

/** Answers one request for `list` (already filtered and ordered); `url` is the request's own absolute URL. */
export function page(list: readonly Listed[], kind: PaginatorKind, url: URL, pageSize: number, keyset: boolean): Page {
  const q = url.searchParams;
  const limit = Number(q.get('limit') ?? pageSize) || pageSize;
  const data = (rows: readonly Listed[]): Json[] => rows.map((r) => r.item);
  switch (kind) {
    case 'offset':
    case 'offset_total': {
      const offset = Number(q.get('offset') ?? 0);
      const rows = list.slice(offset, offset + limit);
      return { headers: {}, body: kind === 'offset_total' ? { data: data(rows), total: list.length } : { data: data(rows) } };
    }
    case 'page_number':
    case 'page_number_total': {
      const n = Number(q.get('page') ?? 1);
      const rows = list.slice((n - 1) * limit, n * limit);
      return { headers: {}, body: kind === 'page_number_total' ? { data: data(rows), total_pages: Math.ceil(list.length / limit) } : { data: data(rows) } };
    }
    default: {
      const token = decode(q.get('cursor'));
      const { rows, next } = window(list, token, limit, keyset);
      const nextToken = next ? encode(next) : undefined;
      const nextUrl = (): string => {
        const u = new URL(url);
        u.searchParams.set('cursor', nextToken as string);
        u.searchParams.set('limit', String(limit));
        return u.href;
      };
      switch (kind) {
        case 'json_link': return { headers: {}, body: { data: data(rows), next: nextToken ? nextUrl() : null } };
        case 'header_link': return { headers: nextToken ? { link: `<${nextUrl()}>; rel="next"` } : {}, body: { data: data(rows) } };
        case 'cursor': return { headers: {}, body: { data: data(rows), meta: { next_cursor: nextToken ?? null, has_more: nextToken !== undefined } } };
        case 'header_cursor': return { headers: nextToken ? { 'x-next-cursor': nextToken } : {}, body: { data: data(rows) } };
      }
    }
  }
  throw new Error(`unknown paginator ${String(kind)}`);
}

/** Whether a request asks for a page after the first (so a change now lands while the list is paged). */
export function isLaterPage(url: URL): boolean {
  const q = url.searchParams;
  return Number(q.get('offset') ?? 0) > 0 || Number(q.get('page') ?? 1) > 1 || q.has('cursor');
}
