import { isJsonObject, type JsonObject, type JsonSchema } from '../core/json.js';
import { UserError } from '../core/errors.js';
import { fieldOf } from '../core/own.js';
import type { Page, Paginator } from '../paging/paginators.js';
import type { RecordSelector } from '../http/index.js';
import type { BookmarkValue } from '../run/state.js';
import type { Authenticator, RequestSpec } from '../http/auth.js';
import type { ResponseRule } from '../http/response-rules.js';
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

interface StreamBase<S, R extends object = JsonObject> {
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

export type StreamDef<S> = RestStream<S> | ChildRowsStream<S>;

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
export function childContextOf<S>(def: RestStream<S>): (record: JsonObject) => JsonObject {
  return def.childContext ?? ((record) => Object.fromEntries(def.primaryKey.map((k) => [k, record[k] ?? null])));
}

/** The `{field}` placeholders of a path, in order. */
export function pathPlaceholders(path: string): string[] {
  return [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] as string);
}

/**
 * `/projects/{id}/items` with `{id: 7}` → `/projects/7/items` (values URL-encoded). A value the
 * context lacks (a parent record without it, a childContext that does not pass it) is a UserError
 * naming the stream and the placeholder.
 */
export function fillPath(path: string, context: JsonObject, stream: string): string {
  return path.replace(/\{([^}]+)\}/g, (_, key: string) => {
    const v = fieldOf(context, key);
    if (v === undefined || v === null) {
      throw new UserError(`stream '${stream}': path ${path}: placeholder {${key}} has no value: the parent record passed ${v === null ? `'${key}' as null` : `no '${key}'`} (its context: ${JSON.stringify(Object.keys(context))})`);
    }
    return encodeURIComponent(String(v));
  });
}
