import { isJsonObject, type JsonObject, type JsonValue } from '../core/json.js';
import { parseJson, stringifyJson } from '../core/jsontext.js';
import { instantMs } from '../core/time.js';
import type { MessageSink } from '../output/sink.js';
import { comparable } from './comparable.js';
import { contextKey, StreamProgress, type Partition, type ProgressOptions } from './progress.js';
import type { Bookmark, BookmarkValue, StateValue } from './state-file.js';

export { readStateFile, type Bookmark, type BookmarkValue, type StateValue } from './state-file.js';
export { comparable, type Comparable } from './comparable.js';
export { StreamProgress, type ProgressOptions } from './progress.js';

/** The STATE a run reads, advances and emits. Bookmarks of streams this run does not touch are kept. */
export class StateManager {
  readonly value: StateValue;
  private lastEmitted = '';
  private countAtEmit = -1;
  private readonly warned = new Set<string>();

  /** Per stream: its partitions by context key (child streams), so a lookup is not a scan. */
  private readonly partitionIndex = new Map<string, Map<string, Partition>>();

  /**
   * At most this many partitions per stream (one per parent record): beyond it the oldest is dropped,
   * and its child reads from `start_date` again next time (re-sent, never lost).
   */
  static readonly MAX_PARTITIONS = 10_000;

  constructor(initial: StateValue | undefined, private readonly onWarn: (message: string) => void = () => {}, private readonly maxPartitions = StateManager.MAX_PARTITIONS) {
    this.value = initial ? structuredClone(initial) : { bookmarks: {} };
    // Keyed by stream name: a stream called `constructor` must not find Object's (no prototype to inherit from).
    this.value.bookmarks = Object.assign(Object.create(null) as StateValue['bookmarks'], isJsonObject(this.value.bookmarks) ? this.value.bookmarks : {});
    // A state from another version or another tool must not break a run: drop what cannot be read.
    for (const [stream, bm] of Object.entries(this.value.bookmarks)) {
      if (!isJsonObject(bm)) {
        this.onWarn(`state: bookmark of stream '${stream}' is not an object; ignored`);
        delete this.value.bookmarks[stream];
      } else if (bm.partitions !== undefined && !(Array.isArray(bm.partitions) && bm.partitions.every((p) => isJsonObject(p) && isJsonObject(p.context)))) {
        this.onWarn(`state: partitions of stream '${stream}' are not a list of {context, ...}; ignored`);
        delete bm.partitions;
      }
    }
  }

  private partitions(stream: string, create: boolean): Map<string, Partition> | undefined {
    let index = this.partitionIndex.get(stream);
    if (!index) {
      const bm = this.value.bookmarks[stream];
      if (!bm?.partitions && !create) return undefined;
      index = new Map((bm?.partitions ?? []).map((p) => [contextKey(p.context), p]));
      this.partitionIndex.set(stream, index);
    }
    return index;
  }

  private previous(stream: string, replicationKey: string, context?: JsonObject): BookmarkValue | undefined {
    const bm = this.value.bookmarks[stream];
    if (!bm) return undefined;
    const entry = context ? this.partitions(stream, false)?.get(contextKey(context)) : bm;
    if (!entry) return undefined;
    if (entry.replication_key && entry.replication_key !== replicationKey) {
      this.onWarn(`stream '${stream}': bookmark is on '${entry.replication_key}', now '${replicationKey}'; starting over`);
      return undefined;
    }
    return entry.replication_key_value;
  }

  /** A stored bookmark that cannot be read as the key's kind is reported, then ignored. */
  private readable(options: ProgressOptions, value: BookmarkValue | undefined): BookmarkValue | undefined {
    if (value !== undefined && comparable(value, options.kind) === undefined) {
      this.onWarn(`stream '${options.stream}': bookmark ${JSON.stringify(value)} is not a valid ${options.kind} value; starting from start_date`);
      return undefined;
    }
    if (options.kind === 'datetime' && typeof value === 'number') {
      const ms = instantMs(value) as number;
      this.onWarn(`stream '${options.stream}': bookmark ${value} on date-time key '${options.replicationKey}' is a number; read as epoch ${Math.abs(value) < 1e11 ? 'seconds' : 'milliseconds'} (${new Date(ms).toISOString()})`);
    }
    return value;
  }

  progress(options: ProgressOptions): StreamProgress {
    return new StreamProgress(this, options, this.readable(options, this.previous(options.stream, options.replicationKey, options.context)));
  }

  setBookmark(options: ProgressOptions, value: BookmarkValue): void {
    const { stream, replicationKey, context } = options;
    const bm = (this.value.bookmarks[stream] ??= {});
    if (!context) {
      bm.replication_key = replicationKey;
      bm.replication_key_value = value;
      return;
    }
    const index = this.partitions(stream, true) as Map<string, Partition>;
    const key = contextKey(context);
    const found = index.get(key);
    if (found) {
      found.replication_key = replicationKey;
      found.replication_key_value = value;
    } else {
      const partition: Partition = { context, replication_key: replicationKey, replication_key_value: value };
      const partitions = (bm.partitions ??= []);
      partitions.push(partition);
      index.set(key, partition);
      if (partitions.length > this.maxPartitions) {
        const dropped = partitions.splice(0, partitions.length - this.maxPartitions);
        for (const p of dropped) index.delete(contextKey(p.context));
        if (!this.warned.has(`${stream}:partitions`)) {
          this.warned.add(`${stream}:partitions`);
          this.onWarn(`stream '${stream}': more than ${this.maxPartitions} partitions; the oldest are dropped from STATE (their rows are read again from start_date next run)`);
        }
      }
    }
  }

  /** Marks a stream as seen this run even when it has no bookmark (full-table streams). */
  touch(stream: string): void {
    this.value.bookmarks[stream] ??= {};
  }

  warnUnsorted(stream: string, value: string, max: string): void {
    if (this.warned.has(stream)) return;
    this.warned.add(stream);
    this.onWarn(`stream '${stream}': records are not sorted by their replication key (${value} after ${max}); bookmark held until stream end`);
  }

  /** Writes STATE unless it would repeat the STATE written just before it (nothing written since). */
  /**
   * Bookmarks are written in this order (the tap's streams), after those carried from the given state:
   * the same STATE bytes whichever stream finished first.
   */
  streamOrder: readonly string[] = [];

  private ordered(): StateValue {
    const bookmarks = this.value.bookmarks;
    if (this.streamOrder.length === 0) return this.value;
    const rank = new Map(this.streamOrder.map((s, i) => [s, i]));
    const keys = Object.keys(bookmarks);
    const carried = keys.filter((k) => !rank.has(k));
    const ours = keys.filter((k) => rank.has(k)).sort((a, b) => (rank.get(a) as number) - (rank.get(b) as number));
    const out = Object.create(null) as Record<string, Bookmark>;
    for (const k of [...carried, ...ours]) out[k] = bookmarks[k] as Bookmark;
    return { ...this.value, bookmarks: out };
  }

  emit(writer: MessageSink): void {
    const text = stringifyJson(this.ordered());
    if (text === this.lastEmitted && writer.count === this.countAtEmit) return;
    this.lastEmitted = text;
    writer.write({ type: 'STATE', value: parseJson(text) as JsonValue });
    this.countAtEmit = writer.count;
  }
}
