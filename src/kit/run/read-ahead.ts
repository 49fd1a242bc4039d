/**
 * Starts reading `source` at once and keeps up to `size` items ready, so their requests run while
 * the consumer is busy elsewhere (writing the previous page, or another partition). Items come out
 * in order; a failure comes out where it happened. Reading pauses when `size` items wait.
 */
export function readAhead<T>(source: AsyncIterable<T>, size: number, abandon?: () => void): AsyncIterable<T> & { close(): Promise<void> } {
  const it = source[Symbol.asyncIterator]();
  const ready: Array<IteratorResult<T> | { error: unknown }> = [];
  let wake: (() => void) | undefined;
  let space: (() => void) | undefined;
  let finished = false;
  let closed = false;
  const pump = async () => {
    while (!finished && !closed) {
      if (ready.length >= Math.max(1, size)) {
        await new Promise<void>((resolve) => { space = resolve; });
        continue;
      }
      try {
        const r = await it.next();
        ready.push(r);
        if (r.done) finished = true;
      } catch (error) {
        ready.push({ error });
        finished = true;
      }
      wake?.();
      wake = undefined;
    }
  };
  void pump();
  // Closed before the end (an error, a stop, --test): `abandon` cancels what is in flight first, so
  // closing does not wait for a page nobody will read (and its retries).
  const close = async () => {
    if (closed) return;
    closed = true;
    space?.();
    if (finished) return;
    abandon?.();
    await it.return?.()?.catch(() => undefined);
  };
  return {
    close,
    async *[Symbol.asyncIterator]() {
      try {
        for (;;) {
          if (ready.length === 0) await new Promise<void>((resolve) => { wake = resolve; });
          const r = ready.shift() as IteratorResult<T> | { error: unknown };
          space?.();
          space = undefined;
          if ('error' in r) throw r.error;
          if (r.done) return;
          yield r.value;
        }
      } finally {
        await close();
      }
    },
  };
}
