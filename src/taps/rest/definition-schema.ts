import type { JsonSchema } from '@singer-io-compatible/tap-kit';
import { PAGINATOR_TYPES, paginatorSchema } from './paginator.js';
import { authSchema } from './auth.js';
import { bool, int, str, strMap } from './schema-parts.js';

export { paginatorSchema } from './paginator.js';
export { authSchema } from './auth.js';

/**
 * The JSON Schema of a dlt `rest_api` definition as tap-rest reads it: dlt's keys and types, every
 * object closed (`additionalProperties: false`) so a misspelled key is an error, and each paginator
 * and auth type taking only its own parameters.
 */
/** Parameters each paginator type takes (see PAGINATOR_TYPES). */
export const PAGINATOR_PARAMS: Record<string, Record<string, JsonSchema>> = Object.fromEntries(Object.entries(PAGINATOR_TYPES).map(([type, kind]) => [type, kind.params]));

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
  // `ignore` is dlt's; `retry`, `fail` (with its `message`) and `end` are tap-rest's own.
  properties: { status_code: int, content: str, action: { enum: ['ignore', 'retry', 'fail', 'end'] }, message: str },
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
