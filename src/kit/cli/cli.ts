import { UserError } from '../core/errors.js';
import { nestingDepth, type JsonObject } from '../core/json.js';
import { Redactor } from '../log/redact.js';
import { Logger } from '../log/log.js';
import { MessageWriter } from '../output/messages.js';
import { buildCatalog } from '../catalog/catalog.js';
import { secretSettings } from '../config/settings.js';
import { checkSettings } from '../config/settings-check.js';
import { LoadedConfig } from '../config/loaded.js';
import { runConfig } from '../config/run-config.js';
import { httpOptions } from '../http/client-options.js';
import type { HttpClient } from '../http/transport.js';
import { noAuth, registerSecrets } from '../http/auth.js';
import { projectSchema } from '../records/schema.js';
import { aboutInfo, aboutMarkdown, aboutText, KIT_VERSION } from './about.js';
import { shapesFor, type ClientConfig, type Tap } from '../tap/tap.js';
import { counted } from '../core/text.js';
import { selectionsFrom } from './selection.js';
import { parseArgs, type CliArgs } from './args.js';

export { selectionsFrom } from './selection.js';

export { parseArgs, type CliArgs } from './args.js';

const MAX_CONFIG_DEPTH = 64;
/** How long a stop waits for stdout to be read before exiting anyway. */
const STOP_GRACE_MS = 5000;
/** How long a closed stdout waits for the signal that may have closed it (Ctrl-C reaches the whole pipe). */
const SIGNAL_AFTER_EPIPE_MS = 250;

/** The client of a tap without an API (generic streams only): no request is ever sent with it. */
const NO_API: ClientConfig = { baseUrl: 'http://127.0.0.1/', auth: noAuth };

/** The base URL a tap's client is built with: http or https, or one line saying what it is. */
function checkBaseUrl(baseUrl: string, redactor: Redactor): void {
  let url: URL | undefined;
  try {
    url = new URL(baseUrl);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new UserError(`config: base URL '${redactor.url(baseUrl)}' must be an http:// or https:// URL`);
  }
}

async function main<S>(tap: Tap<S>, args: CliArgs, ctx: { config: LoadedConfig; log: Logger; redactor: Redactor; writer: MessageWriter; signal: { stopped: boolean; name?: string }; onHttp: (h: HttpClient) => void }): Promise<number> {
  const { log, redactor, writer } = ctx;
  if (args.version) {
    process.stdout.write(`${tap.name} ${tap.version} (singer-taps-ts kit ${KIT_VERSION})\n`);
    return 0;
  }
  if (args.about) {
    const text = args.format === 'json' ? JSON.stringify(aboutInfo(tap), null, 2) + '\n' : args.format === 'markdown' ? aboutMarkdown(tap) : aboutText(tap);
    process.stdout.write(text);
    return 0;
  }
  const raw = ctx.config.values(tap.settingsSchema);
  for (const [name, value] of Object.entries(raw)) {
    if (nestingDepth(value, MAX_CONFIG_DEPTH) > MAX_CONFIG_DEPTH) throw new UserError(`config: setting '${name}' is nested more than ${MAX_CONFIG_DEPTH} levels deep`);
  }
  for (const name of secretSettings(tap.settingsSchema)) redactor.add(raw[name]);
  const syncing = !args.discover && args.test !== 'schema';
  const { settings, unknown } = await checkSettings(raw, { schema: tap.settingsSchema, tapName: tap.name, requireAll: syncing });
  for (const name of unknown) log.warn(`config: unknown setting '${name}' ignored`);

  // The settings as the tap declared them: validated against its schema just above.
  const typed = settings as unknown as S;
  const shapes = shapesFor(tap, typed);
  if (args.discover) {
    process.stdout.write(JSON.stringify(buildCatalog(shapes), null, 2) + '\n');
    return 0;
  }
  const streams = selectionsFrom(tap, args, { shapes, log });
  // What only a sync needs is loaded now: --about and --discover start without it (bundle chunks).
  const [{ readStateFile, StateManager }, { HttpClient }, { SyncRun }, { outputWriter, TransformingWriter }, { tapStreamMaps }, { createAjv }] = await Promise.all([
    import('../run/state.js'), import('../http/transport.js'), import('../run/sync.js'), import('../output/output.js'), import('../output/maps/tap-maps.js'), import('../records/validate.js'),
  ]);
  const out = await outputWriter(writer, { settings, tapName: tap.name, log, ...(tap.maps ? { tapMaps: tapStreamMaps(tap.maps) } : {}) });
  if (out instanceof TransformingWriter) {
    // Maps and flattening checked against every selected stream now, before any request.
    for (const [name, chosen] of streams) {
      if (!chosen.selection.selected) continue;
      const keys = chosen.keyProperties ?? shapes.find((s) => s.name === name)?.primaryKey ?? [];
      if (out.resolve(name, projectSchema(chosen.schema, chosen.selection.fields), keys).length === 0) {
        // Every output of the stream is dropped: it is not requested at all (unless a child needs it).
        chosen.selection.selected = false;
        log.info(`stream '${name}': dropped by stream_maps, not synced`);
      }
    }
  }
  const stateGiven = args.state !== undefined;
  const state = new StateManager(args.state ? readStateFile(args.state) : undefined, (m) => log.warn(m));
  // A tap of generic streams only (files, a database) has no API: its client is never asked for.
  const client = tap.client?.(typed) ?? NO_API;
  registerSecrets(client.auth, redactor);
  if (tap.client) checkBaseUrl(client.baseUrl, redactor);
  const run = runConfig(settings, tap.settingsSchema);
  const http = new HttpClient(httpOptions(run, client), log);
  ctx.onHttp(http);
  const startKey = tap.startDateSetting ?? 'start_date';
  const startDate = typeof settings[startKey] === 'string' ? (settings[startKey] as string) : undefined;
  const options = {
    tap, settings: typed, streams, state, stateGiven, writer: out, log, http,
    mode: args.test !== undefined ? ('test' as const) : ('sync' as const),
    activateVersion: run.activateVersion,
    concurrency: { streams: run.maxParallelStreams, pages: run.maxParallelRequests, partitions: run.maxParallelRequests },
    errorPolicy: run.errorPolicy,
    signal: ctx.signal,
    ...(startDate ? { startDate } : {}),
  };
  const sync = new SyncRun(options, createAjv());
  if (args.test === 'schema') {
    sync.schemasOnly();
    return 0;
  }
  const selected = [...streams.values()].filter((s) => s.selection.selected).length;
  log.info(`sync of ${counted(selected, 'selected stream')}${tap.client ? ` from ${redactor.url(client.baseUrl)}` : ''}`);
  const t0 = performance.now();
  let outcome = 'failed';
  try {
    await sync.run();
    // Open BATCH files completed (a --test run writes no STATE that would complete them).
    if (out !== writer) await out.close();
    outcome = ctx.signal.stopped ? 'stopped' : 'finished';
  } catch (error) {
    if (out instanceof TransformingWriter) out.abandon();
    throw error;
  } finally {
    const { streams: n, records } = sync.totals();
    const requests = [...http.requestCounts.values()].reduce((a, b) => a + b, 0);
    log.info(`sync ${outcome}: ${counted(n, 'stream')}, ${counted(records, 'record')}, ${counted(requests, 'request')}, ${counted(http.retries, 'retry', 'retries')} in ${((performance.now() - t0) / 1000).toFixed(1)}s`);
  }
  if (ctx.signal.stopped) {
    log.warn(`stopped by ${ctx.signal.name ?? 'a signal'}; the last STATE written covers every record before it`);
    return ctx.signal.name === 'SIGTERM' ? 143 : 130;
  }
  return 0;
}

/**
 * A tap whose declaration is built at run time (tap-rest: streams from a definition file named in
 * its settings). `build` gets the parsed command line, the run's logger (whose redactor it must
 * give any secret it reads) and the run's config sources (read once: the run reads the same); its
 * UserErrors are reported like every other.
 */
export interface TapFactory<S> {
  name: string;
  /** For `--help`. */
  description?: string;
  build(input: { args: CliArgs; log: Logger; config: LoadedConfig }): Promise<Tap<S>>;
}

/**
 * The entry point of every tap binary: parses the command line, runs discovery/about/sync, prints
 * user mistakes as one CRITICAL line (exit 1), and always flushes stdout before exiting.
 */
export async function runTap<S>(tapOrFactory: Tap<S> | TapFactory<S>, argv: string[] = process.argv.slice(2)): Promise<void> {
  const redactor = new Redactor();
  const log = new Logger(tapOrFactory.name, { redactor });
  const writer = new MessageWriter();
  const signal: { stopped: boolean; name?: string } = { stopped: false };
  let http: HttpClient | undefined;
  /** stdout's reader is gone (EPIPE): the exit is decided by the handler below, not by the run's end. */
  let stdoutClosed = false;
  /** Exit now with whole lines only: what is buffered is dropped, a line half in the pipe is completed. */
  const forceExit = (code: number, why: string) => {
    log.warn(why);
    writer.completeLine();
    process.exit(code);
  };
  const onSignal = (name: string) => {
    const code = name === 'SIGTERM' ? 143 : 130;
    if (signal.stopped) forceExit(code, `second ${name}: exiting now; the last STATE written covers every record before it`);
    signal.stopped = true;
    signal.name = name;
    if (stdoutClosed) closedBySignal();
    http?.abort();
    log.warn(`${name} received: aborting requests in flight and stopping (a second signal stops at once)`);
    // A reader that stopped reading would keep the last page's write waiting forever: the stop is bounded.
    setTimeout(() => forceExit(code, `stdout not read for ${STOP_GRACE_MS / 1000}s after ${name}: exiting without the rest; the last STATE written covers every record before it`), STOP_GRACE_MS).unref();
  };
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  // Ctrl-C in a pipe signals the target and the tap together: stdout closing just before or after the
  // signal is part of the stop (exit 130), not a target that failed (exit 1).
  const closedBySignal = () => forceExit(signal.name === 'SIGTERM' ? 143 : 130, `stdout was closed by its reader after ${signal.name ?? 'a signal'}: stopping; the last STATE it read covers every record before it`);
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE' || stdoutClosed) return;
    stdoutClosed = true;
    if (signal.stopped) closedBySignal();
    setTimeout(() => {
      if (signal.stopped) closedBySignal();
      log.critical('stdout was closed by its reader (did the target exit?): stopping; the last STATE it read covers every record before it');
      process.exit(1);
    }, SIGNAL_AFTER_EPIPE_MS);
  });
  let code: number;
  try {
    const args = parseArgs(tapOrFactory.name, argv, tapOrFactory.description);
    if (args === 'help') code = 0;
    else {
      const config = new LoadedConfig(args.config, { tapName: tapOrFactory.name });
      const tap = 'build' in tapOrFactory ? await tapOrFactory.build({ args, log, config }) : tapOrFactory;
      code = await main(tap, args, { config, log, redactor, writer, signal, onHttp: (h) => { http = h; } });
    }
  } catch (error) {
    if (error instanceof UserError) {
      for (const line of error.message.split('\n')) log.critical(line, { error });
      code = error.exitCode;
    } else if (log.format === 'json') {
      log.critical(`internal error (please report): ${(error as Error)?.message ?? String(error)}`, { error, traceback: true });
      code = 2;
    } else {
      log.critical(`internal error (please report): ${redactor.redact((error as Error)?.stack ?? String(error))}`);
      code = 2;
    }
  }
  try {
    await writer.close();
  } finally {
    http?.close();
    if (!stdoutClosed) process.exit(code);
  }
}

export type { JsonObject };
