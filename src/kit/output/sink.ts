import type { JsonObject } from '../core/json.js';
import type { SingerMessage } from './singer.js';

/**
 * Where the sync sends its messages: the MessageWriter (stdout) or the output chain in front of it.
 * The narrow interface the run depends on, so neither side imports the other's classes.
 */
export interface MessageSink {
  /** Messages accepted so far (a STATE checkpoint is skipped when nothing was written since the last). */
  readonly count: number;
  write(message: SingerMessage): void;
  /** A RECORD: the hot path, without a message object per record. */
  record(stream: string, record: JsonObject, timeExtracted: string, version?: number): void;
  /** Resolves when the consumer has caught up (back-pressure; called between pages). */
  ready(): Promise<void>;
  /** Completes what is pending and flushes. */
  close(): Promise<void>;
}
