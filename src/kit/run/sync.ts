import type { Ajv } from 'ajv';
import type { JsonSchema } from '../core/json.js';
import { UserError } from '../core/errors.js';
import type { SchemaMessage } from '../output/messages.js';
import type { Concurrency, SyncOptions } from './options.js';

/** Without `concurrency` (a run assembled by hand): everything one at a time. */
const SEQUENTIAL: Concurrency = { streams: 1, pages: 1, partitions: 1 };
import type { RestStream, StreamDef } from '../tap/stream.js';
import { planStreams, type StreamRun } from './stream-plan.js';
import { StreamRunner } from './stream-runner.js';
import { runBounded } from './scheduler.js';
import { counted } from '../core/text.js';
import { registerSecrets } from '../http/auth.js';
import { ErrorPolicyGuard } from './errorpolicy.js';
import { sampleOptions, samplePlan } from './sample.js';

export type { ChosenStream } from './stream-plan.js';
export type { SyncMode, Concurrency, SyncOptions } from './options.js';

/**
 * The sync every tap runs: a scheduler over the top-level streams (up to `concurrency.streams` at
 * once, each with its children), one writer for every message, and STATE only ever covering records
 * already written. Per stream, output is in source order whatever the concurrency.
 */
export class SyncRun<S> {
  private readonly runs: Map<string, StreamRun>;
  private readonly runner: StreamRunner<S>;
  private failed = false;
  private readonly errors: ErrorPolicyGuard;
  private readonly concurrency: Concurrency;

  private readonly o: SyncOptions<S>;
  private readonly commits: boolean;

  constructor(options: SyncOptions<S>, ajv: Ajv) {
    const sample = options.mode === 'test';
    const o = sample ? sampleOptions(options) : options;
    this.o = o;
    this.commits = o.commits !== false;
    const defs = o.tap.streams as Array<StreamDef<S>>;
    // A stream's own credentials are secrets like the tap's (the settings they come from may not say so).
    for (const def of defs) if (def.kind === 'rest' && def.auth) registerSecrets(def.auth(o.settings), o.log.redactor);
    this.runs = planStreams(defs as Array<StreamDef<unknown>>, o.streams, {
      ajv,
      unavailable: (def) => (def.kind === 'rest' ? (def as RestStream<S>).unavailable?.(o.settings) : undefined),
      warn: (m) => o.log.warn(m),
      onUnknown: (stream, field) => o.log.warn(`stream '${stream}': field '${field}' is not in the stream's schema; ${o.tap.unknownFieldHint ?? 'dropped (said once)'}`),
      ...(o.tap.widenSchemas ? { onWidened: (run: StreamRun, added: Record<string, JsonSchema>) => this.widened(run, added) } : {}),
    });
    if (sample) samplePlan(this.runs);
    this.errors = new ErrorPolicyGuard(o.errorPolicy ?? 'fail', o.log);
    // Streams finish in any order when they run in parallel: STATE lists them in the tap's order.
    o.state.streamOrder = defs.map((d) => d.name);
    const c = o.concurrency ?? SEQUENTIAL;
    this.concurrency = c;
    this.runner = new StreamRunner(o, {
      limits: { pages: c.pages, partitions: c.partitions }, signpost: new Date().toISOString(), stopping: () => o.signal.stopped || this.failed, errors: this.errors,
    });
  }

  /** A schema widened by a record's new fields: said once, and a SCHEMA before that record. */
  private widened(run: StreamRun, added: Record<string, JsonSchema>): void {
    const names = Object.keys(added).map((f) => `'${f}'`).join(', ');
    this.o.log.info(`stream '${run.def.name}': field${Object.keys(added).length > 1 ? 's' : ''} ${names} not in its inferred schema: schema widened, a new SCHEMA message sent`);
    this.schemaMessage(run);
    this.o.tap.widenSchemas?.(run.def.name, added);
  }

  private schemaMessage(run: StreamRun): void {
    if (!run.selected || !run.schema) return;
    const msg: SchemaMessage = { type: 'SCHEMA', stream: run.def.name, schema: run.schema, key_properties: run.keyProperties };
    if (run.def.replicationKey && run.incremental) msg.bookmark_properties = [run.def.replicationKey];
    this.o.writer.write(msg);
  }

  private schemaMessages(run: StreamRun): void {
    this.schemaMessage(run);
    for (const child of run.children) if (child.needed) this.schemaMessages(child);
  }

  private topLevel(): StreamRun[] {
    return [...this.runs.values()].filter((run) => !run.def.parent && run.needed);
  }

  /** SCHEMA messages only (`--test=schema`). */
  schemasOnly(): void {
    for (const run of this.topLevel()) this.schemaMessages(run);
  }

  /** Streams synced and records written so far, for the run's summary line. */
  totals(): { streams: number; records: number } {
    let streams = 0;
    let records = 0;
    for (const run of this.runs.values()) {
      if (!run.selected) continue;
      streams++;
      records += run.count;
    }
    return { streams, records };
  }

  async run(): Promise<void> {
    const { state, writer, log } = this.o;
    const started = performance.now();
    if (this.o.stateGiven && this.commits) state.emit(writer);
    let failed = true;
    const parallel = this.concurrency.streams;
    try {
      const tasks = this.topLevel().map((run) => async () => {
        if (!this.o.signal.stopped && !this.failed) await this.syncTopLevel(run);
      });
      // A stream that failed stops the others at once: their requests in flight (and retries) are
      // aborted, and each ends with a STATE covering what it wrote.
      await runBounded(tasks, parallel, () => {
        this.failed = true;
        this.o.http.abort();
      });
      failed = false;
    } finally {
      log.endProgress();
      log.metric('timer', 'sync_duration', (performance.now() - started) / 1000, { status: failed ? 'failed' : 'succeeded' });
    }
    if (this.commits) state.emit(writer);
  }

  private async syncTopLevel(run: StreamRun): Promise<void> {
    const { log, writer, state } = this.o;
    const t0 = performance.now();
    this.schemaMessages(run);
    const versioned = this.beginVersions(run);
    log.info(`stream '${run.def.name}': sync started${run.selected ? '' : ' (not selected; read for its children)'}`);
    let status = 'failed';
    try {
      await this.runner.sync(run, {});
      status = this.o.signal.stopped || this.failed ? 'stopped' : 'succeeded';
    } catch (error) {
      if (error instanceof UserError && !error.message.startsWith('stream ')) {
        throw new UserError(`stream '${run.def.name}': ${error.message}`, error.exitCode, { cause: error });
      }
      throw error;
    } finally {
      this.streamMetrics(run, status, t0);
    }
    // Only a stream read to its end may activate its version: a partial read would delete unseen rows.
    for (const { run: r, lineage } of status === 'succeeded' ? versioned : []) {
      // Nor one that skipped anything (error_policy skip), or whose ancestors did (their children were not read).
      const skipped = lineage.reduce((n, name) => n + this.errors.skipped(name), 0);
      if (skipped > 0) {
        log.warn(`stream '${r.def.name}': version not activated: ${counted(skipped, 'record')} skipped (error_policy: skip) in it or its parents; the target keeps the rows of the previous version`);
        continue;
      }
      if (lineage.some((name) => this.runs.get(name)?.unsettled)) {
        log.warn(`stream '${r.def.name}': version not activated: its list (or its parent's) kept changing while it was read, so rows may be missing; the target keeps the rows of the previous version`);
        continue;
      }
      writer.write({ type: 'ACTIVATE_VERSION', stream: r.def.name, version: r.version as number });
      (state.value.bookmarks[r.def.name] ??= {}).version = r.version as number;
    }
    if (this.commits) state.emit(writer);
    await writer.ready();
  }

  /** FULL_TABLE streams with `emit_activate_version_messages`: one version per run, activated at the end. */
  private beginVersions(run: StreamRun): Array<{ run: StreamRun; lineage: string[] }> {
    const out: Array<{ run: StreamRun; lineage: string[] }> = [];
    // A child of an incremental parent sees only some parents' rows: versioning it would delete the rest.
    const visit = (r: StreamRun, ancestors: string[], partial = false) => {
      const lineage = [...ancestors, r.def.name];
      if (r.selected && !r.incremental && !partial && (r.def.activateVersion ?? this.o.activateVersion) && this.commits) {
        // No opening ACTIVATE_VERSION: a target deletes the table's rows on it, and a run stopped before
        // the end would leave the table empty. The one after the complete read activates the new version.
        r.version = Date.now();
        out.push({ run: r, lineage });
      }
      for (const c of r.children) visit(c, lineage, partial || r.incremental);
    };
    visit(run, []);
    return out;
  }

  private streamMetrics(run: StreamRun, status: string, t0: number): void {
    const visit = (r: StreamRun) => {
      if (!r.needed) return;
      if (r.selected) this.o.log.metric('counter', 'record_count', r.count, { stream: r.def.name });
      this.errors.metric(r.def.name);
      if (r.def.kind === 'rest') {
        this.o.log.metric('counter', 'http_request_count', this.o.http.requestCounts.get(r.def.name) ?? 0, { stream: r.def.name, endpoint: r.def.path });
      }
      r.children.forEach(visit);
    };
    visit(run);
    this.o.log.metric('timer', 'sync_duration', (performance.now() - t0) / 1000, { stream: run.def.name, status });
    const secs = (performance.now() - t0) / 1000;
    this.o.log.info(`stream '${run.def.name}': ${status === 'succeeded' ? 'done' : status}, ${counted(run.count, 'record')}, ${counted(run.pages, 'page')} in ${secs.toFixed(2)}s`);
  }
}
