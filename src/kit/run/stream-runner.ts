import type { JsonObject } from '../core/json.js';
import { inStream } from '../core/errors.js';
import type { Page } from '../paging/paginators.js';
import { retrieve } from '../retrieve/retriever.js';
import { requestFor } from '../retrieve/request-for.js';
import { keyKind } from '../records/schema.js';
import type { StateManager, StreamProgress, BookmarkValue } from './state.js';
import type { RecordConformer } from '../records/validate.js';
import { childContextOf, type GenericStream, type RestStream, type StreamContext, type ChildRowsStream } from '../tap/stream.js';
import { generatedPages } from './generated-pages.js';
import type { StreamRun } from './stream-plan.js';
import type { SyncOptions } from './options.js';
import { TieGuard, recordIdentity, recordIdentityKey } from './tie-guard.js';
import { readAhead } from './read-ahead.js';
import { HeapBudget } from './heap-budget.js';
import { orderedMap } from './ordered.js';
import { ProgressLine } from './progress-line.js';
import { stringifyJson } from '../core/jsontext.js';
import type { ErrorPolicyGuard } from './errorpolicy.js';
import type { OpenStream, RunnerLimits, RunnerShared } from './runner-shared.js';
import { full, sampled } from './sample.js';

export type { RunnerLimits, RunnerShared } from './runner-shared.js';
import { ParentSettlement, type PendingPartition } from './partitions.js';


/**
 * Reads one stream (or one partition of a child stream) page by page, in order: select and transform
 * records, filter by bookmark, conform, write RECORD, advance the bookmark, checkpoint STATE when it
 * is safe, and read each record's children: child rows inline, HTTP children as partitions requested
 * in parallel (bounded) but written one partition after another, in the order of their parents.
 */
export class StreamRunner<S> {
  private readonly progressLine: ProgressLine;
  private readonly heap = new HeapBudget();

  private readonly limits: RunnerLimits;
  private readonly signpost: string;
  private readonly stopping: () => boolean;
  private readonly errors: ErrorPolicyGuard;

  /** False: nothing is committed (no STATE checkpoints), as in --test. */
  private readonly commits: boolean;

  constructor(private readonly o: SyncOptions<S>, shared: RunnerShared) {
    this.progressLine = new ProgressLine(o.log);
    this.commits = o.commits !== false;
    this.limits = shared.limits;
    this.signpost = shared.signpost;
    this.stopping = shared.stopping;
    this.errors = shared.errors;
  }

  /** writer.count when the last partition checkpoint emitted STATE. */
  private stateAt = 0;

  /**
   * Reads a stream (top level: `context` is `{}`) or one partition of a child stream (`parent`: its
   * parent record). True when it was read to its end; false when it stopped early (a signal, another
   * stream failing, --test having its record).
   */
  async sync(run: StreamRun, context: JsonObject, parent?: JsonObject): Promise<boolean> {
    if (this.testDone(run)) return false;
    return this.consume(this.open(run, context, parent));
  }

  /** Starts a stream's requests (its first pages are read ahead) without writing anything yet. */
  private open(run: StreamRun, context: JsonObject, parent?: JsonObject): OpenStream<S> {
    const def = run.def as RestStream<S> | GenericStream<S>;
    const { http, settings } = this.o;
    const progress = this.progressFor(run, context);
    if (!run.started) run.started = performance.now();
    if (progress && def.lookbackSeconds) progress.lookback(def.lookbackSeconds(settings));
    const start: BookmarkValue | undefined = progress?.start;
    const ctx: StreamContext<S> = { settings, context, syncStart: this.signpost };
    if (start !== undefined) ctx.start = start;
    if (parent) ctx.parent = parent;
    if (def.kind === 'generic') {
      const inFlight = http.streamSignal(); // records from code: aborted with the run, paged like HTTP
      return { run, def, ctx, progress, pages: generatedPages(def.records({ ...ctx, signal: inFlight.signal, log: this.o.log }), def.name), inFlight, outcome: { settled: true } };
    }
    const { path, init, ...reading } = requestFor(def, ctx, this.o.tap);
    const first = http.request(path, init);
    const parallel = this.limits.pages;
    const inFlight = http.streamSignal();
    // A list read again because it changed while it was read is recognised by its rows' keys, in order.
    const identity = recordIdentity(def.primaryKey);
    const keysOf = (page: Page) => stringifyJson(page.records.map((item) => {
      const r = def.transform ? def.transform(item, page, ctx) : item;
      return r ? identity(r) : null;
    }));
    const outcome = { settled: true };
    const source = retrieve({ transport: http, first, ...reading, signal: inFlight.signal, parallel, identify: keysOf, verifyEnd: run.version !== undefined, outcome });
    const pages = readAhead(source, 1, () => inFlight.abort());
    return { run, def, ctx, progress, pages, inFlight, outcome };
  }

  private async consume(open: OpenStream<S>): Promise<boolean> {
    const { run, def, ctx, progress } = open;
    const { writer, state } = this.o;
    const interval = this.o.tap.stateCheckpointInterval ?? 10_000;
    let sinceCheckpoint = 0;
    const rk = def.replicationKey;
    const emit = run.selected && run.conformer !== undefined;
    // Sorted streams: a record already written in this run at the current maximum key value (a page
    // re-read from that value to catch ties) is not written twice.
    const ties = progress && rk && def.sorted ? new TieGuard(recordIdentityKey(def.primaryKey)) : undefined;
    const contextOf = childContextOf(def);
    const transform = def.kind === 'rest' ? def.transform : undefined;
    // Children read on their own (HTTP or generic) are partitions of this record; child rows are inline.
    const children = run.children.filter((c) => c.needed);
    const httpChildCount = children.filter((c) => c.def.kind !== 'rows').length;
    const httpChildren = httpChildCount > 0;
    // Partitions run one after another when asked to (--test: order matters more than speed).
    const inline = this.limits.partitions <= 1;
    const stop = (): false => {
      progress?.checkpoint();
      return false;
    };
    try {
      for await (const page of open.pages) {
        run.pages++;
        const extractedAt = new Date().toISOString();
        const partitions: PendingPartition[] = [];
        for (const item of page.records) {
          const record = transform ? transform(item, page, ctx) : item;
          if (!record) continue;
          // An unchanged parent is not written, but its HTTP children have bookmarks of their own.
          const isNew = !progress || !rk || progress.isNew(record[rk]);
          // Children get the parent's values as the API sent them (conforming works in place).
          const childContext = httpChildren ? contextOf(record) : undefined;
          // A record (or a child partition) skipped under the error policy keeps the bookmark from moving past this record.
          const keyValue = rk ? record[rk] : undefined;
          /** This record's replication value, once it is written (`wrote`: the value may be undefined). */
          let wrote = false;
          let writtenValue: unknown;
          if (isNew) {
            // Conformed first (in place when it can be), so ties compare the values that are written.
            let shaped = record;
            if (emit) {
              try {
                shaped = (run.conformer as RecordConformer).conform(record);
              } catch (error) {
                if (!this.errors.skipRecord(def.name, error)) throw error;
                progress?.skipped(keyValue);
                continue;
              }
            }
            if (ties && rk && ties.seen(shaped, shaped[rk])) continue;
            // A sampled stream (--test) writes its records only, even while a parent reads on for its children.
            if (emit && !full(run)) {
              try {
                this.emitRecord(run, shaped, extractedAt);
              } catch (error) {
                if (!this.errors.skipRecord(def.name, error)) throw error;
                progress?.skipped(keyValue);
                continue;
              }
              if (progress && rk) {
                wrote = true;
                writtenValue = shaped[rk];
              }
              sinceCheckpoint++;
            }
          }
          if (children.length === 0) {
            if (wrote) progress?.observe(writtenValue);
          } else {
            // The bookmark passes this record only once its HTTP children are all written (a stop or a
            // failure before then leaves it for the next run to read again, children and all).
            const onSkip = () => progress?.skipped(keyValue);
            const observe = () => {
              if (wrote) progress?.observe(writtenValue);
            };
            const settle = new ParentSettlement(httpChildCount, observe);
            for (const child of children) {
              if (child.def.kind === 'rows') {
                if (isNew) this.syncRows(child, item, page, record, extractedAt, onSkip);
              } else if (inline) {
                settle.ended(await this.partition(child, childContext as JsonObject, onSkip, () => this.sync(child, childContext as JsonObject, record)));
              } else {
                partitions.push({ child, context: childContext as JsonObject, parent: record, onSkip, settle });
              }
            }
          }
          if (this.stopping()) return stop();
          if (this.testDone(run)) break;
        }
        if (partitions.length > 0) await this.syncPartitions(partitions);
        if (progress && sinceCheckpoint >= interval && this.commits) {
          progress.checkpoint();
          state.emit(writer);
          sinceCheckpoint = 0;
        }
        this.progressLine.show(run);
        await writer.ready();
        this.heap.check();
        if (this.testDone(run)) break;
        if (this.stopping()) return stop();
      }
    } catch (error) {
      // A signal (or another stream failing) aborts the request in flight: what was written stays covered by its bookmark.
      if (!this.stopping()) throw inStream(error, def.name);
      return stop();
    } finally {
      // Stopped early (an error, a stop, --test): the page in flight and its retries are cancelled, not waited for.
      open.inFlight.abort();
      await open.pages.close();
      open.inFlight.release();
    }
    if (this.testDone(run)) return false;
    // A versioned stream whose list never settled may lack rows that moved: its version is not activated.
    if (!open.outcome.settled) run.unsettled = true;
    progress?.finish();
    if (!progress && run.selected && !rk) state.touch(def.name);
    return true;
  }

  /** Child partitions of one parent page: requested up to `limits.partitions` at once, written in parent order. */
  private async syncPartitions(partitions: PendingPartition[]): Promise<void> {
    const opened = orderedMap(partitions, async (p) => ({ open: this.open(p.child, p.context, p.parent), p }), this.limits.partitions);
    for await (const { open, p } of opened) {
      if (this.stopping()) {
        open.inFlight.abort();
        await open.pages.close();
        open.inFlight.release();
        p.settle.ended(false);
        continue;
      }
      p.settle.ended(await this.partition(p.child, p.context, p.onSkip, () => this.consume(open)));
    }
  }

  /**
   * One child partition, under the error policy (a failing one skipped, said and counted, its parent's
   * bookmark held below it), then a STATE every checkpoint interval of messages, so a crash late in a
   * long parent (full-table or unsorted, no bookmark of its own to checkpoint) does not re-read every child.
   */
  private async partition(child: StreamRun, context: JsonObject, onSkip: () => void, read: () => Promise<boolean>): Promise<boolean> {
    let complete: boolean;
    try {
      complete = await read();
    } catch (error) {
      if (this.o.signal.stopped || !this.errors.skipPartition(child.def.name, context, error)) throw error;
      onSkip();
      // Skipped: its parent's bookmark is held below the parent (onSkip), so the next run reads it again.
      complete = true;
    }
    if (!this.commits) return complete;
    const interval = this.o.tap.stateCheckpointInterval ?? 10_000;
    if (this.o.writer.count - this.stateAt < interval) return complete;
    this.o.state.emit(this.o.writer);
    this.stateAt = this.o.writer.count;
    return complete;
  }

  private progressFor(run: StreamRun, context: JsonObject | undefined): StreamProgress | undefined {
    const { def } = run;
    if (!def.replicationKey || !run.incremental) return undefined;
    const schema = this.o.streams.get(def.name)?.schema ?? this.o.tap.schemas.get(def.name);
    const kind = keyKind(schema?.properties?.[def.replicationKey]);
    const sorted = def.kind !== 'rows' && def.sorted === true;
    const opts: Parameters<StateManager['progress']>[0] = { stream: def.name, replicationKey: def.replicationKey, kind, sorted };
    if (this.o.startDate) opts.startDate = this.o.startDate;
    if (kind === 'datetime') opts.signpost = this.signpost;
    else if (kind === 'number') opts.epochSignpostMs = Date.parse(this.signpost);
    if (context && Object.keys(context).length > 0) opts.context = context;
    return this.o.state.progress(opts);
  }

  /** A sampled stream (--test) with its records and its children's: see `sampled`. */
  testDone(run: StreamRun): boolean {
    return sampled(run);
  }

  private syncRows(run: StreamRun, item: JsonObject, page: Page, parentRecord: JsonObject, extractedAt: string, onSkip: () => void): void {
    const def = run.def as ChildRowsStream;
    if (!run.selected) return;
    if (full(run)) return;
    for (const row of def.rows(item, page, parentRecord)) {
      try {
        this.emitRecord(run, (run.conformer as RecordConformer).conform(row), extractedAt);
      } catch (error) {
        if (!this.errors.skipRecord(def.name, error)) throw error;
        onSkip();
        continue;
      }
      if (full(run)) return;
    }
  }

  private emitRecord(run: StreamRun, conformed: JsonObject, extractedAt: string): void {
    try {
      // One stamp per page and stream, not one object per record.
      if (run.stamp?.timeExtracted !== extractedAt) run.stamp = run.version === undefined ? { timeExtracted: extractedAt } : { timeExtracted: extractedAt, version: run.version };
      this.o.writer.record(run.def.name, conformed, run.stamp);
    } catch (error) {
      throw error instanceof RangeError ? (run.conformer as RecordConformer).tooDeepError(conformed) : error;
    }
    run.count++;
  }
}
