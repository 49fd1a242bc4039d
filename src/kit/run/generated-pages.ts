import type { JsonObject } from '../core/json.js';
import type { Page } from '../paging/page.js';

/** Records per page of a generic stream: a page is where bookmarks are checkpointed and back-pressure waits. */
export const GENERATED_PAGE_SIZE = 100;

/**
 * A generic stream's records as pages, so they go through the same loop as HTTP pages (conform,
 * write, bookmark, checkpoint, children). `close()` ends the source early (its `finally` runs).
 */
export function generatedPages(source: AsyncIterable<JsonObject> | Iterable<JsonObject>, stream: string, size = GENERATED_PAGE_SIZE): AsyncIterable<Page> & { close(): Promise<void> } {
  const iterator = toAsync(source)[Symbol.asyncIterator]();
  const url = `generic:${stream}`;
  const page = (records: JsonObject[]): Page => ({ url, status: 200, headers: {}, body: undefined, records });
  let done = false;
  return {
    async *[Symbol.asyncIterator]() {
      let batch: JsonObject[] = [];
      while (!done) {
        let next: IteratorResult<JsonObject>;
        try {
          next = await iterator.next();
        } catch (error) {
          // What was read before the source failed is written (and may be bookmarked), as pages before a failed request are.
          if (batch.length > 0) yield page(batch);
          throw error;
        }
        if (next.done) {
          done = true;
          break;
        }
        batch.push(next.value);
        if (batch.length >= size) {
          yield page(batch);
          batch = [];
        }
      }
      if (batch.length > 0) yield page(batch);
    },
    async close() {
      if (done) return;
      done = true;
      await iterator.return?.(undefined);
    },
  };
}

/** Records given sync or async, as an async iterable. */
async function* toAsync<T>(records: AsyncIterable<T> | Iterable<T>): AsyncGenerator<T> {
  yield* records;
}
