import { setTimeout as sleep } from 'node:timers/promises';
import { header, resetSeconds, type Headers } from './retry.js';

export interface BudgetOptions {
  /** Requests in flight at once, across the whole tap (retries of a request hold its slot). */
  maxInFlight: number;
  /** Request attempts started per second, across the whole tap; undefined or 0: no limit. */
  maxPerSecond?: number;
  /** Longest pause accepted from a server header, in seconds. */
  maxWaitSeconds?: number;
  /** Aborts every wait (a signal stopping the tap). */
  signal?: AbortSignal;
}

/**
 * One request budget for the whole tap: at most `maxInFlight` requests at once, attempts spaced to
 * `maxPerSecond`, the server's quota (`RateLimit-Remaining` / `X-RateLimit-Remaining` with their
 * reset) respected before it answers 429, and a 429 pausing every request of the tap, not just one.
 */
export class RequestBudget {
  private inFlight = 0;
  private readonly queue: Array<() => void> = [];
  private nextStartMs = 0;
  private pausedUntilMs = 0;
  /** What the server said is left of its quota, and when that quota resets. */
  private quota: number | undefined;
  private quotaResetMs = 0;
  readonly maxInFlight: number;

  constructor(private readonly options: BudgetOptions) {
    this.maxInFlight = Math.max(1, Math.floor(options.maxInFlight));
  }

  /** Waits for a free slot; call the returned function when the request (with its retries) is over. */
  async slot(): Promise<() => void> {
    if (this.inFlight >= this.maxInFlight) await new Promise<void>((resolve) => this.queue.push(resolve));
    else this.inFlight++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.queue.shift();
      if (next) next(); // the slot passes to the next waiter
      else this.inFlight--;
    };
  }

  /** Before every attempt (retries included): waits out a pause, the rate and an exhausted server quota. */
  async start(): Promise<void> {
    for (;;) {
      const now = Date.now();
      let until = this.pausedUntilMs;
      if (this.quota !== undefined && this.quota <= 0) {
        if (now >= this.quotaResetMs) this.quota = undefined;
        else until = Math.max(until, this.quotaResetMs);
      }
      if (until <= now) break;
      await sleep(until - now, undefined, { signal: this.options.signal });
    }
    if (this.quota !== undefined) this.quota--;
    const rate = this.options.maxPerSecond;
    if (rate && rate > 0) {
      const now = Date.now();
      const at = Math.max(now, this.nextStartMs);
      this.nextStartMs = at + 1000 / rate;
      if (at > now) await sleep(at - now, undefined, { signal: this.options.signal });
    }
  }

  /** After every response: reads the server's remaining quota. */
  observe(headers: Headers, now = Date.now()): void {
    const remaining = Number(header(headers, 'ratelimit-remaining') ?? header(headers, 'x-ratelimit-remaining') ?? NaN);
    if (!Number.isFinite(remaining)) return;
    const reset = resetSeconds(header(headers, 'ratelimit-reset') ?? header(headers, 'x-ratelimit-reset'), now) ?? 1;
    this.quota = Math.max(0, remaining);
    this.quotaResetMs = now + Math.min(reset, this.options.maxWaitSeconds ?? 600) * 1000;
  }

  /** A 429 (or the server's delay): no request of the tap starts for `seconds`. */
  pause(seconds: number, now = Date.now()): void {
    this.pausedUntilMs = Math.max(this.pausedUntilMs, now + seconds * 1000);
  }
}
