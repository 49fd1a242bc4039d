import type { JsonObject } from '../core/json.js';
import type { SingerMessage } from './singer.js';

/**
 * Where the sync sends its messages: the MessageWriter (stdout) or the output chain in front of it.
 * The narrow interface the run depends on, so neither side imports the other's classes.
 */
/** What a RECORD message carries besides the record: when it was extracted and the table version, if any. */
export interface RecordStamp {
  readonly timeExtracted: string;
  readonly version?: number;
}

export interface MessageSink {
  /** Messages accepted so far (a STATE checkpoint is skipped when nothing was written since the last). */
  readonly count: number;
  write(message: SingerMessage): void;
  /** A RECORD: the hot path, without a message object per record (a stamp is shared by a page's records). */
  record(stream: string, record: JsonObject, stamp: RecordStamp): void;
  /** Resolves when the consumer has caught up (back-pressure; called between pages). */
  ready(): Promise<void>;
  /** Completes what is pending and flushes. */
  close(): Promise<void>;
}
