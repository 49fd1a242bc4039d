import type { JsonObject } from '../core/json.js';
import type { StreamRun } from './stream-plan.js';

/**
 * One child partition to read for one parent record. `settle` is shared by the partitions of one
 * parent record: the parent's bookmark may pass that record only once every one of them is complete.
 */
export interface PendingPartition {
  child: StreamRun;
  context: JsonObject;
  parent: JsonObject;
  onSkip: () => void;
  settle: ParentSettlement;
}

/**
 * The children of one parent record still being read. When the last one ends, the record's
 * replication value is observed (the parent's bookmark may then pass it) if every one was read to
 * its end (or skipped under the error policy, which holds the bookmark below it instead).
 */
export class ParentSettlement {
  private remaining: number;
  private complete = true;

  constructor(count: number, private readonly onComplete: () => void) {
    this.remaining = count;
    if (count === 0) onComplete();
  }

  /** One partition ended: read to its end (`complete`) or not (stopped, aborted). */
  ended(complete: boolean): void {
    if (!complete) this.complete = false;
    if (--this.remaining === 0 && this.complete) this.onComplete();
  }
}
