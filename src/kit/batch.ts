import { randomUUID } from 'node:crypto';
import { closeSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { UserError } from './errors.js';
import { isJsonObject, type JsonObject } from './json.js';
import type { BatchMessage } from './messages.js';

/**
 * BATCH messages (the SDK's `batch` capability): instead of RECORD messages, records go to JSON
 * Lines files (raw records, one per line, gzip or not) of at most `batch_size` records, and one
 * BATCH message per file carries its `file://` URL. Files are written as they fill (1 MiB at a
 * time, each chunk a gzip member), never holding a stream in memory.
 */
export interface BatchConfig {
  compression: 'gzip' | 'none';
  /** Folder the files go to. */
  dir: string;
  prefix: string;
  batchSize: number;
}

const CHUNK = 1 << 20;
export const DEFAULT_BATCH_SIZE = 10_000;

/** Reads the `batch_config` setting (already validated against its schema); undefined when not set. */
export function batchConfig(value: unknown): BatchConfig | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isJsonObject(value)) throw new UserError('config: batch_config must be an object');
  const encoding = isJsonObject(value.encoding) ? value.encoding : {};
  const storage = isJsonObject(value.storage) ? value.storage : {};
  if (encoding.format !== undefined && encoding.format !== 'jsonl') {
    throw new UserError(`config: batch_config.encoding.format '${String(encoding.format)}' is not supported (only jsonl)`);
  }
  const root = storage.root;
  if (typeof root !== 'string' || root === '') throw new UserError('config: batch_config.storage.root is required: a file:// folder URL, e.g. file:///var/tmp/batches');
  let dir: string;
  if (/^file:\/\//i.test(root)) {
    // file:///abs/dir, or file://relative/dir as the SDK's examples write it.
    dir = /^file:\/\/\//i.test(root) ? fileURLToPath(root) : path.resolve(decodeURIComponent(root.slice('file://'.length)));
  } else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(root)) {
    throw new UserError(`config: batch_config.storage.root '${root}': only file:// storage is supported`);
  } else dir = path.resolve(root);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw new UserError(`config: batch_config.storage.root '${root}': cannot create the folder (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  const compression = encoding.compression === 'none' ? 'none' : 'gzip';
  const batchSize = typeof value.batch_size === 'number' ? value.batch_size : DEFAULT_BATCH_SIZE;
  return { compression, dir, prefix: typeof storage.prefix === 'string' ? storage.prefix : '', batchSize };
}

class BatchFile {
  private readonly fd: number;
  private chunks: string[] = [];
  private size = 0;
  count = 0;

  constructor(readonly file: string, private readonly gzip: boolean) {
    this.fd = openSync(file, 'w');
  }

  add(record: JsonObject): void {
    const line = JSON.stringify(record) + '\n';
    this.chunks.push(line);
    this.size += line.length;
    this.count++;
    if (this.size >= CHUNK) this.flush();
  }

  private flush(): void {
    if (this.size === 0) return;
    const data = Buffer.from(this.chunks.join(''), 'utf8');
    this.chunks = [];
    this.size = 0;
    const bytes = this.gzip ? gzipSync(data) : data;
    for (let off = 0; off < bytes.length;) off += writeSync(this.fd, bytes, off);
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

/** Open batch files per stream; `add` and `flush` return the BATCH messages of the files they completed. */
export class BatchWriter {
  private readonly open = new Map<string, BatchFile>();
  private readonly run = randomUUID();
  private n = 0;

  constructor(private readonly config: BatchConfig, private readonly tapName: string) {}

  add(stream: string, record: JsonObject): BatchMessage | undefined {
    let file = this.open.get(stream);
    if (!file) {
      const ext = this.config.compression === 'gzip' ? '.jsonl.gz' : '.jsonl';
      const name = `${this.config.prefix}${this.tapName}--${stream}-${this.run}-${++this.n}${ext}`;
      file = new BatchFile(path.join(this.config.dir, name), this.config.compression === 'gzip');
      this.open.set(stream, file);
    }
    file.add(record);
    return file.count >= this.config.batchSize ? this.close(stream) : undefined;
  }

  private close(stream: string): BatchMessage | undefined {
    const file = this.open.get(stream);
    if (!file) return undefined;
    this.open.delete(stream);
    file.close();
    return {
      type: 'BATCH',
      stream,
      encoding: { format: 'jsonl', compression: this.config.compression },
      manifest: [pathToFileURL(file.file).href],
    };
  }

  /** Deletes the files no BATCH message announced (a failed run): no STATE covers their records. */
  abandon(): void {
    for (const file of this.open.values()) {
      file.close();
      rmSync(file.file, { force: true });
    }
    this.open.clear();
  }

  /** Completes the open file of one stream, or of every stream. */
  flush(stream?: string): BatchMessage[] {
    const streams = stream === undefined ? [...this.open.keys()] : [stream];
    return streams.map((s) => this.close(s)).filter((m): m is BatchMessage => m !== undefined);
  }
}
