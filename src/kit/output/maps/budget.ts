import { PyError } from './pyerror.js';

/**
 * What the map expressions of one record may spend, so that a mistaken expression (a triple
 * comprehension, `'a' * 10**9`) is one clear error naming stream and property instead of a process
 * out of memory or stuck: steps (expression nodes evaluated, items iterated, compared or copied)
 * and bytes of values built (a string by its length, 8 per list item or dict entry, an integer by
 * its size). Evaluation is synchronous, so one budget is active at a time.
 */
export const MAX_STEPS = 1_000_000;
export const MAX_BYTES = 64 * 1024 * 1024;

/** A budget exceeded: the message says which and by how much, without a Python exception name. */
export class BudgetError extends PyError {
  constructor(message: string) {
    super('BudgetError', message);
    this.message = message;
  }
}

export class Budget {
  steps = 0;
  bytes = 0;

  constructor(readonly maxSteps = MAX_STEPS, readonly maxBytes = MAX_BYTES) {}

  reset(): void {
    this.steps = 0;
    this.bytes = 0;
  }
}

let active = new Budget();

/** Makes `budget` the one that `spend` and `reserve` charge; returns the previous one, for `leave`. */
export function enter(budget: Budget): Budget {
  const previous = active;
  active = budget;
  return previous;
}

/** Restores the budget `enter` returned (in a `finally`). */
export function leave(previous: Budget): void {
  active = previous;
}

/** Charges `n` steps. */
export function spend(n: number): void {
  active.steps += n;
  if (!(active.steps <= active.maxSteps)) {
    throw new BudgetError(`the expressions take more than ${active.maxSteps.toLocaleString('en')} steps for one record (the limit of map expressions)`);
  }
}

/** Charges `n` bytes about to be built (call it before building what could be huge). */
export function reserve(n: number): void {
  active.bytes += n;
  if (!(active.bytes <= active.maxBytes)) {
    throw new BudgetError(`the expressions build more than ${Math.round(active.maxBytes / 1024 / 1024)} MB of values for one record (the limit of map expressions)`);
  }
}

/** Charges a value just built (a string, a list, a big integer) and returns it. */
export function charged<T>(v: T): T {
  if (typeof v === 'string') reserve(v.length);
  else if (Array.isArray(v)) reserve(8 * v.length);
  return v;
}
