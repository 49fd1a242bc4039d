import type { Concurrency, SyncOptions } from './options.js';
import type { StreamRun } from './stream-plan.js';

const ONE_AT_A_TIME: Concurrency = { streams: 1, pages: 1, partitions: 1 };

/**
 * `--test`: the same run over a sampled plan. Every stream writes at most one record (a parent reads
 * on, without writing, until its children have theirs), one thing at a time, and nothing is committed:
 * no STATE, no ACTIVATE_VERSION. The runner knows nothing of `--test`, only of `limit` and `commits`.
 */
export function sampleOptions<S>(o: SyncOptions<S>): SyncOptions<S> {
  return { ...o, concurrency: ONE_AT_A_TIME, commits: false };
}

/** Caps every stream of the plan at `records` records. */
export function samplePlan(runs: ReadonlyMap<string, StreamRun>, records = 1): void {
  for (const run of runs.values()) run.limit = records;
}

/** True once a stream wrote as many records as its plan allows (never for a stream without a limit). */
export function full(run: StreamRun): boolean {
  return run.limit !== undefined && run.count >= run.limit;
}

/**
 * A stream with a limit is done once it has its records and each of its needed children is done (a
 * parent whose first records have no children reads on until one has). Never for a stream without one.
 */
export function sampled(run: StreamRun): boolean {
  if (run.limit === undefined) return false;
  if (run.selected && run.count < run.limit) return false;
  return run.children.every((c) => !c.needed || sampled(c));
}
