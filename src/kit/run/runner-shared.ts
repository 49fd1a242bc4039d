import type { Page } from '../paging/page.js';
import type { GenericStream, RestStream, StreamContext } from '../tap/stream.js';
import type { ErrorPolicyGuard } from './errorpolicy.js';
import type { StreamProgress } from './progress.js';
import type { StreamRun } from './stream-plan.js';

/** How much of one stream may run at once (the request budget bounds the total). */
export interface RunnerLimits {
  /** Pages of one stream requested at once, where the paginator can plan them. */
  pages: number;
  /** Child partitions (one parent record each) requested at once; written in parent order. */
  partitions: number;
}

/** What every stream of one sync shares with the runner. */
export interface RunnerShared {
  limits: RunnerLimits;
  /** The sync's start time: unsorted streams never commit a bookmark past it. */
  signpost: string;
  /** True once the run must stop at the next safe point (a signal, or another stream failed). */
  stopping: () => boolean;
  /** The error policy: a bad record or a failing child partition skipped (said and counted) or fatal. */
  errors: ErrorPolicyGuard;
}

/** A stream or partition whose requests are running, with its bookkeeping, waiting to be written. */
export interface OpenStream<S> {
  run: StreamRun;
  def: RestStream<S> | GenericStream<S>;
  ctx: StreamContext<S>;
  progress: StreamProgress | undefined;
  pages: AsyncIterable<Page> & { close(): Promise<void> };
  /** Cancels the requests in flight (and their retries) when the stream is closed before its end. */
  inFlight: { signal: AbortSignal; abort(): void; release(): void };
  /** False when the list kept changing through every read (rows that moved may be missing). */
  outcome: { settled: boolean };
}
