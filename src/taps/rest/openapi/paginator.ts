import type { JsonSchema } from '@singer-io-compatible/tap-kit';
import type { PaginatorConfig } from '../definition.js';
import type { ReadEndpoint, Parameter } from './endpoints.js';
import { declaredTypes } from './raw.js';

/** A paginator found for an endpoint, the page-size parameter to send, and what it was found from. */
export interface PaginatorGuess {
  paginator: PaginatorConfig;
  /** Query parameters to add (a page size). */
  params: Record<string, string | number>;
  /** A concrete paginator (not `auto`/`single_page`). */
  detected: boolean;
  /** What it was found from, for the resource's comment. */
  why: string;
}

const PAGE_PARAMS = ['page', 'page_number', 'pagenumber', 'pageindex', 'page_index', 'pageno', 'page_no', 'pagenum', 'pg'];
const SIZE_PARAMS = ['per_page', 'perpage', 'page_size', 'pagesize', 'limit', 'size', 'count', 'page_limit', 'max_results', 'maxresults', 'results_per_page', 'take', '$top', 'top', 'max', 'maxitems', 'max_items', 'num', 'rows', 'itemsperpage', 'items_per_page', 'pagelimit', 'first'];
const OFFSET_PARAMS = ['offset', 'skip', 'start', 'startindex', 'start_index', '$skip', 'from', 'first_result', 'firstresult', 'start_at', 'startat'];
const CURSOR_PARAMS = ['cursor', 'page_token', 'pagetoken', 'next_token', 'nexttoken', 'continuation_token', 'continuationtoken', 'continuation', 'marker', 'page_cursor', 'next_cursor', 'start_cursor', 'scroll_id', 'next_page_token', 'nextpagetoken', 'pagination_token', 'paginationtoken', 'after', 'starting_after', 'startingafter', 'next', 'token', 'search_after', 'cursor_next', 'page[cursor]', 'page[after]'];
const DATE_FORMATS = ['date', 'date-time', 'time'];
/** Cursors that are the id of the last record sent (Stripe's `starting_after`). */
const AFTER_ID_PARAMS = ['starting_after', 'startingafter', 'after_id', 'since_id'];

const NEXT_LINK_FIELDS = ['next', 'next_url', 'nexturl', 'next_link', 'nextlink', 'next_page_url', 'nextpageurl', 'next_page', 'nextpage', '@odata.nextlink', 'odata.nextlink', 'href'];
const NEXT_CURSOR_FIELDS = ['next_cursor', 'nextcursor', 'next_page_token', 'nextpagetoken', 'next_token', 'nexttoken', 'continuation_token', 'continuationtoken', 'cursor', 'end_cursor', 'endcursor', 'next_marker', 'nextmarker', 'marker', 'scroll_id', 'after', 'next', 'next_page', 'pagination_token', 'paginationtoken', 'continuation', 'page_token', 'pagetoken', 'next_key', 'nextkey'];
const HAS_MORE_FIELDS = ['has_more', 'hasmore', 'has_next', 'hasnext', 'has_next_page', 'hasnextpage', 'more', 'more_results', 'moreresults', 'has_more_items', 'hasmoreitems', 'has_more_results', 'hasmoreresults'];
const TOTAL_ITEMS_FIELDS = ['total', 'total_count', 'totalcount', 'total_results', 'totalresults', 'total_items', 'totalitems', 'total_records', 'totalrecords', 'total_entries', 'totalentries', 'totalelements', 'total_elements', 'count', 'totalsize', 'total_size', 'x-total-count'];
const TOTAL_PAGES_FIELDS = ['total_pages', 'totalpages', 'pages', 'page_count', 'pagecount', 'last_page', 'lastpage', 'num_pages', 'numpages', 'pagestotal'];
/** Objects paging fields live in (`{meta: {next_cursor}}`, `{links: {next}}`, Slack's `response_metadata`...). */
const CONTAINERS = ['meta', 'metadata', '_metadata', 'pagination', 'paging', 'page', 'page_info', 'pageinfo', 'links', '_links', 'response_metadata', 'cursor', 'cursors', 'pager', 'paginator', 'info', 'next'];

const norm = (s: string) => s.toLowerCase();

/** Dotted paths of every scalar field of the body at the top level and one level into a paging container (two for `_links.next.href`). */
function bodyFields(body: JsonSchema, selector: string | undefined): Array<{ path: string; leaf: string; schema: JsonSchema }> {
  const out: Array<{ path: string; leaf: string; schema: JsonSchema }> = [];
  const visit = (s: JsonSchema, prefix: string[], depth: number) => {
    for (const [k, v] of Object.entries(s.properties ?? {})) {
      const steps = [...prefix, k];
      if (steps.join('.') === selector) continue;
      const t = declaredTypes(v);
      if (t.includes('object') && v.properties && depth < 2 && (depth > 0 || CONTAINERS.includes(norm(k)) || (selector ?? '').startsWith(`${k}.`))) visit(v, steps, depth + 1);
      if (!t.includes('object') && !t.includes('array')) out.push({ path: dltPath(steps), leaf: norm(k), schema: v });
    }
  };
  visit(body, [], 0);
  return out;
}

/** A JSONPath as dlt writes it: `meta.next`, `['@odata.nextLink']` for a key that is not a plain name. */
export function dltPath(steps: string[]): string {
  return steps.map((s) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(s) ? s : `['${s.replace(/'/g, "\\'")}']`)).join('.').replace(/\.\[/g, '[');
}

function field(fields: ReturnType<typeof bodyFields>, names: string[], want: (s: JsonSchema) => boolean): string | undefined {
  for (const name of names) {
    const f = fields.find((x) => x.leaf === name && want(x.schema));
    if (f) return f.path;
  }
  return undefined;
}

const isString = (s: JsonSchema) => declaredTypes(s).includes('string') || declaredTypes(s).length === 0;
const isNumber = (s: JsonSchema) => declaredTypes(s).includes('integer') || declaredTypes(s).includes('number');
const isBool = (s: JsonSchema) => declaredTypes(s).includes('boolean');

function param(params: Parameter[], names: string[]): Parameter | undefined {
  const q = params.filter((p) => p.in === 'query');
  for (const n of names) {
    const p = q.find((x) => norm(x.name) === n);
    if (p) return p;
  }
  return undefined;
}

/** The page size to ask for: the parameter's maximum (at most 1000), else its default. */
function pageSize(p: Parameter): number | undefined {
  const max = typeof p.schema.maximum === 'number' ? p.schema.maximum : undefined;
  const def = typeof p.schema.default === 'number' ? p.schema.default : typeof p.schema.default === 'string' && /^\d+$/.test(p.schema.default) ? Number(p.schema.default) : undefined;
  if (max !== undefined && max >= 1 && max <= 1000) return max;
  return def;
}

/**
 * The paginator an endpoint documents, from its query parameters and its response: a cursor
 * parameter and a cursor in the body; a next link in the body; a `Link` response header; offset and
 * limit; a page number; with a total or a has-more flag when the body has one. Nothing found is
 * `auto` (tap-rest decides from the first response); a plain list with no paging signal at all is
 * `single_page`.
 */
export function detectPaginator(e: ReadEndpoint): PaginatorGuess {
  const fields = bodyFields(e.body, e.selector);
  const p = e.parameters;
  const hasMore = field(fields, HAS_MORE_FIELDS, isBool);
  const more: Record<string, string> = hasMore ? { has_more_path: hasMore } : {};
  const size = param(p, SIZE_PARAMS);
  const sizeValue = size ? pageSize(size) : undefined;
  const sizeParams = size && sizeValue !== undefined ? { [size.name]: sizeValue } : {};
  const cursorParam = param(p, CURSOR_PARAMS);
  const cursorField = field(fields, NEXT_CURSOR_FIELDS, (s) => isString(s) && s.format === undefined);
  const link = field(fields.filter((f) => !f.path.includes('prev') && !/^(self|first|last|prev|previous)$/.test(f.leaf)), NEXT_LINK_FIELDS, isString);

  if (cursorParam && AFTER_ID_PARAMS.includes(norm(cursorParam.name)) && (!cursorField || hasMore)) {
    const keyField = Object.keys(e.record.properties ?? {}).includes('id') ? 'id' : undefined;
    if (keyField) {
      const at = e.selector ? `${dltPath(e.selector.split('.'))}[-1].${keyField}` : `[-1].${keyField}`;
      return { paginator: { type: 'cursor', cursor_param: cursorParam.name, cursor_path: at, ...more }, params: sizeParams, detected: true, why: `'${cursorParam.name}' takes the last record's id${hasMore ? `, '${hasMore}' says when to stop` : ''}` };
    }
  }
  if (cursorParam && cursorField) {
    return { paginator: { type: 'cursor', cursor_param: cursorParam.name, cursor_path: cursorField, ...more }, params: sizeParams, detected: true, why: `parameter '${cursorParam.name}' and '${cursorField}' in the response` };
  }
  if (link && (!cursorParam || !/cursor|token/i.test(link))) {
    return { paginator: { type: 'json_link', next_url_path: link }, params: sizeParams, detected: true, why: `next link '${link}' in the response` };
  }
  if (e.headers.includes('link')) {
    return { paginator: { type: 'header_link' }, params: sizeParams, detected: true, why: "a 'Link' response header" };
  }
  if (cursorParam && e.headers.some((h) => /next.*(cursor|token)|cursor/.test(h))) {
    const header = e.headers.find((h) => /next.*(cursor|token)|cursor/.test(h)) as string;
    return { paginator: { type: 'header_cursor', cursor_key: header, cursor_param: cursorParam.name }, params: sizeParams, detected: true, why: `parameter '${cursorParam.name}' and response header '${header}'` };
  }
  // `start` or `from` as a date or a time is a time range's start (a filter): an offset is a number.
  const offsetParam = param(p.filter((x) => !DATE_FORMATS.includes(String(x.schema.format)) && !declaredTypes(x.schema as JsonSchema).some((t) => t === 'boolean' || t === 'array' || t === 'object')), OFFSET_PARAMS);
  if (offsetParam && size) {
    const total = field(fields, TOTAL_ITEMS_FIELDS, isNumber);
    const limit = sizeValue ?? 100;
    return {
      paginator: { type: 'offset', limit, offset_param: offsetParam.name, limit_param: size.name, total_path: total ?? null, ...more }, params: {}, detected: true,
      why: `parameters '${offsetParam.name}' and '${size.name}'${total ? `, total items at '${total}'` : ''}${hasMore ? `, '${hasMore}'` : ''}${sizeValue === undefined ? ' (page size 100 is a guess)' : ''}`,
    };
  }
  const pageParam = param(p, PAGE_PARAMS);
  if (pageParam) {
    const total = field(fields, TOTAL_PAGES_FIELDS, isNumber);
    const min = pageParam.schema.minimum;
    const def = pageParam.schema.default;
    const base = min === 0 || def === 0 || def === '0' || /index/i.test(pageParam.name) ? 0 : 1;
    return {
      paginator: { type: 'page_number', base_page: base, page_param: pageParam.name, total_path: total ?? null, ...more }, params: sizeParams, detected: true,
      why: `parameter '${pageParam.name}' (pages from ${base}${min === undefined && def === undefined && base === 1 ? ', a guess' : ''})${total ? `, total pages at '${total}'` : ''}${hasMore ? `, '${hasMore}'` : ''}`,
    };
  }
  if (offsetParam) {
    const total = field(fields, TOTAL_ITEMS_FIELDS, isNumber);
    return { paginator: { type: 'offset', limit: 100, offset_param: offsetParam.name, limit_param: 'limit', total_path: total ?? null, ...more }, params: {}, detected: true, why: `parameter '${offsetParam.name}' (no limit parameter documented: 100 and 'limit' are guesses)` };
  }
  if (cursorParam || cursorField || hasMore || size) {
    const seen = [cursorParam && `parameter '${cursorParam.name}'`, cursorField && `'${cursorField}' in the response`, hasMore && `'${hasMore}'`, size && `parameter '${size.name}'`].filter(Boolean).join(', ');
    return { paginator: 'auto', params: sizeParams, detected: false, why: `${seen} but not enough to say how pages follow: tap-rest decides from the first response` };
  }
  return { paginator: 'auto', params: {}, detected: false, why: 'no paging parameter, field or header in the document: tap-rest decides from the first response' };
}
