/**
 * The tap-rest definition (dlt `rest_api` shape) and tap config a scenario is read with.
 */
import type { PaginatorKind, Scenario, StreamSpec } from './scenario.js';

type Obj = Record<string, unknown>;

function paginator(kind: PaginatorKind, limit: number): Obj {
  switch (kind) {
    case 'json_link': return { type: 'json_link', next_url_path: 'next' };
    case 'header_link': return { type: 'header_link' };
    case 'offset_total': return { type: 'offset', limit, total_path: 'total' };
    case 'offset': return { type: 'offset', limit, total_path: null };
    case 'page_number_total': return { type: 'page_number', base_page: 1, total_path: 'total_pages' };
    case 'page_number': return { type: 'page_number', base_page: 1, total_path: null };
    case 'cursor': return { type: 'cursor', cursor_path: 'meta.next_cursor', cursor_param: 'cursor', has_more_path: 'meta.has_more' };
    case 'header_cursor': return { type: 'header_cursor', cursor_key: 'X-Next-Cursor', cursor_param: 'cursor' };
  }
}

/** `limit` for paginators that do not send it themselves (offset does). */
const limitParam = (kind: PaginatorKind, limit: number): Obj => (kind.startsWith('offset') ? {} : { limit });

function cursorColumn(spec: StreamSpec): Obj {
  return spec.cursorType === 'epoch' ? { data_type: 'bigint', nullable: false } : { data_type: 'timestamp', nullable: false };
}

function resources(spec: StreamSpec): Obj[] {
  const columns: Obj = { id: { data_type: 'bigint', nullable: false }, name: { data_type: 'text' }, updated_at: cursorColumn(spec), score: { data_type: 'bigint', nullable: false } };
  if (spec.children === 'embedded') columns.items = { data_type: 'json' };
  const endpoint: Obj = {
    path: `/${spec.name}`,
    data_selector: 'data',
    params: { ...limitParam(spec.paginator, spec.pageSize), ...(spec.since ? { since: '{incremental.start_value}' } : {}) },
    paginator: paginator(spec.paginator, spec.pageSize),
  };
  if (spec.incremental) {
    endpoint.incremental = {
      cursor_path: 'updated_at',
      initial_value: spec.cursorType === 'epoch' ? 0 : '2000-01-01T00:00:00Z',
      ...(spec.order === 'asc' ? { row_order: 'asc' } : {}),
    };
  }
  const out: Obj[] = [{ name: spec.name, columns, endpoint }];
  if (spec.children === 'http') {
    out.push({
      name: `${spec.name}_children`,
      columns: { id: { data_type: 'bigint', nullable: false }, parent_id: { data_type: 'bigint' }, label: { data_type: 'text' }, updated_at: cursorColumn(spec) },
      endpoint: {
        path: `/${spec.name}/{resources.${spec.name}.id}/children`,
        data_selector: 'data',
        params: limitParam(spec.childPaginator, 3),
        paginator: paginator(spec.childPaginator, 3),
      },
    });
  }
  return out;
}

/** The definition; `failingSibling` adds a resource whose endpoint answers 404 (its schema given, so only the sync requests it). */
export function definition(scenario: Scenario, baseUrl: string, failingSibling = false): Obj {
  const all = scenario.streams.flatMap(resources);
  if (failingSibling) all.push({ name: 'gone', schema: { type: 'object', properties: { id: { type: 'integer' } } }, endpoint: { path: '/gone', paginator: 'single_page' } });
  return { client: { base_url: baseUrl }, resource_defaults: { primary_key: 'id', write_disposition: 'merge' }, resources: all };
}

/** tap-rest's settings for a scenario (`source` is the definition file). */
export function tapConfig(scenario: Scenario, source: string, batchRoot: string): Obj {
  const s = scenario.settings;
  return {
    source,
    request_timeout: 5,
    max_retries: 10,
    retry_backoff_seconds: 0.01,
    max_parallel_requests: s.max_parallel_requests,
    max_parallel_streams: s.max_parallel_streams,
    error_policy: s.error_policy,
    emit_activate_version_messages: s.emit_activate_version_messages,
    ...(s.batch ? { batch_config: { encoding: { format: 'jsonl', compression: 'none' }, storage: { root: `file://${batchRoot}` }, batch_size: 5 } } : {}),
  };
}

/** The streams a run of the scenario writes: each top-level stream and its HTTP children. */
export function streamNames(scenario: Scenario): string[] {
  return scenario.streams.flatMap((s) => (s.children === 'http' ? [s.name, `${s.name}_children`] : [s.name]));
}
