import type { JsonSchema } from '@singer-io-compatible/tap-kit';

/**
 * The JSON Schema of a dlt `rest_api` definition as tap-rest reads it: dlt's keys and types, every
 * object closed (`additionalProperties: false`) so a misspelled key is an error, and each paginator
 * and auth type taking only its own parameters.
 */
const str: JsonSchema = { type: 'string' };
const int: JsonSchema = { type: 'integer' };
const bool: JsonSchema = { type: 'boolean' };
const strMap: JsonSchema = { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean'] } };
const nullableStr: JsonSchema = { type: ['string', 'null'] };

/** Parameters each paginator type takes (dlt's names; `limit`/`limit_param` on cursor are ours). */
export const PAGINATOR_PARAMS: Record<string, Record<string, JsonSchema>> = {
  auto: {},
  single_page: {},
  json_link: { next_url_path: str },
  header_link: { links_next_key: str },
  cursor: { cursor_path: str, cursor_param: str, cursor_body_path: str, has_more_path: str, stop_after_empty_page: bool, limit: int, limit_param: str },
  header_cursor: { cursor_key: str, cursor_param: str },
  offset: { limit: int, offset: int, offset_param: str, limit_param: str, offset_body_path: str, limit_body_path: str, total_path: nullableStr, maximum_offset: int, stop_after_empty_page: bool, has_more_path: str },
  page_number: { base_page: int, page: int, page_param: str, page_body_path: str, total_path: nullableStr, maximum_page: int, stop_after_empty_page: bool, has_more_path: str },
};

const AUTH_PARAMS: Record<string, Record<string, JsonSchema>> = {
  bearer: { token: str },
  api_key: { name: str, api_key: str, location: { enum: ['header', 'query', 'param', 'cookie'] } },
  http_basic: { username: str, password: str },
  oauth2_client_credentials: { access_token_url: str, client_id: str, client_secret: str, access_token_request_data: strMap, default_token_expiration: int },
};
const AUTH_REQUIRED: Record<string, string[]> = {
  bearer: ['token'], api_key: ['api_key'], http_basic: ['username', 'password'], oauth2_client_credentials: ['access_token_url', 'client_id', 'client_secret'],
};

/** `{type: X, ...params}` objects: `type` picks the parameters that are allowed. */
function typed(params: Record<string, Record<string, JsonSchema>>, required: Record<string, string[]> = {}): JsonSchema {
  return {
    type: 'object',
    required: ['type'],
    properties: { type: { enum: Object.keys(params) } },
    allOf: Object.entries(params).map(([type, props]) => ({
      if: { properties: { type: { const: type } }, required: ['type'] },
      then: { properties: { type: { const: type }, ...props }, additionalProperties: false, required: ['type', ...(required[type] ?? [])] },
    })),
  };
}

export const paginatorSchema: JsonSchema = {
  anyOf: [{ enum: Object.keys(PAGINATOR_PARAMS) }, typed(PAGINATOR_PARAMS, { offset: ['limit'] })],
};
export const authSchema: JsonSchema = typed(AUTH_PARAMS, AUTH_REQUIRED);

const incremental: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['cursor_path'],
  properties: {
    cursor_path: str, initial_value: { type: ['string', 'number'] }, end_value: { type: ['string', 'number'] },
    start_param: str, end_param: str, lag: { type: 'number', minimum: 0 },
    on_cursor_value_missing: { enum: ['raise', 'include', 'exclude'] },
    range_start: { enum: ['open', 'closed'] }, range_end: { enum: ['open', 'closed'] }, row_order: { enum: ['asc', 'desc'] },
  },
};

const responseAction: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['action'],
  properties: { status_code: int, content: str, action: { enum: ['ignore'] } },
};

export const endpointSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    path: str,
    method: { enum: ['GET', 'POST', 'get', 'post'] },
    params: { type: 'object' },
    json: {},
    headers: strMap,
    data_selector: str,
    paginator: paginatorSchema,
    incremental,
    response_actions: { type: 'array', items: responseAction },
    auth: authSchema,
  },
};

/** A `columns` hint: `data_type` and `nullable` shape the schema; dlt's other hints are accepted and ignored (they steer dlt's loaders). */
const column: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  patternProperties: { '^x-': {} },
  properties: {
    data_type: { enum: ['text', 'double', 'bigint', 'bool', 'timestamp', 'date', 'time', 'json', 'decimal', 'binary', 'wei'] },
    nullable: bool, description: str, primary_key: bool, precision: int, scale: int, timezone: bool,
    name: str, unique: bool, sort: bool, merge_key: bool, partition: bool, cluster: bool, root_key: bool, row_key: bool, parent_key: bool,
    hard_delete: bool, dedup_sort: { enum: ['asc', 'desc'] }, variant: bool,
  },
};

const keyList: JsonSchema = { anyOf: [str, { type: 'array', items: str }] };

/** Keys of a resource (and of `resource_defaults`, where `name` is not required). */
const resourceProperties: Record<string, JsonSchema> = {
  name: str,
  endpoint: { anyOf: [str, endpointSchema] },
  primary_key: keyList,
  merge_key: keyList,
  write_disposition: {
    anyOf: [{ enum: ['append', 'replace', 'merge'] }, {
      type: 'object', additionalProperties: false, required: ['disposition'],
      properties: { disposition: { enum: ['append', 'replace', 'merge'] }, strategy: { enum: ['delete-insert', 'upsert', 'scd2'] } },
    }],
  },
  table_name: str,
  columns: { type: 'object', additionalProperties: column },
  selected: bool,
  include_from_parent: { type: 'array', items: str },
  max_table_nesting: { type: 'integer', minimum: 0 },
  parallelized: bool,
  // dlt loader settings: accepted, meaningless for a Singer tap (the target decides).
  schema_contract: {}, table_format: str, file_format: str, references: { type: 'array' }, table_comment: str,
  processing_steps: {},
  schema: { type: 'object' },
};

export const definitionSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['resources'],
  properties: {
    client: {
      type: 'object',
      additionalProperties: false,
      properties: { base_url: str, headers: strMap, auth: authSchema, paginator: paginatorSchema },
    },
    resource_defaults: { type: 'object', additionalProperties: false, properties: resourceProperties },
    resources: {
      type: 'array',
      minItems: 1,
      items: { anyOf: [str, { type: 'object', additionalProperties: false, required: ['name'], properties: resourceProperties }] },
    },
  },
};
