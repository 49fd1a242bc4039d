import { counted } from './text.js';
import type { Ajv } from 'ajv';
import { UserError } from './errors.js';
import type { JsonObject, JsonSchema } from './json.js';
import type { Logger } from './log.js';
import type { MessageWriter, SchemaMessage } from './messages.js';
import type { HttpClient } from './http.js';
import { singlePage, type Page } from './paginators.js';
import type { Selection } from './catalog.js';
import { projectSchema, keyKind } from './schema.js';
import { StateManager, type StreamProgress, type BookmarkValue } from './state.js';
import { RecordConformer } from './validate.js';
import { prefetch } from './prefetch.js';
import { stringifyJson } from './jsontext.js';
import { fillPath, type RestStream, type StreamContext, type StreamDef, type ChildRowsStream } from './stream.js';
import type { Tap } from './tap.js';
import { ErrorPolicyGuard, type ErrorPolicy } from './errorpolicy.js';
import { registerSecrets } from './auth.js';

export type SyncMode = 'sync' | 'test';

/** What the catalog says of one stream. */
export interface ChosenStream {
  selection: Selection;
  schema: JsonSchema;
  /** `table-key-properties` of the input catalog when it overrides the declaration's (as the SDK applies them). */
  keyProperties?: string[];
}

export interface SyncOptions<S> {
  tap: Tap<S>;
  settings: S;
  /** Selection per stream, the schema to use (the input catalog's, or the tap's own) and the key properties. */
  streams: Map<string, ChosenStream>;
  state: StateManager;
  stateGiven: boolean;
  writer: MessageWriter;
  log: Logger;
  http: HttpClient;
  mode: SyncMode;
  startDate?: string;
  activateVersion: boolean;
  /** Set by a signal handler: stop at the next page boundary. */
  signal: { stopped: boolean; name?: string };
  /** `skip`: a bad record or a failing child partition is skipped, said and counted (default `fail`). */
  errorPolicy?: ErrorPolicy;
}

interface StreamRun {
  def: StreamDef<unknown>;
  selected: boolean;
  needed: boolean;
  conformer?: RecordConformer;
  /** The SCHEMA message of a selected stream: selected properties only. */
  schema?: JsonSchema;
  keyProperties: string[];
  children: StreamRun[];
  count: number;
  pages: number;
  started: number;
  version?: number;
  incremental: boolean;
}

/**
 * The one sync loop every tap runs: for each selected stream (parents before children, a child's
 * requests made per parent record), request pages, select and transform records, filter by
 * bookmark, conform, write RECORD, advance the bookmark, and emit STATE when it is safe.
 */
export class SyncRun<S> {
  private readonly runs = new Map<string, StreamRun>();
  private readonly signpost = new Date().toISOString();
  private lastProgress = 0;
  private readonly errors: ErrorPolicyGuard;
  /** writer.count when the last partition checkpoint emitted STATE. */
  private stateAt = 0;

  constructor(private readonly o: SyncOptions<S>, ajv: Ajv) {
    const { tap } = o;
    this.errors = new ErrorPolicyGuard(o.errorPolicy ?? 'fail', o.log);
    for (const def of tap.streams as Array<StreamDef<unknown>>) {
      const chosen = o.streams.get(def.name);
      const selected = chosen?.selection.selected ?? false;
      const incremental = Boolean(def.replicationKey) && chosen?.selection.replicationMethod !== 'FULL_TABLE';
      const keyProperties = chosen?.keyProperties ?? def.primaryKey;
      const run: StreamRun = { def, selected, needed: selected, keyProperties, children: [], count: 0, pages: 0, started: 0, incremental };
      // A stream's own credentials are secrets like the tap's (the settings they come from may not say so).
      if (def.kind === 'rest' && def.auth) registerSecrets(def.auth(o.settings), o.log.redactor);
      if (selected && chosen) {
        const deselected = chosen.selection.deselected ?? [];
        run.schema = projectSchema(chosen.schema, chosen.selection.fields, deselected);
        const known = new Set(Object.keys(chosen.schema.properties ?? {}));
        run.conformer = new RecordConformer(ajv, def.name, run.schema, keyProperties, {
          deselected, known,
          onUnknown: (field) => o.log.warn(`stream '${def.name}': field '${field}' is not in the stream's schema; ${tap.unknownFieldHint ?? 'dropped (said once)'}`),
        });
      }
      this.runs.set(def.name, run);
    }
    for (const run of this.runs.values()) {
      if (run.def.parent) this.runs.get(run.def.parent)?.children.push(run);
    }
    // A parent is needed when any descendant is selected.
    // A stream that cannot run with these settings is left out with its children; a selected one says why, once.
    const mark = (run: StreamRun, blockedBy?: string): boolean => {
      const reason = blockedBy ?? (run.def.kind === 'rest' ? run.def.unavailable?.(o.settings) : undefined);
      if (reason) {
        if (run.selected) o.log.warn(`stream '${run.def.name}': not synced: ${blockedBy ? `its parent '${run.def.parent}' cannot run: ` : ''}${reason}`);
        run.selected = false;
        run.needed = false;
        for (const child of run.children) mark(child, reason);
        return false;
      }
      const childNeeded = run.children.map((c) => mark(c)).some(Boolean);
      run.needed = run.selected || childNeeded;
      return run.needed;
    };
    for (const run of this.runs.values()) if (!run.def.parent) mark(run);
  }

  private schemaMessages(run: StreamRun): void {
    if (run.selected && run.schema) {
      const msg: SchemaMessage = { type: 'SCHEMA', stream: run.def.name, schema: run.schema, key_properties: run.keyProperties };
      if (run.def.replicationKey && run.incremental) msg.bookmark_properties = [run.def.replicationKey];
      this.o.writer.write(msg);
    }
    for (const child of run.children) if (child.needed) this.schemaMessages(child);
  }

  /** SCHEMA messages only (`--test=schema`). */
  schemasOnly(): void {
    for (const run of this.runs.values()) if (!run.def.parent && run.needed) this.schemaMessages(run);
  }

  /** Streams synced and records written so far, for the run's summary line. */
  totals(): { streams: number; records: number } {
    let streams = 0;
    let records = 0;
    for (const run of this.runs.values()) {
      if (!run.selected) continue;
      streams++;
      records += run.count;
    }
    return { streams, records };
  }

  async run(): Promise<void> {
    const { state, writer, log } = this.o;
    const started = performance.now();
    if (this.o.stateGiven && this.o.mode === 'sync') state.emit(writer);
    let failed = true;
    try {
      for (const run of this.runs.values()) {
        if (run.def.parent || !run.needed) continue;
        if (this.o.signal.stopped) break;
        await this.syncTopLevel(run);
      }
      failed = false;
    } finally {
      log.endProgress();
      log.metric('timer', 'sync_duration', (performance.now() - started) / 1000, { status: failed ? 'failed' : 'succeeded' });
    }
    if (this.o.mode === 'sync') state.emit(writer);
  }

  private async syncTopLevel(run: StreamRun): Promise<void> {
    const { log, writer, state } = this.o;
    const t0 = performance.now();
    this.schemaMessages(run);
    const versioned = this.beginVersions(run);
    log.info(`stream '${run.def.name}': sync started${run.selected ? '' : ' (not selected; read for its children)'}`);
    let status = 'failed';
    try {
      await this.syncRest(run, {});
      status = this.o.signal.stopped ? 'stopped' : 'succeeded';
    } catch (error) {
      if (error instanceof UserError && !error.message.startsWith('stream ')) {
        throw new UserError(`stream '${run.def.name}': ${error.message}`, error.exitCode, { cause: error });
      }
      throw error;
    } finally {
      this.streamMetrics(run, status, t0);
    }
    // Only a stream read to its end may activate its version: a partial read would delete unseen rows.
    for (const r of status === 'succeeded' ? versioned : []) {
      writer.write({ type: 'ACTIVATE_VERSION', stream: r.def.name, version: r.version as number });
      (state.value.bookmarks[r.def.name] ??= {}).version = r.version as number;
    }
    if (this.o.mode === 'sync') state.emit(writer);
    await writer.ready();
  }

  /** FULL_TABLE streams with `emit_activate_version_messages`: one version per run, activated at the end. */
  private beginVersions(run: StreamRun): StreamRun[] {
    const out: StreamRun[] = [];
    // A child of an incremental parent sees only some parents' rows: versioning it would delete the rest.
    const visit = (r: StreamRun, partial = false) => {
      if (r.selected && !r.incremental && !partial && (r.def.activateVersion ?? this.o.activateVersion) && this.o.mode === 'sync') {
        // No opening ACTIVATE_VERSION: a target deletes the table's rows on it, and a run stopped before
        // the end would leave the table empty. The one after the complete read activates the new version.
        r.version = Date.now();
        out.push(r);
      }
      for (const c of r.children) visit(c, partial || r.incremental);
    };
    visit(run);
    return out;
  }

  private streamMetrics(run: StreamRun, status: string, t0: number): void {
    const visit = (r: StreamRun) => {
      if (!r.needed) return;
      if (r.selected) this.o.log.metric('counter', 'record_count', r.count, { stream: r.def.name });
      this.errors.metric(r.def.name);
      if (r.def.kind === 'rest') {
        this.o.log.metric('counter', 'http_request_count', this.o.http.requestCounts.get(r.def.name) ?? 0, { stream: r.def.name, endpoint: r.def.path });
      }
      r.children.forEach(visit);
    };
    visit(run);
    this.o.log.metric('timer', 'sync_duration', (performance.now() - t0) / 1000, { stream: run.def.name, status });
    const secs = (performance.now() - t0) / 1000;
    this.o.log.info(`stream '${run.def.name}': ${status === 'succeeded' ? 'done' : status}, ${counted(run.count, 'record')}, ${counted(run.pages, 'page')} in ${secs.toFixed(2)}s`);
  }

  private progressFor(run: StreamRun, context: JsonObject | undefined): StreamProgress | undefined {
    const { def } = run;
    if (!def.replicationKey || !run.incremental) return undefined;
    const schema = this.o.streams.get(def.name)?.schema ?? this.o.tap.schemas.get(def.name);
    const kind = keyKind(schema?.properties?.[def.replicationKey]);
    const sorted = def.kind === 'rest' && def.sorted === true;
    const opts: Parameters<StateManager['progress']>[0] = { stream: def.name, replicationKey: def.replicationKey, kind, sorted };
    if (this.o.startDate) opts.startDate = this.o.startDate;
    if (kind === 'datetime') opts.signpost = this.signpost;
    if (context && Object.keys(context).length > 0) opts.context = context;
    return this.o.state.progress(opts);
  }

  private async syncRest(run: StreamRun, context: JsonObject, parent?: JsonObject): Promise<void> {
    const def = run.def as RestStream<S>;
    const { http, writer, state, settings } = this.o;
    if (this.testDone(run)) return;
    const progress = this.progressFor(run, context);
    if (!run.started) run.started = performance.now();
    if (progress && def.lookbackSeconds) progress.lookback(def.lookbackSeconds(settings));
    const start: BookmarkValue | undefined = progress?.start;
    const ctx: StreamContext<S> = { settings, context, syncStart: this.signpost };
    if (start !== undefined) ctx.start = start;
    if (parent) ctx.parent = parent;
    const paginator = typeof def.paginator === 'function' ? def.paginator(ctx) : (def.paginator ?? singlePage());
    const path = fillPath(def.path, context, def.name);
    const first = http.request(path, { method: def.method ?? 'GET', params: def.params?.(ctx), json: def.body?.(ctx), headers: def.headers?.(ctx) });
    const interval = this.o.tap.stateCheckpointInterval ?? 10_000;
    let sinceCheckpoint = 0;
    const rk = def.replicationKey;
    const emit = run.selected && run.conformer;
    // Sorted streams: a record already written in this run at the current maximum key value (a page
    // re-read from that value to catch ties) is not written twice.
    const ties = progress && rk && def.sorted ? new TieGuard((r) => stringifyJson(def.primaryKey.map((k) => r[k]))) : undefined;
    const contextOf = def.childContext ?? this.defaultContext(def);
    // A failure while a page is written cancels the next page in flight (and its retries) instead of waiting for it.
    const inFlight = new AbortController();
    try {
      const auth = def.auth?.(settings);
      const pages = http.pages(first, paginator, def.records, { stream: def.name, endpoint: def.path }, auth, def.responseRules, inFlight.signal);
      for await (const page of prefetch(pages, () => inFlight.abort())) {
        run.pages++;
        // Each record carries the time its own page was fetched (a child's pages must not change its parent's).
        const extractedAt = new Date().toISOString();
        for (const item of page.records) {
          const record = def.transform ? def.transform(item, page, ctx) : item;
          if (!record) continue;
          // A child partition skipped under the error policy keeps this record's bookmark from moving past it.
          const onSkip = () => progress?.skipped(rk ? record[rk] : undefined);
          if (progress && rk && !progress.isNew(record[rk])) {
            // An unchanged parent is not written, but its HTTP children have bookmarks of their own.
            await this.syncChildren(run, item, page, record, contextOf, false, extractedAt, onSkip);
            continue;
          }
          if (ties && rk && ties.seen(record, record[rk])) continue;
          // --test writes one record per stream, even while a parent reads on for its children.
          if (emit && !(this.o.mode === 'test' && run.count >= 1)) {
            let written: JsonObject;
            try {
              written = this.write(run, record, extractedAt);
            } catch (error) {
              if (!this.errors.skipRecord(def.name, error)) throw error;
              onSkip();
              continue;
            }
            if (progress && rk) progress.observe(written[rk]);
            sinceCheckpoint++;
          }
          await this.syncChildren(run, item, page, record, contextOf, true, extractedAt, onSkip);
          if (this.o.signal.stopped) {
            progress?.checkpoint();
            return;
          }
          if (this.testDone(run)) break;
        }
        if (progress && sinceCheckpoint >= interval && this.o.mode === 'sync') {
          progress.checkpoint();
          state.emit(writer);
          sinceCheckpoint = 0;
        }
        this.showProgress(run);
        await writer.ready();
        if (this.testDone(run)) break;
        if (this.o.signal.stopped) {
          progress?.checkpoint();
          return;
        }
      }
    } catch (error) {
      // A signal aborts the request in flight: what was written stays covered by its bookmark.
      if (!this.o.signal.stopped) throw named(error, def.name);
      progress?.checkpoint();
      return;
    }
    progress?.finish();
    if (!progress && run.selected && !rk) state.touch(def.name);
  }

  /**
   * --test: a stream is done with one record and once each of its needed children is (a parent whose
   * first records have no children reads on, without writing them, until one has).
   */
  private testDone(run: StreamRun): boolean {
    if (this.o.mode !== 'test') return false;
    if (run.selected && run.count < 1) return false;
    return run.children.every((c) => !c.needed || this.testDone(c));
  }

  /** A parent record's children: HTTP children requested with its context, child rows taken from its item. */
  private async syncChildren(run: StreamRun, item: JsonObject, page: Page, record: JsonObject, contextOf: (r: JsonObject) => JsonObject, withRows: boolean, extractedAt: string, onSkip: () => void): Promise<void> {
    for (const child of run.children) {
      if (!child.needed) continue;
      if (child.def.kind === 'rest') {
        const context = contextOf(record);
        try {
          await this.syncRest(child, context, record);
        } catch (error) {
          if (this.o.signal.stopped || !this.errors.skipPartition(child.def.name, context, error)) throw error;
          onSkip();
        }
        this.checkpointPartitions();
      } else if (withRows) this.syncRows(child, item, page, record, extractedAt, onSkip);
    }
  }

  /**
   * A child partition is done: its bookmark is committed. STATE goes out every checkpoint interval of
   * messages, so a crash late in a long parent (full-table or unsorted, which has no bookmark of its
   * own to checkpoint) does not re-read every child. The parent's bookmark is whatever it committed.
   */
  private checkpointPartitions(): void {
    if (this.o.mode !== 'sync') return;
    const interval = this.o.tap.stateCheckpointInterval ?? 10_000;
    if (this.o.writer.count - this.stateAt < interval) return;
    this.o.state.emit(this.o.writer);
    this.stateAt = this.o.writer.count;
  }

  private defaultContext(def: RestStream<S>): (record: JsonObject) => JsonObject {
    return (record) => Object.fromEntries(def.primaryKey.map((k) => [k, record[k] ?? null]));
  }

  private syncRows(run: StreamRun, item: JsonObject, page: Page, parentRecord: JsonObject, extractedAt: string, onSkip: () => void): void {
    const def = run.def as ChildRowsStream;
    if (!run.selected) return;
    if (this.o.mode === 'test' && run.count >= 1) return;
    for (const row of def.rows(item, page, parentRecord)) {
      try {
        this.write(run, row, extractedAt);
      } catch (error) {
        if (!this.errors.skipRecord(def.name, error)) throw error;
        onSkip();
        continue;
      }
      if (this.o.mode === 'test') return;
    }
  }

  private write(run: StreamRun, record: JsonObject, extractedAt: string): JsonObject {
    const conformer = run.conformer as RecordConformer;
    const conformed = conformer.conform(record);
    try {
      this.o.writer.record(run.def.name, conformed, extractedAt, run.version);
    } catch (error) {
      throw error instanceof RangeError ? conformer.tooDeepError(record) : error;
    }
    run.count++;
    return conformed;
  }

  private showProgress(run: StreamRun): void {
    const log = this.o.log;
    if (!log.tty) return;
    const now = performance.now();
    if (now - this.lastProgress < 250) return;
    this.lastProgress = now;
    const rate = run.count / Math.max(0.001, (now - run.started) / 1000);
    log.progress(`${run.def.name}: ${counted(run.count, 'record')}, ${counted(run.pages, 'page')}, ${Math.round(rate).toLocaleString('en')} rec/s`);
  }
}

/** A user-facing error from a stream's requests names that stream (a child's, not its parent's). */
function named(error: unknown, stream: string): unknown {
  if (error instanceof UserError && !error.message.startsWith('stream ')) return new UserError(`stream '${stream}': ${error.message}`, error.exitCode, { cause: error });
  return error;
}

/**
 * Remembers the records written at a sorted stream's current maximum key value, so a page re-read from
 * that value (to catch ties the API would skip) writes none of them twice. Keys are computed only when a
 * record repeats the maximum: most records cost nothing. Bounded by the size of one tie group.
 */
class TieGuard {
  private value: string | undefined;
  private atValue: JsonObject[] = [];
  private keys: Set<string> | undefined;

  constructor(private readonly key: (record: JsonObject) => string) {}

  /** True when the record was already written in this run (same key at the same maximum value). */
  seen(record: JsonObject, keyValue: unknown): boolean {
    const v = String(keyValue);
    if (v !== this.value) {
      this.value = v;
      this.atValue = [record];
      this.keys = undefined;
      return false;
    }
    this.keys ??= new Set(this.atValue.map(this.key));
    const k = this.key(record);
    if (this.keys.has(k)) return true;
    this.keys.add(k);
    return false;
  }
}
