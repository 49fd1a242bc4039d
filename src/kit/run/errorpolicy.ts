import { HttpError, OutputError, UserError } from '../core/errors.js';
import type { Logger } from '../log/log.js';

/** What a stream does when one record or one child partition fails: fail the run (default) or skip it. */
export type ErrorPolicy = 'fail' | 'skip';

/**
 * The opt-in `skip` error policy (meltano/sdk#280): a record that does not fit its schema, or a child
 * partition whose request fails with a client error (404, 403, 410, 422...), is skipped with a WARN
 * line and counted in a `skipped_count` METRIC, never silently; the sync loop keeps bookmarks below
 * what was skipped, so the next run reads it again. Anything else (auth, 5xx after retries, a bug)
 * still fails the run.
 */
export class ErrorPolicyGuard {
  private readonly counts = new Map<string, number>();

  constructor(readonly policy: ErrorPolicy, private readonly log: Logger) {}

  /** A record that could not be written: true when it is skipped (the caller goes on). */
  skipRecord(stream: string, error: unknown): boolean {
    if (this.policy !== 'skip' || !(error instanceof UserError) || error instanceof HttpError || error instanceof OutputError) return false;
    return this.skip(stream, 'record', error);
  }

  /** A child partition that failed: true when it is skipped. */
  skipPartition(stream: string, context: unknown, error: unknown): boolean {
    const http = error instanceof HttpError ? error : error instanceof Error && error.cause instanceof HttpError ? error.cause : undefined;
    if (this.policy !== 'skip' || !http || !(error instanceof UserError)) return false;
    const status = http.status ?? 0;
    if (status < 400 || status >= 500 || status === 401 || status === 429) return false;
    return this.skip(stream, `partition ${JSON.stringify(context)}`, error);
  }

  private skip(stream: string, what: string, error: UserError): boolean {
    this.counts.set(stream, (this.counts.get(stream) ?? 0) + 1);
    this.log.warn(`stream '${stream}': ${what} skipped (error_policy: skip; the bookmark stays before it): ${error.message}`);
    return true;
  }

  /** How many records or partitions of `stream` were skipped so far. */
  skipped(stream: string): number {
    return this.counts.get(stream) ?? 0;
  }

  /** `skipped_count` METRIC of a stream that skipped anything. */
  metric(stream: string): void {
    const n = this.counts.get(stream);
    if (n) this.log.counter('skipped_count', n, { stream });
  }
}
