import { getHeapSpaceStatistics } from 'node:v8';

/**
 * Keeps the heap near what a sync holds. Pages read and written in a loop promote most of what they
 * allocate to the old generation, where V8 lets garbage pile up to a limit it raises as it pleases:
 * on a busy machine a 1,000,000-record sync peaked at 300 MB where it usually held 130. When the
 * process runs with `--expose-gc` (the taps' own launchers do), a full collection is made once the
 * old generation has grown `slackBytes` beyond what the last one left; without it this does nothing.
 * Counting the whole heap, the young generation's own garbage called for some of those collections;
 * the old generation alone is what grows. With the launchers' 4 MB young generation, 1,000,000
 * records: the whole heap with 8 MB of slack peaked at 96-97 MB (268 full collections); the old
 * generation with 7 MB at 96-100 MB (210), with 5 MB at 93 MB (275), with 4 MB at 94 MB (297).
 */
export class HeapBudget {
  private readonly gc = (globalThis as { gc?: () => void }).gc;
  private floor = 0;

  constructor(private readonly slackBytes = 5 * 1024 * 1024) {}

  /** Called between pages. */
  check(): void {
    if (!this.gc) return;
    const used = oldGenerationBytes();
    if (this.floor === 0) this.floor = used;
    if (used < this.floor + this.slackBytes) {
      // V8 collected on its own meanwhile: that is the new floor.
      if (used < this.floor) this.floor = used;
      return;
    }
    this.gc();
    this.floor = oldGenerationBytes();
  }
}

/**
 * What the old generation holds (every space but the young one). The young generation empties
 * itself in cheap scavenges; counting it made a full collection follow each few MB of short-lived
 * records (more of them, the larger the young generation).
 */
function oldGenerationBytes(): number {
  let bytes = 0;
  for (const space of getHeapSpaceStatistics()) {
    if (space.space_name !== 'new_space' && space.space_name !== 'new_large_object_space') bytes += space.space_used_size;
  }
  return bytes;
}
