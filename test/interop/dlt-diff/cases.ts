/**
 * The cases of the differential test: one dlt `rest_api` definition each, run by dlt and by tap-rest
 * against the mock (`mock.ts`), and the records the definition should extract (the truth), stated
 * from the mock's data. `awaits` marks a case tap-rest still gets wrong, with the kit change that
 * fixes it: the test expects it to fail until then, so it flips (and says so) when fixed.
 */
import {
  API_KEY, ARCHIVED_PARENT, BASIC, CLIENT, GROUPS, LATE_FIELD, LIST, MISSING_PARENT, PAGE, PARENTS, TOKEN,
  children, detail, lateChildren, type Rec,
} from './mock.js';

export type Group = 'paginator' | 'auto' | 'selector' | 'parent/child' | 'incremental' | 'auth' | 'response_actions' | 'format' | 'schema';

export interface Case {
  id: string;
  group: Group;
  /** What the case exercises, one line (the README table's first column). */
  what: string;
  /** The definition, given the mock's `/diff/` base URL. */
  definition: (base: string) => Rec;
  format?: 'json' | 'yaml';
  /** Resource -> the records the definition should extract, compared by `id`. */
  truth: Record<string, Rec[]>;
  /** tap-rest is known to be wrong here until this kit change lands (the case is an expected failure). */
  awaits?: { fix: string; why: string };
}

const since = (iso: string) => LIST.filter((r) => Date.parse(r.updated_at as string) >= Date.parse(iso));
const between = (a: string, b: string) => since(a).filter((r) => Date.parse(r.updated_at as string) < Date.parse(b));
const FROM = '2024-01-01T10:00:00Z';
const UNTIL = '2024-01-01T20:00:00Z';
const allChildren = (of = children) => PARENTS.flatMap((p) => of(p.id as number));

/** A one-resource definition. */
function one(base: string, endpoint: Rec, resource: Rec = {}): Rec {
  return { client: { base_url: base }, resources: [{ name: 'items', primary_key: 'id', write_disposition: 'merge', ...resource, endpoint }] };
}
/** Parents and one child resource. */
function family(base: string, child: Rec, parentPath = 'parents'): Rec {
  return {
    client: { base_url: base, paginator: 'single_page' },
    resources: [
      { name: 'parents', primary_key: 'id', endpoint: { path: parentPath } },
      { name: 'children', primary_key: 'id', ...child },
    ],
  };
}


export const CASES: Case[] = [
  // --- Paginators, every type and option -------------------------------------------------------------
  { id: 'json_link', group: 'paginator', what: '`json_link`, default `next_url_path`', definition: (b) => one(b, { path: 'json-link/items', paginator: { type: 'json_link' } }), truth: { items: LIST } },
  { id: 'json_link_nested_relative', group: 'paginator', what: '`json_link` at `pagination.next`, a relative URL, records under `results`', definition: (b) => one(b, { path: 'json-link-nested/items', paginator: { type: 'json_link', next_url_path: 'pagination.next' } }), truth: { items: LIST } },
  { id: 'json_link_quoted_key', group: 'paginator', what: "`json_link` at `['@odata.nextLink']` (a key with a dot)", definition: (b) => one(b, { path: 'odata/items', data_selector: 'value', paginator: { type: 'json_link', next_url_path: "['@odata.nextLink']" } }), truth: { items: LIST } },
  { id: 'header_link', group: 'paginator', what: '`header_link` (`Link: <…>; rel="next"`), a list body', definition: (b) => one(b, { path: 'header-link/items', paginator: 'header_link' }), truth: { items: LIST } },
  { id: 'header_link_rel', group: 'paginator', what: '`header_link` with `links_next_key: successor`', definition: (b) => one(b, { path: 'header-link-rel/items', paginator: { type: 'header_link', links_next_key: 'successor' } }), truth: { items: LIST } },
  { id: 'offset_total', group: 'paginator', what: '`offset`, total items at the default `total`', definition: (b) => one(b, { path: 'offset-total/items', paginator: { type: 'offset', limit: PAGE } }), truth: { items: LIST } },
  { id: 'offset_no_total', group: 'paginator', what: '`offset` with `total_path: null`: ends on an empty page', definition: (b) => one(b, { path: 'offset-no-total/items', paginator: { type: 'offset', limit: PAGE, total_path: null } }), truth: { items: LIST } },
  { id: 'offset_total_missing', group: 'paginator', what: '`offset` with the default `total_path`, an API that sends no total (dlt#1530)', definition: (b) => one(b, { path: 'offset-no-total/items', paginator: { type: 'offset', limit: PAGE } }), truth: { items: LIST } },
  { id: 'offset_total_first_page', group: 'paginator', what: '`offset`, the total only on the first page (dlt#1414)', definition: (b) => one(b, { path: 'offset-first-total/items', paginator: { type: 'offset', limit: PAGE, total_path: 'total' } }), truth: { items: LIST } },
  { id: 'offset_has_more', group: 'paginator', what: '`offset` with `offset_param`/`limit_param` and `has_more_path`, no total', definition: (b) => one(b, { path: 'offset-has-more/items', paginator: { type: 'offset', limit: PAGE, offset_param: 'skip', limit_param: 'take', total_path: null, has_more_path: 'has_more' } }), truth: { items: LIST } },
  { id: 'offset_initial', group: 'paginator', what: '`offset` starting at `offset: 10`', definition: (b) => one(b, { path: 'offset-total/items', paginator: { type: 'offset', limit: PAGE, offset: 10 } }), truth: { items: LIST.slice(10) } },
  { id: 'offset_maximum', group: 'paginator', what: '`offset` with `maximum_offset: 20` (of 25)', definition: (b) => one(b, { path: 'offset-total/items', paginator: { type: 'offset', limit: PAGE, maximum_offset: 20 } }), truth: { items: LIST.slice(0, 20) } },
  { id: 'offset_body_path', group: 'paginator', what: '`offset` with `offset_body_path`/`limit_body_path` (a POST body)', definition: (b) => one(b, { path: 'offset-body/items', method: 'POST', json: { page: {} }, paginator: { type: 'offset', limit: PAGE, offset_body_path: 'page.offset', limit_body_path: 'page.limit' } }), truth: { items: LIST } },
  { id: 'page_number_total', group: 'paginator', what: '`page_number` from 1, total pages at `total_pages`', definition: (b) => one(b, { path: 'page-total/items', params: { per_page: PAGE }, paginator: { type: 'page_number', base_page: 1, total_path: 'total_pages' } }), truth: { items: LIST } },
  { id: 'page_number_no_total', group: 'paginator', what: '`page_number` with `total_path: null`: ends on an empty page', definition: (b) => one(b, { path: 'page-no-total/items', paginator: { type: 'page_number', base_page: 1, total_path: null } }), truth: { items: LIST } },
  { id: 'page_number_defaults', group: 'paginator', what: '`page_number` with every default (from 0, total pages at `total`)', definition: (b) => one(b, { path: 'page-zero/items', paginator: 'page_number' }), truth: { items: LIST } },
  { id: 'page_number_maximum', group: 'paginator', what: '`page_number` with `maximum_page: 3` (pages 1 and 2)', definition: (b) => one(b, { path: 'page-no-total/items', paginator: { type: 'page_number', base_page: 1, total_path: null, maximum_page: 3 } }), truth: { items: LIST.slice(0, 2 * PAGE) } },
  { id: 'page_number_initial', group: 'paginator', what: '`page_number` from 1, starting at `page: 2`', definition: (b) => one(b, { path: 'page-total/items', params: { per_page: PAGE }, paginator: { type: 'page_number', base_page: 1, page: 2, total_path: 'total_pages' } }), truth: { items: LIST.slice(PAGE) } },
  { id: 'page_number_has_more', group: 'paginator', what: '`page_number` with `page_param` and `has_more_path`', definition: (b) => one(b, { path: 'page-has-more/items', paginator: { type: 'page_number', base_page: 1, page_param: 'p', total_path: null, has_more_path: 'more' } }), truth: { items: LIST } },
  { id: 'page_body_path', group: 'paginator', what: '`page_number` with `page_body_path` (a POST body)', definition: (b) => one(b, { path: 'page-body/items', method: 'POST', json: { paging: {} }, paginator: { type: 'page_number', base_page: 1, page_body_path: 'paging.page', total_path: 'total_pages' } }), truth: { items: LIST } },
  { id: 'cursor_defaults', group: 'paginator', what: '`cursor` with its defaults (`cursors.next` sent as `cursor`)', definition: (b) => one(b, { path: 'cursor/items', paginator: 'cursor' }), truth: { items: LIST } },
  { id: 'cursor_has_more', group: 'paginator', what: '`cursor` with `has_more_path` (the last page still names a cursor)', definition: (b) => one(b, { path: 'cursor-has-more/items', paginator: { type: 'cursor', cursor_path: 'meta.next_cursor', cursor_param: 'after', has_more_path: 'meta.has_more' } }), truth: { items: LIST } },
  { id: 'cursor_stop_after_empty_page', group: 'paginator', what: '`cursor` with `stop_after_empty_page` (every page names a next cursor)', definition: (b) => one(b, { path: 'cursor-endless/items', paginator: { type: 'cursor', cursor_path: 'next_cursor', stop_after_empty_page: true } }), truth: { items: LIST } },
  { id: 'cursor_repeated', group: 'paginator', what: '`cursor`, the last page answers with the cursor it was sent (dlt#3358)', definition: (b) => one(b, { path: 'cursor-repeat/items', paginator: { type: 'cursor', cursor_path: 'next_cursor', cursor_param: 'cursor' } }), truth: { items: LIST } },
  { id: 'cursor_body_path', group: 'paginator', what: '`cursor` with `cursor_body_path` (a POST body)', definition: (b) => one(b, { path: 'cursor-body/search', method: 'POST', json: { query: 'all' }, paginator: { type: 'cursor', cursor_path: 'next_token', cursor_body_path: 'cursor' } }), truth: { items: LIST } },
  { id: 'cursor_last_item', group: 'paginator', what: '`cursor` at `data[-1].id` sent as `starting_after`, until `has_more` is false (Stripe)', definition: (b) => one(b, { path: 'stripe/items', params: { limit: PAGE }, paginator: { type: 'cursor', cursor_path: 'data[-1].id', cursor_param: 'starting_after', has_more_path: 'has_more' } }), truth: { items: LIST } },
  { id: 'header_cursor', group: 'paginator', what: '`header_cursor` (`X-Next-Cursor` sent back as `cursor`)', definition: (b) => one(b, { path: 'header-cursor/items', paginator: { type: 'header_cursor', cursor_key: 'X-Next-Cursor', cursor_param: 'cursor' } }), truth: { items: LIST } },
  { id: 'single_page', group: 'paginator', what: '`single_page` on a body that has a next link', definition: (b) => one(b, { path: 'single/items', paginator: 'single_page' }), truth: { items: LIST.slice(0, PAGE) } },

  // --- auto, on each body shape ------------------------------------------------------------------------
  { id: 'auto_link_header', group: 'auto', what: '`auto`: a `Link` header', definition: (b) => one(b, { path: 'auto-link/items', paginator: 'auto' }), truth: { items: LIST } },
  { id: 'auto_next_url', group: 'auto', what: '`auto`: a URL in `next` (no paginator given)', definition: (b) => one(b, { path: 'auto-next-url/items' }), truth: { items: LIST } },
  { id: 'auto_odata', group: 'auto', what: '`auto`: `@odata.nextLink` (dlt#2505)', definition: (b) => one(b, { path: 'auto-odata/items', paginator: 'auto' }), truth: { items: LIST } },
  { id: 'auto_next_page_number', group: 'auto', what: '`auto`: `pagination.next` holds the next page number', definition: (b) => one(b, { path: 'auto-page-next/items', paginator: 'auto' }), truth: { items: LIST } },
  { id: 'auto_page_total', group: 'auto', what: '`auto`: `page` and `total_pages` (pages from 1)', definition: (b) => one(b, { path: 'auto-page-total/items', paginator: 'auto' }), truth: { items: LIST } },
  { id: 'auto_offset', group: 'auto', what: '`auto`: `offset`, `limit` and `total` in the body', definition: (b) => one(b, { path: 'auto-offset/items', paginator: 'auto' }), truth: { items: LIST } },
  { id: 'auto_cursor', group: 'auto', what: '`auto`: `next_cursor` with `has_more`', definition: (b) => one(b, { path: 'auto-cursor/items', paginator: 'auto' }), truth: { items: LIST } },
  { id: 'auto_spring_page', group: 'auto', what: '`auto`: a Spring `Page` (`content`, `number`, `totalPages`, `last`)', definition: (b) => one(b, { path: 'auto-spring-page/items', paginator: 'auto' }), truth: { items: LIST } },
  { id: 'auto_spring_slice', group: 'auto', what: '`auto`: a Spring `Slice` (`content`, `number`, `last`, no total)', definition: (b) => one(b, { path: 'auto-spring-slice/items', paginator: 'auto' }), truth: { items: LIST } },
  { id: 'auto_header_cursor', group: 'auto', what: '`auto`: an `X-Next-Cursor` response header', definition: (b) => one(b, { path: 'auto-header-cursor/items', paginator: 'auto' }), truth: { items: LIST } },
  { id: 'auto_has_more_last_id', group: 'auto', what: '`auto`: `has_more` and no token (Stripe: the last id is the cursor)', definition: (b) => one(b, { path: 'auto-stripe/items', paginator: 'auto' }), truth: { items: LIST } },
  { id: 'auto_plain_list', group: 'auto', what: '`auto`: a plain list, no paging signal', definition: (b) => one(b, { path: 'auto-plain/items', paginator: 'auto' }), truth: { items: LIST.slice(0, 5) } },
  { id: 'auto_next_null', group: 'auto', what: '`auto`: `next: null` on the only page', definition: (b) => one(b, { path: 'auto-next-null/items', paginator: 'auto' }), truth: { items: LIST.slice(0, 5) } },

  // --- JSONPath selectors ------------------------------------------------------------------------------
  {
    id: 'selector_dollar_optional', group: 'selector', what: '`data_selector` `$.response.body.items` and `response.body.items`',
    definition: (b) => ({
      client: { base_url: b, paginator: 'single_page' },
      resources: [
        { name: 'with_dollar', primary_key: 'id', endpoint: { path: 'sel-nested/items', data_selector: '$.response.body.items' } },
        { name: 'without_dollar', primary_key: 'id', endpoint: { path: 'sel-nested/items', data_selector: 'response.body.items' } },
      ],
    }),
    truth: { with_dollar: LIST, without_dollar: LIST },
  },
  { id: 'selector_single_object', group: 'selector', what: '`data_selector` `data.summary`: one object, one record', definition: (b) => one(b, { path: 'sel-object/items', data_selector: 'data.summary', paginator: 'single_page' }), truth: { items: [{ id: 1, name: 'summary', total: LIST.length }] } },
  { id: 'selector_wildcard', group: 'selector', what: '`data_selector` `groups[*].members[*]` (a wildcard)', definition: (b) => one(b, { path: 'sel-wildcard/groups', data_selector: 'groups[*].members[*]', paginator: 'single_page' }), truth: { items: GROUPS.flatMap((g) => g.members) } },
  { id: 'selector_filter', group: 'selector', what: '`data_selector` `$.data[?(@.active == true)]` (a filter)', definition: (b) => one(b, { path: 'sel-filter/items', data_selector: '$.data[?(@.active == true)]', paginator: 'single_page' }), truth: { items: LIST.filter((r) => r.active) } },
  // A value that is not an object: dlt yields it as is and its normaliser wraps it as `{value: x}` (the runner applies the same wrap).
  { id: 'selector_scalar_list', group: 'selector', what: 'a list of strings: one `{value}` record each', definition: (b) => one(b, { path: 'scalar-list/names', data_selector: '$', paginator: 'single_page' }, { primary_key: 'value' }), truth: { items: LIST.map((r) => ({ value: r.name })) } },
  { id: 'selector_scalar', group: 'selector', what: 'a number: one `{value}` record', definition: (b) => one(b, { path: 'scalar-one/count', data_selector: '$', paginator: 'single_page' }, { primary_key: 'value' }), truth: { items: [{ value: LIST.length }] } },
  { id: 'selector_recursive', group: 'selector', what: '`data_selector` `$..records[*]` (recursive descent)', definition: (b) => one(b, { path: 'sel-recursive/items', data_selector: '$..records[*]', paginator: 'single_page' }), truth: { items: LIST } },

  // --- Parent/child ------------------------------------------------------------------------------------
  {
    id: 'child_path_include_from_parent', group: 'parent/child', what: '`{resources.parents.id}` in the path, `include_from_parent: [name]`',
    definition: (b) => family(b, { endpoint: 'parents/{resources.parents.id}/children', include_from_parent: ['name'] }),
    truth: { parents: PARENTS, children: PARENTS.flatMap((p) => children(p.id as number).map((c) => ({ ...c, _parents_name: p.name }))) },
  },
  { id: 'child_query_param', group: 'parent/child', what: '`{resources.parents.id}` in `params`', definition: (b) => family(b, { endpoint: { path: 'children', params: { parent_id: '{resources.parents.id}' } } }), truth: { children: allChildren() } },
  { id: 'child_json_body', group: 'parent/child', what: '`{resources.parents.id}` in a POST `json` body (kept a number)', definition: (b) => family(b, { endpoint: { path: 'children-search', method: 'POST', json: { parent: { id: '{resources.parents.id}' } } } }), truth: { children: allChildren() } },
  { id: 'child_resolve_in_path', group: 'parent/child', what: 'older form: `{type: resolve}` param filling a path placeholder', definition: (b) => family(b, { endpoint: { path: 'parents/{parent_id}/children', params: { parent_id: { type: 'resolve', resource: 'parents', field: 'id' } } } }), truth: { children: allChildren() } },
  { id: 'child_resolve_in_query', group: 'parent/child', what: 'older form: `{type: resolve}` param sent as a query parameter', definition: (b) => family(b, { endpoint: { path: 'children', params: { parent_id: { type: 'resolve', resource: 'parents', field: 'id' } } } }), truth: { children: allChildren() } },
  { id: 'child_single_entity', group: 'parent/child', what: 'path ending in a placeholder: one entity per parent', definition: (b) => family(b, { endpoint: 'parents/{resources.parents.id}' }), truth: { children: PARENTS.map((p) => detail(p.id as number)) } },
  { id: 'static_path_param', group: 'parent/child', what: 'a path placeholder filled by a plain `params` value', definition: (b) => one(b, { path: 'static-path/{kind}/items', params: { kind: 'widgets' }, paginator: 'single_page' }), truth: { items: LIST } },

  // --- Incremental -------------------------------------------------------------------------------------
  { id: 'incremental_params', group: 'incremental', what: '`{incremental.start_value}` in `params`, `initial_value`', definition: (b) => one(b, { path: 'inc-query/items', paginator: 'single_page', params: { since: '{incremental.start_value}' }, incremental: { cursor_path: 'updated_at', initial_value: FROM } }), truth: { items: since(FROM) } },
  { id: 'incremental_param_legacy', group: 'incremental', what: 'older form: `{type: incremental}` param', definition: (b) => one(b, { path: 'inc-query/items', paginator: 'single_page', params: { since: { type: 'incremental', cursor_path: 'updated_at', initial_value: FROM } } }), truth: { items: since(FROM) } },
  { id: 'incremental_start_end_param', group: 'incremental', what: '`start_param`/`end_param` with `end_value`', definition: (b) => one(b, { path: 'inc-query/items', paginator: 'single_page', incremental: { cursor_path: 'updated_at', initial_value: FROM, end_value: UNTIL, start_param: 'since', end_param: 'until' } }), truth: { items: between(FROM, UNTIL) } },
  { id: 'incremental_json_body', group: 'incremental', what: '`{incremental.start_value}` in a POST `json` body', definition: (b) => one(b, { path: 'inc-body/search', method: 'POST', paginator: 'single_page', json: { filter: { updated_after: '{incremental.start_value}' } }, incremental: { cursor_path: 'updated_at', initial_value: FROM } }), truth: { items: since(FROM) } },
  { id: 'incremental_in_path', group: 'incremental', what: '`{incremental.start_value}` in the `path`', definition: (b) => one(b, { path: 'inc-path/{incremental.start_value}/items', paginator: 'single_page', incremental: { cursor_path: 'updated_at', initial_value: FROM } }), truth: { items: since(FROM) } },

  // --- Auth --------------------------------------------------------------------------------------------
  { id: 'auth_bearer', group: 'auth', what: '`bearer`', definition: (b) => one(b, { path: 'auth-bearer/items', paginator: 'single_page', auth: { type: 'bearer', token: TOKEN } }), truth: { items: LIST } },
  { id: 'auth_api_key_header', group: 'auth', what: '`api_key` in a header', definition: (b) => one(b, { path: 'auth-header/items', paginator: 'single_page', auth: { type: 'api_key', name: 'X-API-Key', api_key: API_KEY } }), truth: { items: LIST } },
  { id: 'auth_api_key_query', group: 'auth', what: '`api_key` in the query (`location: query`)', definition: (b) => one(b, { path: 'auth-query/items', paginator: 'single_page', auth: { type: 'api_key', name: 'api_key', api_key: API_KEY, location: 'query' } }), truth: { items: LIST } },
  { id: 'auth_api_key_cookie', group: 'auth', what: '`api_key` in a cookie (`location: cookie`)', definition: (b) => one(b, { path: 'auth-cookie/items', paginator: 'single_page', auth: { type: 'api_key', name: 'session', api_key: API_KEY, location: 'cookie' } }), truth: { items: LIST } },
  { id: 'auth_http_basic', group: 'auth', what: '`http_basic`', definition: (b) => one(b, { path: 'auth-basic/items', paginator: 'single_page', auth: { type: 'http_basic', ...BASIC } }), truth: { items: LIST } },
  {
    id: 'auth_oauth2_client_credentials', group: 'auth', what: '`oauth2_client_credentials` with `access_token_request_data`',
    definition: (b) => ({
      client: { base_url: b, auth: { type: 'oauth2_client_credentials', access_token_url: `${b}oauth/token`, client_id: CLIENT.id, client_secret: CLIENT.secret, access_token_request_data: { scope: 'read' } } },
      resources: [{ name: 'items', primary_key: 'id', endpoint: { path: 'auth-oauth2/items', paginator: 'single_page' } }],
    }),
    truth: { items: LIST },
  },

  // --- response_actions --------------------------------------------------------------------------------
  {
    id: 'response_action_404', group: 'response_actions', what: '`{status_code: 404, action: ignore}` on a child',
    definition: (b) => family(b, { endpoint: { path: 'actions/{resources.parents.id}/children', response_actions: [{ status_code: 404, action: 'ignore' }] } }, 'actions'),
    truth: { children: PARENTS.filter((p) => p.id !== MISSING_PARENT).flatMap((p) => (p.id === ARCHIVED_PARENT ? [{ id: 0, parent_id: p.id, title: 'placeholder of an archived parent', size: 0 }] : children(p.id as number))) },
  },
  {
    id: 'response_actions_several', group: 'response_actions', what: 'two rules: a 404, and a 200 whose body says `archived` (dlt#1949)',
    definition: (b) => family(b, { endpoint: { path: 'actions/{resources.parents.id}/children', response_actions: [{ status_code: 404, action: 'ignore' }, { status_code: 200, content: 'archived', action: 'ignore' }] } }, 'actions'),
    truth: { children: PARENTS.filter((p) => p.id !== MISSING_PARENT && p.id !== ARCHIVED_PARENT).flatMap((p) => children(p.id as number)) },
  },

  // --- Definition formats ------------------------------------------------------------------------------
  {
    id: 'yaml_definition', group: 'format', format: 'yaml', what: 'a YAML definition: `resource_defaults`, a resource given as a name, a child with `include_from_parent`',
    definition: (b) => ({
      client: { base_url: b, auth: { type: 'bearer', token: TOKEN } },
      resource_defaults: { primary_key: 'id', write_disposition: 'merge', endpoint: { paginator: 'single_page' } },
      resources: [
        'parents',
        { name: 'children', endpoint: { path: 'parents/{resources.parents.id}/children' }, include_from_parent: ['slug'] },
        { name: 'items', endpoint: { path: 'json-link/items', paginator: { type: 'json_link', next_url_path: 'next' } } },
      ],
    }),
    truth: { parents: PARENTS, children: PARENTS.flatMap((p) => children(p.id as number).map((c) => ({ ...c, _parents_slug: p.slug }))), items: LIST },
  },

  {
    id: 'defaults_merged', group: 'format', what: '`resource_defaults`: `json` and `params` merged one level with the resource\'s',
    definition: (b) => ({
      client: { base_url: b },
      resource_defaults: { primary_key: 'id', write_disposition: 'merge', endpoint: { method: 'POST', json: { query: 'all' }, params: { per_page: PAGE } } },
      resources: [{ name: 'items', endpoint: { path: 'cursor-body/search', json: { trace: true }, params: { trace: 1 }, paginator: { type: 'cursor', cursor_path: 'next_token', cursor_body_path: 'cursor' } } }],
    }),
    truth: { items: LIST },
  },

  // --- Schemas: every field the API sends is extracted -------------------------------------------------
  {
    id: 'schema_child_first_parent_empty', group: 'schema', what: 'a child whose first parent has no children (inferred schema)',
    definition: (b) => family(b, { endpoint: 'late-parents/{resources.parents.id}/late' }, 'late-parents'),
    truth: { children: allChildren(lateChildren) },
  },
  {
    id: 'schema_field_on_page_3', group: 'schema', what: 'a field that first appears on page 3 (inferred schema)',
    definition: (b) => one(b, { path: 'late-field/items', paginator: { type: 'page_number', base_page: 1, total_path: 'total_pages' } }),
    truth: { items: LATE_FIELD },
  },
];
