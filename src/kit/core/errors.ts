/**
 * A problem the user can fix (bad config, bad catalog, a 401, an unreachable server).
 * The CLI prints its message as one line and exits 1, with no stack trace.
 */
export class UserError extends Error {
  override readonly name = 'UserError';
  constructor(message: string, readonly exitCode = 1, options?: ErrorOptions) {
    super(message, options);
  }
}

/**
 * The output cannot be written (a BATCH file on a full disk, a read-only folder): a user-facing
 * problem (exit 1, one line), but never one record's fault, so the `skip` error policy never skips it.
 */
export class OutputError extends UserError {}

/** A non-retryable (or retries exhausted) HTTP failure; already redacted. */
export class HttpError extends UserError {
  readonly method: string;
  readonly url: string;
  readonly status: number | undefined;
  readonly detail: string;

  constructor(failure: HttpFailure) {
    const { method, url, status, detail } = failure;
    super(`${method} ${url} failed: ${status ? `HTTP ${status}` : 'no response'}${withoutStatus(detail, status) ? ` - ${withoutStatus(detail, status)}` : ''}`);
    this.method = method;
    this.url = url;
    this.status = status;
    this.detail = detail;
  }
}

/** What failed: the request's method and (redacted) URL, the status if any answer came, the server's words. */
export interface HttpFailure {
  method: string;
  url: string;
  status: number | undefined;
  detail: string;
}

/** `401 Unauthorized (check ...)` after `HTTP 401` says the status twice: keep the words only. */
function withoutStatus(detail: string, status: number | undefined): string {
  return status ? detail.replace(new RegExp(`^${status}\\b[\\s:-]*`), '') : detail;
}

/** A user-facing error from a stream's requests names that stream (a child's, not its parent's). */
export function inStream(error: unknown, stream: string): unknown {
  if (error instanceof UserError && !error.message.startsWith('stream ')) return new UserError(`stream '${stream}': ${error.message}`, error.exitCode, { cause: error });
  return error;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
