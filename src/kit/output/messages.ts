import type { JsonObject } from '../core/json.js';
import type { SingerMessage } from './singer.js';
import { writeSync } from 'node:fs';
import { stringifyJson } from '../core/jsontext.js';
import type { MessageSink, RecordStamp } from './sink.js';

export type { SchemaMessage, RecordMessage, StateMessage, ActivateVersionMessage, BatchMessage, SingerMessage } from './singer.js';

const FLUSH_AT = 64 * 1024;

/**
 * The one writer of stdout. Messages are serialised to compact JSON lines and buffered; the buffer is
 * handed to the stream in 64 KiB chunks, and `ready()` waits while the reader is behind, so a slow
 * target slows the tap down instead of growing its memory.
 */
export class MessageWriter implements MessageSink {
  private chunks: string[] = [];
  private size = 0;
  private blocked: Promise<void> | null = null;
  private readonly prefixes = new Map<string, string>();
  private extracted = '';
  private extractedJson = '""';
  /** Chunks handed to the stream and not yet confirmed written (the first may be half in the OS pipe). */
  private readonly inFlight: Buffer[] = [];
  count = 0;

  constructor(private readonly out: NodeJS.WritableStream = process.stdout) {}

  write(message: SingerMessage): void {
    this.push(stringifyJson(message) + '\n');
  }

  private push(line: string): void {
    this.chunks.push(line);
    this.size += line.length;
    this.count++;
    if (this.size >= FLUSH_AT) this.flush();
  }

  /** Writes a RECORD: only the record is serialised per call, the rest of the line is cached per stream. */
  record(stream: string, record: JsonObject, stamp: RecordStamp): void {
    const { timeExtracted, version } = stamp;
    let prefix = this.prefixes.get(stream);
    if (prefix === undefined) {
      prefix = `{"type":"RECORD","stream":${JSON.stringify(stream)},"record":`;
      this.prefixes.set(stream, prefix);
    }
    if (timeExtracted !== this.extracted) {
      this.extracted = timeExtracted;
      this.extractedJson = JSON.stringify(timeExtracted);
    }
    const tail = version === undefined ? '}\n' : `,"version":${version}}\n`;
    this.push(`${prefix}${stringifyJson(record)},"time_extracted":${this.extractedJson}${tail}`);
  }

  private flush(): void {
    if (this.size === 0) return;
    const data = Buffer.from(this.chunks.join(''));
    this.chunks = [];
    this.size = 0;
    this.inFlight.push(data);
    const ok = this.out.write(data, () => this.inFlight.shift());
    if (!ok && !this.blocked) {
      this.blocked = new Promise((resolve) => this.out.once('drain', () => {
        this.blocked = null;
        resolve();
      }));
    }
  }

  /** Hands what is buffered to stdout and resolves when the consumer has caught up (call between pages). */
  async ready(): Promise<void> {
    this.flush();
    if (this.blocked) await this.blocked;
  }

  /**
   * Before a forced exit (a reader that stopped reading, a second signal): what is buffered is dropped,
   * but a line the OS pipe holds only the start of is completed, so the reader never sees half a line.
   * Gives up after `waitMs` if the reader takes nothing at all. Returns false when a line stays cut.
   */
  completeLine(waitMs = 2000): boolean {
    const first = this.inFlight[0];
    const handle = (this.out as { _handle?: { writeQueueSize?: unknown } })._handle;
    const queued = handle?.writeQueueSize;
    if (!first || typeof queued !== 'number' || queued <= 0 || queued >= first.length) return true;
    let at = first.length - queued;
    if (first[at - 1] === 0x0a) return true;
    const end = first.indexOf(0x0a, at) + 1;
    const fd = (this.out as { fd?: unknown }).fd;
    if (typeof fd !== 'number' || end <= 0) return false;
    const deadline = Date.now() + waitMs;
    const pause = new Int32Array(new SharedArrayBuffer(4));
    while (at < end) {
      try {
        at += writeSync(fd, first, at, end - at);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EAGAIN' || Date.now() > deadline) return false;
        Atomics.wait(pause, 0, 0, 20);
      }
    }
    return true;
  }

  /** Flushes everything and waits until the OS has it. */
  async close(): Promise<void> {
    this.flush();
    await this.ready();
    await new Promise<void>((resolve) => this.out.write('', () => resolve()));
  }
}
