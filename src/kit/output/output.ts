import type { JsonObject, JsonSchema } from '../core/json.js';
import type { SingerMessage } from './messages.js';
import { flattenOutput, flatteningOptions, type FlatteningOptions, type FlatteningSettings } from './flatten.js';
import { batchConfig, BatchWriter } from './batch.js';
import { compileStreamMaps, type MapsSettings, type StreamMapper } from './maps/mapper.js';
import type { Logger } from '../log/log.js';
import type { MessageSink, RecordStamp } from './sink.js';
import type { OutputStream, StreamStage } from './stage.js';

export type { OutputStream, StreamStage } from './stage.js';

/**
 * The output pipeline between the sync loop and stdout: stream maps (the tap's own, then the
 * `stream_maps` setting), flattening, and BATCH files, in that order, applied to the messages the
 * sync writes. With none of them configured the sync writes to the plain MessageWriter: no cost.
 */

interface Stages {
  stages: StreamStage[];
  flattening?: FlatteningOptions;
  batch?: BatchWriter;
}

/**
 * A sink in front of another (the MessageWriter) that maps, flattens and batches before handing
 * messages on: the stages compose, nothing is subclassed.
 * SCHEMA, RECORD and ACTIVATE_VERSION follow the maps (renamed, split, dropped); STATE is passed
 * as is, keyed by the tap's stream names as in the SDK (so bookmarks resume), after the BATCH
 * messages of every file it covers. With BATCH, ACTIVATE_VERSION is dropped: rows loaded from
 * files have no table version, and activating one would delete them.
 */
export class TransformingWriter implements MessageSink {
  private readonly outputs = new Map<string, OutputStream[]>();
  count = 0;

  constructor(private readonly inner: MessageSink, private readonly o: Stages) {}

  /** The output streams of a tap stream, through every stage, then flattened. */
  resolve(stream: string, schema: JsonSchema, keyProperties: string[]): OutputStream[] {
    let current: OutputStream[] = [{ name: stream, schema, keyProperties, record: (r) => r }];
    for (const stage of this.o.stages) {
      current = current.flatMap((prev) => stage.outputs(prev.name, prev.schema, prev.keyProperties).map((next) => ({
        ...next,
        record: (r: JsonObject) => { const m = prev.record(r); return m && next.record(m); },
      })));
    }
    const flat = this.o.flattening;
    return flat ? current.map((s) => flattenOutput(s, flat)) : current;
  }

  private flushBatches(stream?: string): void {
    const batch = this.o.batch;
    if (!batch) return;
    if (stream === undefined) for (const m of batch.flush()) this.inner.write(m);
    else for (const out of this.outputs.get(stream) ?? []) for (const m of batch.flush(out.name)) this.inner.write(m);
  }

  write(message: SingerMessage): void {
    if (message.type === 'RECORD') {
      this.record(message.stream, message.record, { timeExtracted: message.time_extracted ?? new Date().toISOString(), ...(message.version === undefined ? {} : { version: message.version }) });
      return;
    }
    this.count++;
    switch (message.type) {
      case 'SCHEMA': {
        this.flushBatches(message.stream);
        const outs = this.resolve(message.stream, message.schema, message.key_properties);
        this.outputs.set(message.stream, outs);
        for (const out of outs) {
          const m: SingerMessage = { type: 'SCHEMA', stream: out.name, schema: out.schema, key_properties: out.keyProperties };
          const bookmarks = message.bookmark_properties?.filter((b) => Object.hasOwn(out.schema.properties ?? {}, b));
          if (bookmarks?.length) m.bookmark_properties = bookmarks;
          this.inner.write(m);
        }
        return;
      }
      case 'ACTIVATE_VERSION':
        // Records loaded from BATCH files carry no table version: activating one would delete them all.
        if (this.o.batch) return;
        for (const out of this.outputs.get(message.stream) ?? []) this.inner.write({ ...message, stream: out.name });
        return;
      case 'STATE':
        this.flushBatches();
        this.inner.write(message);
        return;
      default:
        this.inner.write(message);
    }
  }

  record(stream: string, record: JsonObject, stamp: RecordStamp): void {
    this.count++;
    const outs = this.outputs.get(stream);
    if (!outs) {
      // A record before its SCHEMA: written as it is (the sync always writes SCHEMA first).
      this.inner.record(stream, record, stamp);
      return;
    }
    for (const out of outs) {
      const r = out.record(record);
      if (!r) continue;
      if (this.o.batch) {
        const done = this.o.batch.add(out.name, r);
        if (done) this.inner.write(done);
      } else this.inner.record(out.name, r, stamp);
    }
  }

  ready(): Promise<void> {
    return this.inner.ready();
  }

  /** After a failure: removes batch files no BATCH message announced. */
  abandon(): void {
    this.o.batch?.abandon();
  }

  /** Completes open batch files (their BATCH messages) and flushes stdout. */
  async close(): Promise<void> {
    this.flushBatches();
    await this.inner.close();
  }
}

export interface OutputSettings extends MapsSettings, FlatteningSettings {
  batch_config?: unknown;
  emit_activate_version_messages?: unknown;
}

/**
 * The writer the sync should use: `writer` itself when nothing transforms the output (the fast
 * path), else a TransformingWriter. Every map expression is parsed here, before any request.
 */
export async function outputWriter(writer: MessageSink, o: { settings: OutputSettings; tapName: string; tapMaps?: StreamMapper; log: Logger }): Promise<MessageSink> {
  const stages: StreamStage[] = [];
  if (o.tapMaps) stages.push(o.tapMaps);
  const userMaps = await compileStreamMaps(o.settings);
  if (userMaps) stages.push(userMaps);
  const flattening = flatteningOptions(o.settings);
  const batch = batchConfig(o.settings.batch_config);
  if (!stages.length && !flattening && !batch) return writer;
  const parts: Stages = { stages };
  if (flattening) parts.flattening = flattening;
  if (batch) {
    parts.batch = new BatchWriter(batch, o.tapName);
    o.log.info(`BATCH: records go to ${batch.compression === 'gzip' ? 'gzipped ' : ''}JSONL files of up to ${batch.batchSize} records in ${batch.dir}`);
    if (o.settings.emit_activate_version_messages === true) {
      o.log.warn('emit_activate_version_messages is ignored with batch_config: rows loaded from BATCH files have no table version, so activating one would delete them');
    }
  }
  return new TransformingWriter(writer, parts);
}
