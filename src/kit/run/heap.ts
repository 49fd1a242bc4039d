import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets the heap grow past what was live after a full collection before it collects again,
 * during a sync: 50% (1.5x). V8's own factor reaches 3-4x on a small heap. A sync reads pages ahead
 * (up to `max_parallel_requests` at once), and a parsed page that waits for its turn outlives the
 * 2 MB young generation: that garbage piled up to ~30 MB above the ~13 MB live before V8 collected it,
 * with the response buffers it holds, so a long sync peaked ~30% above a short one (bench/results.md).
 * Bounded, a sync of a million records peaks where one of ten thousand does, for a few % more CPU.
 */
export const HEAP_GROWING_PERCENT = 50;

/** Sets the bound for the rest of the process (V8 reads it at every full collection). */
export function boundHeapGrowth(percent = HEAP_GROWING_PERCENT): void {
  setFlagsFromString(`--heap-growing-percent=${percent}`);
}
