import type { JsonObject } from '../core/json.js';
import { UserError } from '../core/errors.js';
import { stringifyJson } from '../core/jsontext.js';
import type { KeyKind } from '../records/schema.js';
import { comparable, epochCapOf, type Comparable } from './comparable.js';
import type { Bookmark, BookmarkValue } from './state-file.js';

/** Where a stream's progress writes its bookmark (the run's StateManager). */
export interface BookmarkStore {
  setBookmark(options: ProgressOptions, value: BookmarkValue): void;
  warnUnsorted(stream: string, value: string, max: string): void;
}

/** One string per parent context, whatever the order of its keys (nested values kept whole). */
export function contextKey(context: JsonObject | undefined): string {
  return context ? stringifyJson(Object.entries(context).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : '';
}

export type Partition = NonNullable<Bookmark['partitions']>[number];

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

  constructor(private readonly state: BookmarkStore, readonly options: ProgressOptions, previous: BookmarkValue | undefined) {
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
