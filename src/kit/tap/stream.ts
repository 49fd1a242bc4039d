import { isJsonObject, type JsonObject, type JsonSchema } from '../core/json.js';
import type { Page, Paginator } from '../paging/paginators.js';
import type { RecordSelector } from '../http/index.js';
import type { BookmarkValue } from '../run/state.js';
import type { Authenticator, RequestSpec } from '../http/auth.js';
import type { ResponseRule } from '../http/response-rules.js';
import type { Logger } from '../log/log.js';
import type { Classify } from '../http/classify.js';

/** What a stream's hooks are given for one request sequence. */
export interface StreamContext<S> {
  settings: S;
  /** Where an incremental sync starts (bookmark or `start_date`, after `adjustStart`); undefined on a full sync. */
  start?: BookmarkValue;
  /** What the parent record passed to this child (`{}` at the top level). */
  context: JsonObject;
  /** The parent record itself (child streams): fields to copy into each child record. */
  parent?: JsonObject;
  /** When this sync started (RFC 3339 UTC): the upper bound of a time window, the cap of unsorted bookmarks. */
  syncStart: string;
}

export type QueryParams = Record<string, string | number | boolean | undefined>;

/** The field names of a record type (any name for untyped records). */
export type FieldOf<R> = Extract<keyof R, string>;

/** What every kind of stream declares. */
export interface StreamBase<S, R extends object = JsonObject> {
  /** `tap_stream_id` and table name: `[a-z_0-9]+`. */
  name: string;
  /** Fields of the record type `R` (a generated record type checks them when the tap compiles). */
  primaryKey: Array<NoInfer<FieldOf<R>>>;
  /** The field whose growth marks new or changed records; makes the stream INCREMENTAL. */
  replicationKey?: NoInfer<FieldOf<R>>;
  description?: string;
  /** Schema file name in the tap's catalog folder when several streams share one (default: `name`). */
  schemaFile?: string;
  /** Overrides the schema file (declarative taps build schemas at run time). */
  schema?: JsonSchema;
  /**
   * False: synced only when a catalog selects it (an optional or costly stream). Default true.
   * A function decides from the settings (a stream that needs an optional setting).
   */
  selectedByDefault?: boolean | ((settings: S) => boolean);
  /**
   * FULL_TABLE streams: true sends ACTIVATE_VERSION after every complete read whatever the
   * `emit_activate_version_messages` setting says (a table replaced on each run); false never does.
   */
  activateVersion?: boolean;
  /**
   * Top-level streams: one read per partition the settings list (the SDK's `partitions`: one sync per
   * repository or account named in the config), each with its own bookmark. A partition's fields are
   * the stream's context: `{field}` in a path, `ctx.context` in params and headers.
   */
  partitions?: (settings: S) => JsonObject[];
}

/**
 * A stream read from an HTTP endpoint, page by page. `R` is its record type (a generated
 * `records.generated.ts` type): the transform returns it and the keys are its fields.
 */
export interface RestStream<S, R extends object = JsonObject> extends StreamBase<S, R> {
  kind: 'rest';
  /** Path under the base URL (or absolute URL); `{field}` is filled from the context. */
  path: string;
  method?: RequestSpec['method'];
  params?: (ctx: StreamContext<S>) => QueryParams;
  body?: (ctx: StreamContext<S>) => unknown;
  /** Request headers of this stream (besides the client's and the auth's). */
  headers?: (ctx: StreamContext<S>) => Record<string, string>;
  /** Declarative response rules (retry, fail, ignore, end by status, header or body): the first match decides, after `classify`. */
  responseRules?: ResponseRule[];
  /** Classifies a response before the rules (the SDK's `validate_response`); undefined: the rules, then the tap's, decide. */
  classify?: Classify;
  paginator?: Paginator | ((ctx: StreamContext<S>) => Paginator);
  /** Where the records are in a page: a dotted path (`data`, `data.content`) or a function. */
  records?: RecordSelector;
  /** Shapes one raw item into a record; null drops it. */
  transform?: (item: JsonObject, page: Page, ctx: StreamContext<S>) => NoInfer<R> | null;
  /** Records arrive in ascending replication-key order: the bookmark may be checkpointed mid-stream. */
  sorted?: boolean;
  /**
   * Seconds (numeric keys: key units) to re-read before the bookmark (records that change after they were first extracted,
   * e.g. incidents resolved later); never earlier than `start_date`, and the bookmark never moves back.
   */
  lookbackSeconds?: (settings: S) => number;
  /**
   * Credentials of this stream's requests instead of the tap's (an endpoint with its own key or
   * scheme); called for every request sequence, so cache what it builds (an OAuth2 token).
   */
  auth?: (settings: S) => Authenticator;
  /**
   * Why this stream cannot run with these settings (a setting it needs is missing), or undefined.
   * A selected stream that cannot run logs that reason once as a warning and emits nothing, nor do
   * its children (it is never requested).
   */
  unavailable?: (settings: S) => string | undefined;
  /** Parent stream name: this stream is requested once per parent record, with the parent's context. */
  parent?: string;
  /** What this stream's children receive from each of its records (default: its primary-key fields). */
  childContext?: (record: JsonObject) => JsonObject;
}

/** A child stream whose rows are carried inside each parent item (no request of its own). */
export interface ChildRowsStream<S = unknown, R extends object = JsonObject> extends StreamBase<S, R> {
  kind: 'rows';
  parent: string;
  rows: (item: JsonObject, page: Page, parentRecord: JsonObject) => Array<NoInfer<R>>;
}

/** What a generic stream's `records` is given: the stream context, an abort signal and the tap's logger. */
export interface GenericContext<S> extends StreamContext<S> {
  /** Aborted when the run stops (a signal, another stream failing): stop reading and return. */
  signal: AbortSignal;
  log: Logger;
}

/**
 * A stream whose records come from code (the SDK's `get_records`): a file, a database, a vendor's
 * client library. The kit does everything else: selection, validation, bookmarks and STATE,
 * partitions, children, concurrency, maps, BATCH.
 */
export interface GenericStream<S, R extends object = JsonObject> extends StreamBase<S, R> {
  kind: 'generic';
  /** The records, in order; with `sorted`, in ascending replication-key order (then checkpointed as they go). */
  records: (ctx: GenericContext<S>) => AsyncIterable<NoInfer<R>> | Iterable<NoInfer<R>>;
  sorted?: boolean;
  /** Parent stream name: read once per parent record, with the parent's context. */
  parent?: string;
  childContext?: (record: JsonObject) => JsonObject;
  lookbackSeconds?: (settings: S) => number;
  unavailable?: (settings: S) => string | undefined;
}

export type StreamDef<S> = RestStream<S> | ChildRowsStream<S> | GenericStream<S>;

/** Declares a stream whose records an async generator (or any iterable) yields. */
export function generic<S, R extends object = JsonObject>(def: Omit<GenericStream<S, R>, 'kind'>): GenericStream<S> {
  const { records, ...common } = def;
  return {
    kind: 'generic', ...common,
    records: async function* (ctx) {
      for await (const record of records(ctx)) yield asRecord(record, def.name);
    },
  };
}

/** Declares an HTTP stream; `rest<Settings, SomeRecord>({...})` types its transform and keys by a record type. */
export function rest<S, R extends object = JsonObject>(def: Omit<RestStream<S, R>, 'kind'>): RestStream<S> {
  const { transform, ...common } = def;
  if (!transform) return { kind: 'rest', ...common };
  return {
    kind: 'rest', ...common,
    transform: (item, page, ctx) => {
      const record = transform(item, page, ctx);
      return record === null ? null : asRecord(record, def.name);
    },
  };
}

/** Declares a child stream derived from each parent item; `childRows<Settings, SomeRecord>` types its rows. */
export function childRows<S = unknown, R extends object = JsonObject>(def: Omit<ChildRowsStream<S, R>, 'kind'>): ChildRowsStream<S> {
  const { rows, ...common } = def;
  return { kind: 'rows', ...common, rows: (item, page, parent) => rows(item, page, parent).map((r) => asRecord(r, def.name)) };
}

/** A typed record as the kit handles it: a plain object (anything else is the tap author's mistake). */
function asRecord<R extends object>(record: R, stream: string): JsonObject {
  if (!isJsonObject(record)) throw new Error(`stream '${stream}': a transform returned ${Array.isArray(record) ? 'a list' : typeof record}, not a record`);
  return record;
}

/** What a stream's children receive from each of its records: its `childContext`, else its primary-key fields. */
export function childContextOf(def: { primaryKey: readonly string[]; childContext?: ((record: JsonObject) => JsonObject) | undefined }): (record: JsonObject) => JsonObject {
  return def.childContext ?? ((record) => Object.fromEntries(def.primaryKey.map((k) => [k, record[k] ?? null])));
}

export { fillPath, pathPlaceholders } from './path.js';
