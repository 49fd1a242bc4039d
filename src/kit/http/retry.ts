/**
 * The retry policy of every request: which failures are retried, and how long to wait before the
 * next attempt (exponential backoff with jitter, or what the server asked for).
 */

/** Statuses worth another attempt: timeouts, rate limits, server and proxy errors. */
export const RETRY_STATUS = [408, 429, 500, 502, 503, 504, 520, 521, 522, 523, 524];

/** A 2xx whose body is not complete JSON (cut short, or a proxy's HTML page): retried like a reset. */
export const BAD_BODY = 'ERR_INCOMPLETE_BODY';

/** Network failures worth another attempt. */
export const NETWORK_CODES = [BAD_BODY, 'ETIMEDOUT', 'ECONNRESET', 'EADDRINUSE', 'ECONNREFUSED', 'EPIPE', 'ENOTFOUND', 'ENETUNREACH', 'EAI_AGAIN', 'ESOCKETTIMEDOUT', 'ECONNABORTED'];

/**
 * Network failures that say nothing listens there (a closed port, a host that does not exist): a
 * server restarting may refuse for a moment, but a wrong `base_url` never heals, so these get a
 * short, bounded retry (seconds), not the full backoff.
 */
export const UNREACHABLE_CODES = ['ECONNREFUSED', 'ENOTFOUND'];
/** Retries of an unreachable server, each at most `UNREACHABLE_DELAY_SECONDS` later. */
export const UNREACHABLE_RETRIES = 2;
export const UNREACHABLE_DELAY_SECONDS = 1;

/** What a network error code means, for people. */
export function networkProblem(code: string | undefined): string | undefined {
  if (code === 'ECONNREFUSED') return 'connection refused (is the server up, and is the base URL right?)';
  if (code === 'ENOTFOUND') return 'host not found (is the base URL right?)';
  return undefined;
}

export type Headers = Record<string, string | string[] | undefined>;

/** One header value (the first when repeated). */
export function header(headers: Headers, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Seconds until a rate-limit reset header's moment: epoch seconds (> 1e9) or a delta in seconds. */
export function resetSeconds(value: string | undefined, now = Date.now()): number | undefined {
  const reset = Number(value);
  if (value === undefined || value === '' || !Number.isFinite(reset) || reset < 0) return undefined;
  return reset > 1e9 ? Math.max(0, reset - now / 1000) : reset;
}

/** A 429, or a 403 that says the rate-limit quota is spent (GitHub-style `X-RateLimit-Remaining: 0`). */
export function isRateLimited(status: number, headers: Headers): boolean {
  if (status === 429) return true;
  const remaining = header(headers, 'x-ratelimit-remaining') ?? header(headers, 'ratelimit-remaining');
  return status === 403 && remaining?.trim() === '0';
}

/**
 * Seconds to wait according to `Retry-After` (seconds or HTTP date) or, for a rate-limit answer (429,
 * or a 403 saying the quota is spent), `X-RateLimit-Reset` (epoch or delta). An empty header is no hint.
 */
export function serverDelaySeconds(headers: Headers, now = Date.now(), status?: number): number | undefined {
  const retryAfter = header(headers, 'retry-after')?.trim();
  if (retryAfter) {
    const secs = Number(retryAfter);
    if (Number.isFinite(secs)) return Math.max(0, secs);
    const at = Date.parse(retryAfter);
    if (Number.isFinite(at)) return Math.max(0, (at - now) / 1000);
  }
  // A reset time says when the quota refills: no reason to sleep that long on a 502.
  if (status !== undefined && !isRateLimited(status, headers)) return undefined;
  const raw = header(headers, 'x-ratelimit-reset') ?? header(headers, 'ratelimit-reset');
  return Number(raw) > 0 ? resetSeconds(raw, now) : undefined;
}

export interface RetryPolicy {
  /** Seconds of the first backoff; doubles each retry, with jitter. */
  backoffSeconds: number;
  /** Longest wait accepted from a server header, in seconds. */
  maxWaitSeconds: number;
}

/** One failed attempt: its number (1-based), its status, the server's own delay, and whether it was rate limited (default: a 429). */
export interface RetryAttempt {
  attempt: number;
  status: number | undefined;
  fromServer: number | undefined;
  rateLimited?: boolean;
}

/**
 * Seconds before retry number `attempt` (1-based): the server's own delay when it gave one (capped),
 * else exponential backoff with jitter, from 4x the base after a 429 without a hint (so five retries
 * span over a minute), never more than 60 s.
 */
export function retryDelaySeconds(policy: RetryPolicy, failure: RetryAttempt): number {
  const { attempt, status, fromServer } = failure;
  const rateLimited = failure.rateLimited ?? status === 429;
  if (fromServer !== undefined) return Math.min(fromServer, policy.maxWaitSeconds);
  const base = rateLimited ? policy.backoffSeconds * 4 : policy.backoffSeconds;
  const exp = Math.min(60, base * 2 ** (attempt - 1));
  return exp / 2 + (Math.random() * exp) / 2;
}
