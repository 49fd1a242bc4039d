/**
 * Fetches the next page while the current one is being written. When the consumer stops early (an
 * error, a stop, `--test`), `abandon` is called first: the page in flight, and its retries, are
 * cancelled instead of waited for.
 */
export async function* prefetch<T>(source: AsyncIterable<T>, abandon?: () => void): AsyncGenerator<T> {
  const it = source[Symbol.asyncIterator]();
  let pending = it.next();
  let done = false;
  try {
    for (;;) {
      const result = await pending;
      if (result.done) {
        done = true;
        return;
      }
      pending = it.next();
      pending.catch(() => {});
      yield result.value;
    }
  } finally {
    if (!done) abandon?.();
    await it.return?.();
  }
}
