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

/** How often a waiting request looks again (a response may have brought fresh quota). */
const POLL_MS = 50;

/**
 * One request budget for the whole tap:
 * - at most `maxInFlight` requests at once; a 429 halves that allowance and each success gives a
 *   little back (additive increase, multiplicative decrease, as TCP does), so 429s slow the whole tap;
 * - attempts spaced to `maxPerSecond`;
 * - the server's quota (`RateLimit-Remaining` / `X-RateLimit-Remaining`, with their reset) spent
 *   before a 429 can happen: at zero, requests wait for the reset, then one request probes for the
 *   fresh quota before the others follow;
 * - a 429's delay pausing every request of the tap, not just the one that got it.
 */
export class RequestBudget {
  private inFlight = 0;
  private allowance: number;
  private readonly queue: Array<() => void> = [];
  /** Attempts on the wire (retries included), bounded by the allowance too: a retry storm after a 429 is not a herd. */
  private attempts = 0;
  private readonly attemptQueue: Array<() => void> = [];
  private nextStartMs = 0;
  private pausedUntilMs = 0;
  /** Retries waiting out a pause: fresh requests let them go first. */
  private retriesWaiting = 0;
  /** What is left of the server's quota as far as we know, and when it resets. */
  private quota: number | undefined;
  private quotaResetMs = 0;
  readonly maxInFlight: number;

  constructor(private readonly options: BudgetOptions) {
    this.maxInFlight = Math.max(1, Math.floor(options.maxInFlight));
    this.allowance = this.maxInFlight;
  }

  /** Requests that may be in flight now (the allowance shrinks after 429s). */
  get limit(): number {
    return Math.max(1, Math.floor(this.allowance));
  }

  /** Waits for a free slot; call the returned function when the request (with its retries) is over. */
  async slot(): Promise<() => void> {
    if (this.inFlight >= this.limit) await new Promise<void>((resolve) => this.queue.push(resolve));
    else this.inFlight++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inFlight--;
      this.drain();
    };
  }

  private drain(): void {
    while (this.queue.length > 0 && this.inFlight < this.limit) {
      this.inFlight++;
      (this.queue.shift() as () => void)();
    }
  }

  /**
   * Before every attempt (retries included): waits out a pause, an exhausted server quota and the
   * rate, then for one of the allowed attempts on the wire. Call `attemptDone()` when it has an answer.
   */
  async start(retry = false): Promise<void> {
    if (retry) this.retriesWaiting++;
    try {
      await this.waitOutPauses(retry);
    } finally {
      if (retry) this.retriesWaiting--;
    }
    if (this.quota !== undefined) this.quota--;
    const rate = this.options.maxPerSecond;
    if (rate && rate > 0) {
      const now = Date.now();
      const at = Math.max(now, this.nextStartMs);
      this.nextStartMs = at + 1000 / rate;
      if (at > now) await sleep(at - now, undefined, { signal: this.options.signal });
    }
    if (this.attempts < this.limit) {
      this.attempts++;
      return;
    }
    const signal = this.options.signal;
    signal?.throwIfAborted();
    await new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        const i = this.attemptQueue.indexOf(turn);
        if (i >= 0) this.attemptQueue.splice(i, 1);
        reject(signal?.reason);
      };
      const turn = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.attemptQueue.push(turn);
    });
  }

  /**
   * Waits out a pause and an exhausted server quota. When a pause ends, the retries waiting in it go
   * first: were the fresh requests to race them, the same request could come last, and be refused,
   * at every pause until its retries run out.
   */
  private async waitOutPauses(retry: boolean): Promise<void> {
    for (;;) {
      const now = Date.now();
      let until = this.pausedUntilMs;
      if (this.quota !== undefined && this.quota <= 0) {
        if (now >= this.quotaResetMs) {
          // The quota should be back: one request goes to learn how much; the others wait for its answer.
          this.quota = 1;
          this.quotaResetMs = now + 1000;
        } else {
          until = Math.max(until, this.quotaResetMs);
        }
      }
      if (until <= now && (retry || this.retriesWaiting === 0)) return;
      await sleep(until > now ? Math.min(until - now, POLL_MS) : 1, undefined, { signal: this.options.signal });
    }
  }

  /** An attempt got its answer (a response, or a failure): its place on the wire goes to the next. */
  attemptDone(): void {
    if (this.attempts > 0) this.attempts--;
    this.drainAttempts();
  }

  private drainAttempts(): void {
    while (this.attemptQueue.length > 0 && this.attempts < this.limit) {
      this.attempts++;
      (this.attemptQueue.shift() as () => void)();
    }
  }

  /** After every response: the server's remaining quota, and success or rate limit for the allowance. */
  observe(status: number, headers: Headers, now = Date.now()): void {
    if (status === 429) this.allowance = Math.max(1, this.allowance / 2);
    else if (status < 400 && this.allowance < this.maxInFlight) {
      this.allowance = Math.min(this.maxInFlight, this.allowance + 1 / this.allowance);
      this.drain();
      this.drainAttempts();
    }
    const remaining = Number(header(headers, 'ratelimit-remaining') ?? header(headers, 'x-ratelimit-remaining') ?? NaN);
    if (!Number.isFinite(remaining)) return;
    const reset = resetSeconds(header(headers, 'ratelimit-reset') ?? header(headers, 'x-ratelimit-reset'), now) ?? 1;
    // Requests already in flight will spend some of what is left.
    this.quota = Math.max(0, remaining - Math.max(0, this.inFlight - 1));
    this.quotaResetMs = now + Math.min(reset, this.options.maxWaitSeconds ?? 600) * 1000;
  }

  /** A 429 (or the server's delay): no request of the tap starts for `seconds`. */
  pause(seconds: number, now = Date.now()): void {
    this.pausedUntilMs = Math.max(this.pausedUntilMs, now + seconds * 1000);
  }
}
