import { readFileSync } from 'node:fs';
import { isJsonObject, type JsonObject, type JsonValue } from '../core/json.js';
import { UserError } from '../core/errors.js';
import { parseJson, parseJsonFile, stringifyJson } from '../core/jsontext.js';
import type { KeyKind } from '../records/schema.js';
import { instantMs } from '../core/time.js';
import type { MessageSink } from '../output/sink.js';
import { fileProblem } from '../core/file-errors.js';

export type BookmarkValue = string | number;
/** A replication-key value in comparable form. */
export type Comparable = number | string | bigint;
export interface Bookmark {
  replication_key?: string;
  replication_key_value?: BookmarkValue;
  partitions?: Array<{ context: JsonObject; replication_key?: string; replication_key_value?: BookmarkValue }>;
  [key: string]: JsonValue | undefined;
}
export interface StateValue {
  bookmarks: Record<string, Bookmark>;
  [key: string]: JsonValue | Record<string, Bookmark>;
}

/** Top-level keys Singer taps write into a state besides `bookmarks`. */
const STATE_KEYS = new Set(['bookmarks', 'currently_syncing']);

/** Reads `--state`: a state value, a STATE message, or Meltano's `{"singer_state": ...}`; empty means none. */
export function readStateFile(file: string): StateValue {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UserError(`--state ${file}: ${fileProblem(error)}`);
  }
  if (text.trim() === '') return { bookmarks: {} };
  let parsed = parseJsonFile(text, `--state ${file}`);
  if (isJsonObject(parsed) && parsed.type === 'STATE' && 'value' in parsed) parsed = parsed.value;
  if (isJsonObject(parsed) && isJsonObject(parsed.singer_state)) parsed = parsed.singer_state;
  if (!isJsonObject(parsed)) throw new UserError(`--state ${file}: state must be a JSON object`);
  // Anything else would be carried into every STATE on stdout (a config file passed by mistake, secrets and all).
  const foreign = Object.keys(parsed).filter((k) => !STATE_KEYS.has(k));
  if (parsed.bookmarks === undefined && foreign.length > 0) {
    throw new UserError(`--state ${file}: not a state (no "bookmarks"; keys ${foreign.slice(0, 3).map((k) => JSON.stringify(k)).join(', ')})`);
  }
  if (parsed.bookmarks !== undefined && !isJsonObject(parsed.bookmarks)) {
    throw new UserError(`--state ${file}: "bookmarks" must be an object`);
  }
  return { ...parsed, bookmarks: (parsed.bookmarks as Record<string, Bookmark> | undefined) ?? {} } as StateValue;
}

/** A comparable form of a replication-key value: instants and numbers as numbers, strings as themselves. */
export function comparable(value: unknown, kind: KeyKind): Comparable | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  if (kind === 'number') {
    // Integers beyond 2^53 compare exactly as bigint (JavaScript compares bigint and number exactly).
    if (typeof value === 'bigint') return value;
    if (typeof value === 'string' && /^-?\d{16,}$/.test(value.trim())) return BigInt(value.trim());
    const n = typeof value === 'number' ? value : Number(value);
    return Number.isFinite(n) ? n : undefined;
  }
  if (kind === 'datetime') return instantMs(value);
  return String(value);
}

/** Replication key names that say the value is a time. */
const TIME_NAMED = /(^|_|-)(at|time|timestamp|ts|date|updated|modified|created|changed|epoch)$|(time|stamp|updated|modified|changed)/i;

/**
 * The sync's start in the units of a numeric key that holds Unix time: seconds for values between
 * 1e9 and 1e10 (2001 to 2286), milliseconds for values between 1e12 and 1e13. Undefined when the key
 * is not named as a time, its values are not in those ranges, or there is no start time.
 */
function epochCapOf(options: ProgressOptions, max: Comparable | undefined): number | undefined {
  const start = options.epochSignpostMs;
  if (options.kind !== 'number' || start === undefined || typeof max !== 'number' || !TIME_NAMED.test(options.replicationKey)) return undefined;
  if (max >= 1e9 && max < 1e10) return Math.floor(start / 1000);
  if (max >= 1e12 && max < 1e13) return start;
  return undefined;
}

/** One string per parent context, whatever the order of its keys (nested values kept whole). */
function contextKey(context: JsonObject | undefined): string {
  return context ? stringifyJson(Object.entries(context).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : '';
}

type Partition = NonNullable<Bookmark['partitions']>[number];

export interface ProgressOptions {
  stream: string;
  replicationKey: string;
  kind: KeyKind;
  /** Records arrive in ascending key order, so the bookmark may advance as they are written. */
  sorted: boolean;
  /** The lower bound from the `start_date` setting, if any. */
  startDate?: string;
  /** Upper bound for unsorted streams (the sync's start time for timestamp keys). */
  signpost?: BookmarkValue;
  /**
   * The sync's start time in milliseconds, for numeric keys: an unsorted key named as a time
   * (`updated_at`, `modified`, `timestamp`) whose values are Unix seconds or milliseconds is capped
   * at it as a date-time key is capped at the signpost.
   */
  epochSignpostMs?: number;
  /** Per-parent bookmark (child streams). */
  context?: JsonObject;
}

/**
 * Bookmark bookkeeping for one stream (or one parent partition): where to start, which records are
 * new, and what may be committed. Nothing is committed before the record carrying it is written.
 */
export class StreamProgress {
  /** The value to start from (max of bookmark and start_date), as stored. */
  start: BookmarkValue | undefined;
  private startCmp: Comparable | undefined;
  private max: BookmarkValue | undefined;
  private maxCmp: Comparable | undefined;
  private sortedSoFar: boolean;
  /** The start is the stored bookmark (not `start_date`). */
  private fromState = false;
  /** The bookmark before a lookback widened the start: finish() never commits less. */
  private floor: BookmarkValue | undefined;
  private readonly signpostCmp: Comparable | undefined;
  /** The highest value a mid-stream checkpoint has committed (a STATE may already carry it). */
  private committed: { cmp: Comparable; value: BookmarkValue } | undefined;
  /** Set when a record could not be written (error policy `skip`): nothing at or past it is committed. */
  private ceiling: { cmp: Comparable; value: BookmarkValue } | undefined;

  constructor(private readonly state: StateManager, readonly options: ProgressOptions, previous: BookmarkValue | undefined) {
    const { kind, startDate } = options;
    const prevCmp = comparable(previous, kind);
    const startDateCmp = kind === 'datetime' ? comparable(startDate, kind) : undefined;
    if (prevCmp !== undefined && (startDateCmp === undefined || prevCmp >= startDateCmp)) {
      this.start = previous;
      this.startCmp = prevCmp;
      this.fromState = true;
    } else if (startDateCmp !== undefined && startDate !== undefined) {
      this.start = startDate;
      this.startCmp = startDateCmp;
    }
    this.sortedSoFar = options.sorted;
    this.signpostCmp = comparable(options.signpost, kind);
  }

  /**
   * Starts `seconds` before the bookmark (a lookback window for date-time keys), never before
   * `start_date`; the committed bookmark never moves back. No effect without a bookmark.
   */
  lookback(seconds: number): void {
    if (!this.fromState || typeof this.startCmp !== 'number' || seconds <= 0) return;
    if (this.options.kind === 'number') {
      // Numeric keys (ids, versions): the lag is in the key's own units.
      this.floor = this.start;
      this.start = this.startCmp - seconds;
      this.startCmp = this.start;
      return;
    }
    if (this.options.kind !== 'datetime') return;
    const startDateCmp = comparable(this.options.startDate, 'datetime');
    let ms = this.startCmp - seconds * 1000;
    if (typeof startDateCmp === 'number' && startDateCmp > ms) ms = startDateCmp;
    if (ms >= this.startCmp) return;
    this.floor = this.start;
    this.start = new Date(ms).toISOString();
    this.startCmp = ms;
  }

  /** At-least-once: a record at the bookmark itself is sent again; older ones are skipped. */
  isNew(value: unknown): boolean {
    if (this.startCmp === undefined) return true;
    const c = comparable(value, this.options.kind);
    return c === undefined || c >= this.startCmp;
  }

  /** Call after the record has been written. Returns true when the sorted bookmark moved. */
  observe(value: unknown): void {
    const c = comparable(value, this.options.kind);
    if (c === undefined) return;
    if (this.maxCmp !== undefined && c < this.maxCmp && this.sortedSoFar) {
      // A checkpoint already claimed everything up to `committed`: this record proves it wrong.
      if (this.committed !== undefined && c < this.committed.cmp) {
        throw new UserError(`stream '${this.options.stream}' is declared sorted by '${this.options.replicationKey}', but a record with ${JSON.stringify(String(value))} came after the bookmark ${JSON.stringify(String(this.committed.value))} was checkpointed; records between them may be missed on resume. Declare the stream unsorted (sorted: false) or fix the API's order`);
      }
      this.sortedSoFar = false;
      this.state.warnUnsorted(this.options.stream, String(value), String(this.max));
    }
    if (this.maxCmp === undefined || c > this.maxCmp) {
      this.maxCmp = c;
      this.max = value as BookmarkValue;
    }
  }

  /** Sorted streams: the bookmark covered by what has been written so far (mid-stream checkpoint). */
  checkpoint(): void {
    if (!this.sortedSoFar || this.max === undefined || this.maxCmp === undefined) return;
    if (this.ceiling !== undefined) return;
    // After a lookback, records older than the stored bookmark must not move it back.
    const floorCmp = comparable(this.floor, this.options.kind);
    if (floorCmp !== undefined && this.maxCmp < floorCmp) return;
    this.state.setBookmark(this.options, this.max);
    this.committed = { cmp: this.maxCmp, value: this.max };
  }

  /**
   * A record (or a child partition of it) was skipped: the bookmark stays below its value for the
   * rest of the run, so the next run reads it again.
   */
  skipped(value: unknown): void {
    const c = comparable(value, this.options.kind);
    if (c === undefined) {
      // No value to hold below: hold at the start.
      this.ceiling = { cmp: Number.NEGATIVE_INFINITY, value: '' };
      return;
    }
    if (this.ceiling === undefined || c < this.ceiling.cmp) this.ceiling = { cmp: c, value: value as BookmarkValue };
  }

  /** Stream end: commit the highest value seen, capped at the signpost. */
  finish(): void {
    const floor = this.floor ?? this.start;
    const floorCmp = comparable(floor, this.options.kind);
    if (this.ceiling !== undefined) {
      // Something was skipped: commit what a checkpoint already did, or keep the old bookmark.
      const keep = this.committed?.value ?? floor;
      if (keep !== undefined) this.state.setBookmark(this.options, keep);
      return;
    }
    if (this.max === undefined || this.maxCmp === undefined || (floorCmp !== undefined && this.maxCmp < floorCmp)) {
      if (floor !== undefined) this.state.setBookmark(this.options, floor);
      return;
    }
    let value = this.max;
    // Unsorted streams (and "sorted" ones that turned out not to be) never commit past the sync's start.
    const unsorted = !(this.options.sorted && this.sortedSoFar);
    if (unsorted && this.signpostCmp !== undefined && this.maxCmp > this.signpostCmp && this.options.signpost !== undefined) {
      value = this.options.signpost;
    }
    const epochCap = unsorted ? epochCapOf(this.options, this.maxCmp) : undefined;
    if (epochCap !== undefined && typeof this.maxCmp === 'number' && this.maxCmp > epochCap && (floorCmp === undefined || epochCap >= (floorCmp as number))) value = epochCap;
    this.state.setBookmark(this.options, value);
  }
}

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
