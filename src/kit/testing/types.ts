/** What a conformance check concluded. `warn` passes (the exit code stays 0) but says what to improve. */
export type CheckStatus = 'pass' | 'fail' | 'skip' | 'warn';

/** One check's outcome: a status, one line saying why, and every problem found (for a failure or a warning). */
export interface CheckResult {
  /** Stable identifier (`about`, `sync-records`, ...). */
  id: string;
  /** What the check asserts, in a few words. */
  title: string;
  status: CheckStatus;
  /** One line: what passed, or the first problem and how many more. */
  reason: string;
  /** Every problem found (at most 50), for `--verbose`, JSON output and test failures. */
  details: string[];
}

/** How to run the tap under test, and what cannot be guessed from the tap itself. */
export interface ConformanceOptions {
  /** The tap's command line, e.g. `['bin/tap-acme']` or `['python', 'tap.py']`; the suite appends the Singer flags. */
  command: readonly string[];
  /** Config files passed as `--config FILE` (in this order) to every run that needs one. */
  config: readonly string[];
  /** Streams left out of every catalog the suite passes (deselected), e.g. ones the test account cannot read. */
  skipStreams?: readonly string[];
  /** Checks not run (reported as skipped), by id. */
  skipChecks?: readonly string[];
  /** A state file the first sync starts from (bounds a large source); the resumed sync starts from that sync's final STATE. */
  state?: string;
  /** Seconds each run of the tap may take before it is stopped and its check fails (default 300). */
  timeoutSeconds?: number;
  /** Runs of the tap at once (default 2). */
  concurrency?: number;
  /** Working directory of the tap's runs (default: the current one). */
  cwd?: string;
  /** Environment variables added to (or, with `undefined`, removed from) the current environment for every run. */
  env?: Readonly<Record<string, string | undefined>>;
}

/** Every check's result, in the suite's order. */
export interface ConformanceReport {
  command: readonly string[];
  results: CheckResult[];
  /** No check failed (skips and warnings allowed). */
  ok: boolean;
}
