import type { Logger } from '../log/log.js';
import type { MessageSink } from '../output/sink.js';
import type { HttpClient } from '../http/index.js';
import type { Tap } from '../tap/tap.js';
import type { StateManager } from './state.js';
import type { ChosenStream } from './stream-plan.js';
import type { ErrorPolicy } from './errorpolicy.js';

export type SyncMode = 'sync' | 'test';

/** How much of the sync may run at once; the HTTP client's request budget bounds the requests. */
export interface Concurrency {
  /** Top-level streams (with their children) read at once. */
  streams: number;
  /** Pages of one stream requested at once, where the paginator can compute their positions. */
  pages: number;
  /** Child partitions (one parent record each) requested at once. */
  partitions: number;
}

/** What a sync run is given: the tap, its settings, the chosen streams, state, the sink, limits. */
export interface SyncOptions<S> {
  tap: Tap<S>;
  settings: S;
  /** Selection per stream, the schema to use (the input catalog's, or the tap's own) and the key properties. */
  streams: Map<string, ChosenStream>;
  state: StateManager;
  stateGiven: boolean;
  writer: MessageSink;
  log: Logger;
  http: HttpClient;
  /** `test`: the run over a sampled plan (run/sample.ts); the one place the mode is read. */
  mode: SyncMode;
  /** False: nothing is committed (no STATE, no ACTIVATE_VERSION), as in `--test`. Default true. */
  commits?: boolean;
  startDate?: string;
  activateVersion: boolean;
  /** Default: everything one at a time. */
  concurrency?: Concurrency;
  /** Set by a signal handler: stop at the next page boundary. */
  signal: { stopped: boolean; name?: string };
  /** `skip`: a bad record or a failing child partition is skipped, said and counted (default `fail`). */
  errorPolicy?: ErrorPolicy;
}
