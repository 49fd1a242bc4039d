import type { ErrorPolicyGuard } from './errorpolicy.js';

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
