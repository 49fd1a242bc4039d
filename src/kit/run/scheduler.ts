/**
 * Runs tasks with at most `limit` at once, in the order given. When one fails, no further task
 * starts, `onFailure` tells the running ones to stop at their next safe point, and the first error
 * is thrown once every running task has settled (nothing keeps writing after the run has failed).
 */
export async function runBounded(tasks: ReadonlyArray<() => Promise<void>>, limit: number, onFailure: () => void = () => {}): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (!failure && next < tasks.length) {
      const task = tasks[next++] as () => Promise<void>;
      try {
        await task();
      } catch (error) {
        if (!failure) {
          failure = { error };
          onFailure();
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, tasks.length)) }, worker));
  if (failure) throw failure.error;
}
