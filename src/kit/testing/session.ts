import { asCatalog, selectAll, type Catalog, type Deselection } from './catalog.js';
import { ScratchFiles, readJsonFile, stateValue } from './files.js';
import { isObject } from './json-schema.js';
import { runTap, type TapRun } from './process.js';
import { parseSingerOutput, type SingerOutput } from './singer-output.js';
import type { ConformanceOptions } from './types.js';

/** `--about --format json`: the run and what it said (or why it could not be read). */
export interface AboutResult { run: TapRun; about?: Record<string, unknown>; problem?: string }
/** `--discover`: the run, the raw document and the catalog read from it (or why not). */
export interface DiscoverResult { run: TapRun; raw?: unknown; catalog?: Catalog; problem?: string }
/** A sync: the run, its stdout as Singer messages, and what it was given. */
export interface SyncResult { run: TapRun; output: SingerOutput; catalog?: Catalog; inputState?: Record<string, unknown> }

/** A small FIFO semaphore: at most `limit` runs of the tap at once. */
class Slots {
  private free: number;
  private readonly waiting: Array<() => void> = [];
  constructor(limit: number) {
    this.free = Math.max(1, limit);
  }
  async use<T>(task: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    }
  }
}

/**
 * The runs of one tap the checks read, each made once and shared (memoised): `--about`,
 * `--discover`, the first sync, and the runs built on them. Every run is remembered, so the
 * secrets check can read them all.
 */
export class Session {
  readonly files = new ScratchFiles();
  readonly runs: TapRun[] = [];
  readonly timeoutSeconds: number;
  private readonly slots: Slots;
  private readonly memo = new Map<string, Promise<unknown>>();

  constructor(readonly options: ConformanceOptions) {
    this.timeoutSeconds = options.timeoutSeconds ?? 300;
    this.slots = new Slots(options.concurrency ?? 2);
  }

  /** Runs the tap with `args` appended to its command. */
  run(args: readonly string[]): Promise<TapRun> {
    return this.slots.use(async () => {
      const run = await runTap(this.options.command, args, { timeoutSeconds: this.timeoutSeconds, cwd: this.options.cwd, env: this.options.env });
      this.runs.push(run);
      return run;
    });
  }

  /** `--config FILE` for each config file. */
  get configArgs(): string[] {
    return this.options.config.flatMap((file) => ['--config', file]);
  }

  /** Memoises one named piece of work for the session. */
  once<T>(name: string, work: () => Promise<T>): Promise<T> {
    let promise = this.memo.get(name) as Promise<T> | undefined;
    if (!promise) {
      promise = work();
      this.memo.set(name, promise);
    }
    return promise;
  }

  about(): Promise<AboutResult> {
    return this.once('about', async () => {
      const run = await this.run(['--about', '--format', 'json']);
      if (run.code !== 0) return { run, problem: 'did not succeed' };
      try {
        const about: unknown = JSON.parse(run.stdout);
        return isObject(about) ? { run, about } : { run, problem: 'stdout is not a JSON object' };
      } catch {
        return { run, problem: `stdout is not one JSON document: ${JSON.stringify(run.stdout.slice(0, 80))}` };
      }
    });
  }

  /** The capabilities `--about` declares (empty when it could not be read). */
  async capabilities(): Promise<string[]> {
    const { about } = await this.about();
    return Array.isArray(about?.capabilities) ? about.capabilities.filter((c): c is string => typeof c === 'string') : [];
  }

  discover(): Promise<DiscoverResult> {
    return this.once('discover', async () => {
      const run = await this.run([...this.configArgs, '--discover']);
      if (run.code !== 0) return { run, problem: 'did not succeed' };
      let raw: unknown;
      try {
        raw = JSON.parse(run.stdout);
      } catch {
        return { run, problem: `stdout is not one JSON document (only the catalog may be printed there): ${JSON.stringify(run.stdout.slice(0, 80))}` };
      }
      const catalog = asCatalog(raw);
      return typeof catalog === 'string' ? { run, raw, problem: catalog } : { run, raw, catalog };
    });
  }

  /** `--catalog FILE` (`--properties FILE` for a tap that declares only the legacy `properties` capability). */
  async catalogArgs(name: string, catalog: Catalog): Promise<string[]> {
    const capabilities = await this.capabilities();
    const flag = capabilities.includes('properties') && !capabilities.includes('catalog') ? '--properties' : '--catalog';
    return [flag, this.files.json(`${name}-catalog.json`, catalog)];
  }

  /** Syncs with the discovered catalog, everything selected but `deselect` and the skipped streams. */
  async sync(name: string, deselect: Deselection = {}, state?: Record<string, unknown> | 'start'): Promise<SyncResult | undefined> {
    const { catalog: discovered } = await this.discover();
    if (!discovered) return undefined;
    const catalog = selectAll(discovered, { ...deselect, streams: [...(deselect.streams ?? []), ...(this.options.skipStreams ?? [])] });
    const args = [...this.configArgs, ...(await this.catalogArgs(name, catalog))];
    let inputState: Record<string, unknown> | undefined;
    if (state === 'start' && this.options.state) {
      inputState = stateValue(readJsonFile(this.options.state));
      args.push('--state', this.options.state);
    } else if (state && state !== 'start') {
      inputState = state;
      args.push('--state', this.files.json(`${name}-state.json`, state));
    }
    const run = await this.run(args);
    return { run, output: parseSingerOutput(run.stdout), catalog, ...(inputState ? { inputState } : {}) };
  }

  /** The first sync: every stream selected (but the skipped ones), from `--state` when given. */
  firstSync(): Promise<SyncResult | undefined> {
    return this.once('sync', () => this.sync('sync', {}, 'start'));
  }

  /** The good config files merged (later files win), as the tap reads them. */
  mergedConfig(): Record<string, unknown> {
    const merged: Record<string, unknown> = {};
    for (const file of this.options.config) {
      const content = readJsonFile(file);
      if (isObject(content)) Object.assign(merged, content);
    }
    return merged;
  }
}
