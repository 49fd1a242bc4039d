/** A dlt `rest_api` definition, as its JSON/YAML reads (the shape `definition-schema.ts` checks). */
export type Scalar = string | number | boolean | null;

export type PaginatorConfig = string | ({ type: string } & Record<string, Scalar>);

export interface AuthConfig {
  type: 'bearer' | 'api_key' | 'http_basic' | 'oauth2_client_credentials';
  token?: string;
  name?: string;
  api_key?: string;
  location?: 'header' | 'query' | 'param' | 'cookie';
  username?: string;
  password?: string;
  access_token_url?: string;
  client_id?: string;
  client_secret?: string;
  access_token_request_data?: Record<string, string>;
  default_token_expiration?: number;
}

export interface IncrementalConfig {
  cursor_path: string;
  initial_value?: string | number;
  end_value?: string | number;
  start_param?: string;
  end_param?: string;
  lag?: number;
  on_cursor_value_missing?: 'raise' | 'include' | 'exclude';
  range_start?: 'open' | 'closed';
  range_end?: 'open' | 'closed';
  row_order?: 'asc' | 'desc';
}

/**
 * dlt's `response_actions` in a definition: `ignore` is dlt's; `retry`, `fail` (with `message`) and
 * `end` are tap-rest's own (the kit's response rules).
 */
export interface ResponseAction {
  status_code?: number;
  content?: string;
  action: 'ignore' | 'retry' | 'fail' | 'end';
  message?: string;
}

export interface EndpointConfig {
  path?: string;
  method?: string;
  params?: Record<string, unknown>;
  json?: unknown;
  headers?: Record<string, string>;
  data_selector?: string;
  paginator?: PaginatorConfig;
  incremental?: IncrementalConfig;
  response_actions?: ResponseAction[];
  auth?: AuthConfig;
}

export interface ColumnHint {
  data_type?: string;
  nullable?: boolean;
  description?: string;
  primary_key?: boolean;
}

export type WriteDisposition = 'append' | 'replace' | 'merge' | { disposition: 'append' | 'replace' | 'merge'; strategy?: string };

export interface ResourceConfig {
  name: string;
  endpoint?: string | EndpointConfig;
  primary_key?: string | string[];
  merge_key?: string | string[];
  write_disposition?: WriteDisposition;
  table_name?: string;
  columns?: Record<string, ColumnHint>;
  selected?: boolean;
  include_from_parent?: string[];
  max_table_nesting?: number;
  parallelized?: boolean;
  processing_steps?: unknown;
  schema?: Record<string, unknown>;
}

export interface RestApiDefinition {
  client?: { base_url?: string; headers?: Record<string, string>; auth?: AuthConfig; paginator?: PaginatorConfig };
  resource_defaults?: Partial<ResourceConfig>;
  resources: Array<string | ResourceConfig>;
}
