import { randomUUID } from 'node:crypto';
import { closeSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { OutputError, UserError } from '../core/errors.js';
import { isJsonObject, type JsonObject } from '../core/json.js';
import { stringifyJson } from '../core/jsontext.js';
import type { BatchMessage } from './messages.js';
import { fileProblem } from '../core/file-errors.js';

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
    throw new UserError(`config: batch_config.storage.root '${root}': cannot create the folder (${fileProblem(error)})`);
  }
  const compression = encoding.compression === 'none' ? 'none' : 'gzip';
  const batchSize = typeof value.batch_size === 'number' ? value.batch_size : DEFAULT_BATCH_SIZE;
  return { compression, dir, prefix: typeof storage.prefix === 'string' ? storage.prefix : '', batchSize };
}

/** Why a file operation failed, without the path Node repeats: `ENOSPC: no space left on device`. */
function reason(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  return (e?.message ?? String(error)).replace(/, (open|write|close)\b.*$/s, '') || String(e?.code);
}

/** What a BATCH file's name is made of: `<prefix><tap>--<stream>-<run>-<n><ext>`. */
export interface BatchFileParts {
  prefix: string;
  tapName: string;
  stream: string;
  /** This run's id. */
  run: string;
  /** The file's number in the run. */
  n: number;
  ext: string;
}

/**
 * One file name in the root for any prefix, tap and stream name: characters other than ASCII
 * letters, digits, `.`, `_` and `-` become `_` (a stream alias such as `../x` cannot leave the root),
 * and each part is cut to 64 characters so the name stays under the 255-byte limit of file systems.
 */
export function batchFileName(f: BatchFileParts): string {
  const part = (s: string) => s.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 64);
  return `${part(f.prefix)}${part(f.tapName)}--${part(f.stream)}-${f.run}-${f.n}${f.ext}`;
}

class BatchFile {
  private readonly fd: number;
  private chunks: string[] = [];
  private size = 0;
  private closed = false;
  count = 0;

  constructor(readonly file: string, private readonly gzip: boolean) {
    // 'wx': created here, never an existing file (nor a link someone placed at the name).
    this.fd = openSync(file, 'wx');
  }

  add(record: JsonObject): void {
    const line = stringifyJson(record) + '\n';
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
    this.closed = true;
    closeSync(this.fd);
  }

  /** Closes without writing what is buffered, and deletes the file; never throws. */
  discard(): void {
    this.chunks = [];
    if (!this.closed) {
      this.closed = true;
      try {
        closeSync(this.fd);
      } catch {
        // the file goes anyway
      }
    }
    try {
      rmSync(this.file, { force: true });
    } catch {
      // nothing more can be done; the failure that led here is what gets reported
    }
  }
}

/**
 * Open batch files per stream; `add` and `flush` return the BATCH messages of the files they
 * completed. A file no BATCH message announced is deleted when the run fails, when a write fails
 * (one OutputError: exit 1, never skipped), and when the process exits without completing it
 * (a closed stdout, a forced stop): no STATE covers its records.
 */
export class BatchWriter {
  private readonly open = new Map<string, BatchFile>();
  private readonly run = randomUUID();
  private n = 0;
  private failure: OutputError | undefined;
  private readonly onExit = () => this.abandon();

  constructor(private readonly config: BatchConfig, private readonly tapName: string) {}

  add(stream: string, record: JsonObject): BatchMessage | undefined {
    if (this.failure) throw this.failure;
    let file = this.open.get(stream);
    if (!file) {
      const ext = this.config.compression === 'gzip' ? '.jsonl.gz' : '.jsonl';
      const name = batchFileName({ prefix: this.config.prefix, tapName: this.tapName, stream, run: this.run, n: ++this.n, ext });
      const target = path.resolve(this.config.dir, name);
      if (path.dirname(target) !== path.resolve(this.config.dir)) throw new Error(`BATCH file name '${name}' leaves the root folder`);
      try {
        file = new BatchFile(target, this.config.compression === 'gzip');
      } catch (error) {
        this.fail(target, 'create', error);
      }
      if (this.open.size === 0) process.on('exit', this.onExit);
      this.open.set(stream, file);
    }
    try {
      file.add(record);
    } catch (error) {
      this.fail(file.file, 'write', error);
    }
    return file.count >= this.config.batchSize ? this.close(stream) : undefined;
  }

  private close(stream: string): BatchMessage | undefined {
    const file = this.open.get(stream);
    if (!file) return undefined;
    try {
      file.close();
    } catch (error) {
      this.fail(file.file, 'write', error);
    }
    this.open.delete(stream);
    if (this.open.size === 0) process.off('exit', this.onExit);
    return {
      type: 'BATCH',
      stream,
      encoding: { format: 'jsonl', compression: this.config.compression },
      manifest: [pathToFileURL(file.file).href],
    };
  }

  /** A write failed: every file not announced is deleted, and this writer refuses further records. */
  private fail(file: string, what: string, error: unknown): never {
    // A bug (a record that cannot be serialised) is not a write failure.
    if (!(error instanceof Error && 'code' in error && typeof (error as NodeJS.ErrnoException).code === 'string')) throw error;
    this.abandon();
    this.failure = new OutputError(`BATCH: cannot ${what} ${file} (${reason(error)}); the files no BATCH message announced were deleted`, 1, { cause: error });
    throw this.failure;
  }

  /** Deletes the files no BATCH message announced (a failed run): no STATE covers their records. Never throws. */
  abandon(): void {
    for (const file of this.open.values()) file.discard();
    this.open.clear();
    process.off('exit', this.onExit);
  }

  /** Completes the open file of one stream, or of every stream. */
  flush(stream?: string): BatchMessage[] {
    if (this.failure) throw this.failure;
    const streams = stream === undefined ? [...this.open.keys()] : [stream];
    const done: BatchMessage[] = [];
    try {
      for (const s of streams) {
        const m = this.close(s);
        if (m) done.push(m);
      }
    } catch (error) {
      // The files completed before the failure are not announced either.
      for (const m of done) {
        try {
          rmSync(fileURLToPath(m.manifest[0] as string), { force: true });
        } catch {
          // the write failure is what gets reported
        }
      }
      throw error;
    }
    return done;
  }
}
