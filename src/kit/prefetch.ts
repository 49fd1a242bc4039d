/** Fetches the next page while the current one is being written. */
export async function* prefetch<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
  const it = source[Symbol.asyncIterator]();
  let pending = it.next();
  try {
    for (;;) {
      const result = await pending;
      if (result.done) return;
      pending = it.next();
      pending.catch(() => {});
      yield result.value;
    }
  } finally {
    await it.return?.();
  }
}
