import yargs from 'yargs';
import { UserError, errorMessage } from './errors.js';
import { isJsonObject, nestingDepth, type JsonObject, type JsonSchema } from './json.js';
import { Redactor } from './redact.js';
import { Logger } from './log.js';
import { MessageWriter } from './messages.js';
import { buildCatalog, readCatalogFile, resolveSelection, type StreamShape } from './catalog.js';
import { loadConfig, validateSettingsWith, secretSettings } from './settings.js';
import type { HttpClient } from './http.js';
import { registerSecrets } from './auth.js';
import type { ChosenStream } from './sync.js';
import { projectSchema } from './schema.js';
import { aboutInfo, aboutMarkdown, aboutText, KIT_VERSION } from './about.js';
import { shapesFor, type Tap } from './tap.js';
import { counted, terminalWidth, wrapText } from './text.js';
import { HELP_EPILOGUE, helpText } from './help-text.js';

export interface CliArgs {
  config: string[];
  discover: boolean;
  catalog?: string;
  properties?: string;
  state?: string;
  about: boolean;
  format: 'text' | 'json' | 'markdown';
  test?: string;
  version: boolean;
}

/** Parses the Singer command line; a bad flag is a UserError (one line, exit 1). */
export function parseArgs(tapName: string, argv: string[], description = 'a Singer tap'): CliArgs | 'help' {
  let helpShown = false;
  const width = terminalWidth();
  // The header is wrapped here, at spaces: yargs hard-wraps a multi-line usage text mid-word.
  const header = [
    wrapText(`${tapName}: ${description}`, width, '  '),
    '',
    'Usage:',
    ...[`${tapName} --config CONFIG --discover > catalog.json`, `${tapName} --config CONFIG [--catalog catalog.json] [--state state.json]`]
      .map((u) => `  ${wrapText(u, width - 2, '      ')}`),
    '',
  ].join('\n');
  const parser = yargs(argv)
    .scriptName(tapName)
    .parserConfiguration({ 'camel-case-expansion': false, 'boolean-negation': false })
    .version(false)
    .option('config', { type: 'string', array: true, default: [], description: 'Config JSON file (repeatable, later wins); --config=ENV reads <TAP>_<SETTING> environment variables' })
    .option('discover', { type: 'boolean', default: false, description: 'Print the catalog of every stream and exit' })
    .option('catalog', { type: 'string', description: 'Catalog JSON selecting streams and fields to sync' })
    .option('properties', { type: 'string', description: 'Legacy alias of --catalog' })
    .option('state', { type: 'string', description: 'State JSON (bookmarks) from an earlier run' })
    .option('about', { type: 'boolean', default: false, description: 'Print name, version, capabilities and settings' })
    .option('format', { choices: ['text', 'json', 'markdown'] as const, default: 'text' as const, description: 'Format of --about' })
    .option('test', { type: 'string', description: 'Sync one record per stream (--test), or print SCHEMA messages only (--test=schema)' })
    .option('version', { type: 'boolean', default: false, description: 'Print the version' })
    .help('help')
    .alias('help', 'h')
    .strict()
    .exitProcess(false)
    // yargs' ESM build wraps by character count (mid-word): it does not wrap, helpText() does.
    .wrap(null)
    .epilogue(HELP_EPILOGUE)
    .fail((msg, err) => {
      throw new UserError(`${(msg ?? errorMessage(err)).replace(/\s*\n\s*/g, ' ')} (see ${tapName} --help)`);
    });
  const parsed = parser.parseSync(argv, {}, (_err, _argv, output) => {
    if (output) {
      helpShown = true;
      process.stdout.write(`${header}\n${helpText(output, width)}\n`);
    }
  });
  if (helpShown) return 'help';
  const args: CliArgs = {
    config: (parsed.config ?? []).map(String),
    discover: parsed.discover,
    about: parsed.about,
    format: parsed.format,
    version: parsed.version,
  };
  if (parsed.catalog !== undefined) args.catalog = parsed.catalog;
  if (parsed.properties !== undefined) args.properties = parsed.properties;
  if (parsed.state !== undefined) args.state = parsed.state;
  if (parsed.test !== undefined) args.test = parsed.test;
  // `--state` with no value (an unset shell variable) must not silently mean "no state": a full re-sync.
  for (const flag of ['catalog', 'properties', 'state'] as const) {
    if (args[flag] === '') throw new UserError(`--${flag} needs a file name (see ${tapName} --help)`);
  }
  // Nor `--config` with no value "no config".
  const configFlags = argv.filter((a) => a === '--config' || a.startsWith('--config=')).length;
  if (args.config.includes('') || args.config.length < configFlags) throw new UserError(`--config needs a file name or ENV (see ${tapName} --help)`);
  if (args.test !== undefined && !['', 'all', 'record', 'schema'].includes(args.test)) {
    throw new UserError(`--test=${args.test}: use --test (one record per stream) or --test=schema`);
  }
  return args;
}

const MAX_CONFIG_DEPTH = 64;
/** How long a closed stdout waits for the signal that may have closed it (Ctrl-C reaches the whole pipe). */
const SIGNAL_AFTER_EPIPE_MS = 250;
/** How long a stop waits for stdout to be read before exiting anyway. */
const STOP_GRACE_MS = 5000;

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

/** A stream as discovery selects it: every field, and the stream unless it is off by default. */
function byDefault(s: StreamShape): ChosenStream {
  return { selection: { selected: s.selectedByDefault !== false, fields: new Set(Object.keys(s.schema.properties ?? {})) }, schema: s.schema };
}

export function selectionsFrom<S>(tap: Tap<S>, shapes: StreamShape[], args: CliArgs, log: Logger): Map<string, ChosenStream> {
  const out = new Map<string, ChosenStream>();
  const file = args.catalog ?? args.properties;
  if (!file) {
    for (const s of shapes) out.set(s.name, byDefault(s));
    return out;
  }
  if (args.catalog && args.properties) log.warn('both --catalog and --properties given: using --catalog');
  const catalog = readCatalogFile(file, args.catalog ? '--catalog' : '--properties');
  const known = new Set(tap.shapes.map((s) => s.name));
  for (const entry of catalog.streams) {
    if (!known.has(entry.tap_stream_id)) {
      log.warn(`catalog stream '${entry.tap_stream_id}' is not a stream of ${tap.name}; ignored`);
      continue;
    }
    const shape = (shapes.find((s) => s.name === entry.tap_stream_id) ?? tap.shapes.find((s) => s.name === entry.tap_stream_id)) as StreamShape;
    const own = shape.schema;
    let schema = entry.schema ?? own;
    if (!isJsonObject(schema.properties)) {
      log.warn(`catalog stream '${entry.tap_stream_id}': its schema has no "properties"; using the tap's own schema`);
      schema = own;
    }
    const automatic = [...shape.primaryKey, ...(shape.replicationKey ? [shape.replicationKey] : [])];
    const selection = resolveSelection({ ...entry, schema, metadata: entry.metadata ?? [] }, automatic);
    for (const note of selection.notes ?? []) log.warn(`catalog stream '${entry.tap_stream_id}': ${note}`);
    const chosen: ChosenStream = { selection, schema };
    // Key properties set in the catalog (e.g. Meltano `metadata:` overrides) win, as in the SDK.
    const root = entry.metadata?.find((m) => m.breadcrumb.length === 0)?.metadata;
    const keys = root?.['table-key-properties'] ?? entry.key_properties;
    if (Array.isArray(keys)) {
      const bad = keys.filter((k) => typeof k !== 'string' || !schema.properties?.[k]);
      if (bad.length) throw new UserError(`catalog stream '${entry.tap_stream_id}': key properties ${JSON.stringify(bad)} are not properties of its schema`);
      chosen.keyProperties = keys;
      if (selection.selected) for (const k of keys) selection.fields.add(k);
    }
    out.set(entry.tap_stream_id, chosen);
  }
  // Streams the catalog does not mention keep their discovered metadata (selected by default), as in the SDK.
  for (const s of shapes) {
    if (out.has(s.name)) continue;
    log.info(`stream '${s.name}' is not in the catalog: ${s.selectedByDefault === false ? 'not selected by default' : 'synced with its default selection'}`);
    out.set(s.name, byDefault(s));
  }
  return out;
}

async function main<S>(tap: Tap<S>, args: CliArgs, ctx: { log: Logger; redactor: Redactor; writer: MessageWriter; signal: { stopped: boolean; name?: string }; onHttp: (h: HttpClient) => void }): Promise<number> {
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
  const raw = loadConfig(args.config, tap.name, tap.settingsSchema);
  for (const [name, value] of Object.entries(raw)) {
    if (nestingDepth(value, MAX_CONFIG_DEPTH) > MAX_CONFIG_DEPTH) throw new UserError(`config: setting '${name}' is nested more than ${MAX_CONFIG_DEPTH} levels deep`);
  }
  for (const name of secretSettings(tap.settingsSchema)) redactor.add(raw[name]);
  const syncing = !args.discover && args.test !== 'schema';
  const { createAjv } = await import('./validate.js');
  const { settings, unknown } = validateSettingsWith(createAjv({ useDefaults: true }), raw, tap.settingsSchema, tap.name, { requireAll: syncing });
  for (const name of unknown) log.warn(`config: unknown setting '${name}' ignored`);

  const shapes = shapesFor(tap, settings as unknown as S);
  if (args.discover) {
    process.stdout.write(JSON.stringify(buildCatalog(shapes), null, 2) + '\n');
    return 0;
  }
  const streams = selectionsFrom(tap, shapes, args, log);
  // What only a sync needs is loaded now: --about and --discover start without it (bundle chunks).
  const [{ readStateFile, StateManager }, { HttpClient }, { SyncRun }, { outputWriter, TransformingWriter }, { tapStreamMaps }] = await Promise.all([
    import('./state.js'), import('./http.js'), import('./sync.js'), import('./output.js'), import('./maps/mapper.js'),
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
  const typed = settings as unknown as S;
  const client = tap.client(typed);
  registerSecrets(client.auth, redactor);
  checkBaseUrl(client.baseUrl, redactor);
  const http = new HttpClient({
    baseUrl: client.baseUrl,
    auth: client.auth,
    userAgent: String(settings.user_agent),
    timeoutSeconds: Number(settings.request_timeout),
    maxRetries: Number(settings.max_retries),
    maxParallelRequests: Number(settings.max_parallel_requests ?? 1),
    ...(typeof settings.max_requests_per_second === 'number' ? { maxRequestsPerSecond: settings.max_requests_per_second } : {}),
    backoffSeconds: Number(settings.retry_backoff_seconds),
    ...(client.headers ? { headers: client.headers } : {}),
  }, log);
  ctx.onHttp(http);
  const startKey = tap.startDateSetting ?? 'start_date';
  const startDate = typeof settings[startKey] === 'string' ? (settings[startKey] as string) : undefined;
  const options = {
    tap, settings: typed, streams, state, stateGiven, writer: out, log, http,
    mode: args.test !== undefined ? ('test' as const) : ('sync' as const),
    activateVersion: settings.emit_activate_version_messages === true,
    concurrency: {
      streams: Number(settings.max_parallel_streams ?? 1),
      pages: Number(settings.max_parallel_requests ?? 1),
      partitions: Number(settings.max_parallel_requests ?? 1),
    },
    errorPolicy: settings.error_policy === 'skip' ? ('skip' as const) : ('fail' as const),
    signal: ctx.signal,
    ...(startDate ? { startDate } : {}),
  };
  const run = new SyncRun(options, createAjv());
  if (args.test === 'schema') {
    run.schemasOnly();
    return 0;
  }
  const selected = [...streams.values()].filter((s) => s.selection.selected).length;
  log.info(`sync of ${counted(selected, 'selected stream')} from ${redactor.url(client.baseUrl)}`);
  const t0 = performance.now();
  let outcome = 'failed';
  try {
    await run.run();
    // Open BATCH files completed (a --test run writes no STATE that would complete them).
    if (out !== writer) await out.close();
    outcome = ctx.signal.stopped ? 'stopped' : 'finished';
  } catch (error) {
    if (out instanceof TransformingWriter) out.abandon();
    throw error;
  } finally {
    const { streams: n, records } = run.totals();
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
 * its settings). `build` gets the parsed command line and the run's logger (whose redactor it must
 * give any secret it reads); its UserErrors are reported like every other.
 */
export interface TapFactory<S> {
  name: string;
  /** For `--help`. */
  description?: string;
  build(input: { args: CliArgs; log: Logger }): Promise<Tap<S>>;
}

/**
 * The entry point of every tap binary: parses the command line, runs discovery/about/sync, prints
 * user mistakes as one CRITICAL line (exit 1), and always flushes stdout before exiting.
 */
export async function runTap<S>(tapOrFactory: Tap<S> | TapFactory<S>, argv: string[] = process.argv.slice(2)): Promise<void> {
  const redactor = new Redactor();
  const log = new Logger(tapOrFactory.name, redactor);
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
      const tap = 'build' in tapOrFactory ? await tapOrFactory.build({ args, log }) : tapOrFactory;
      code = await main(tap, args, { log, redactor, writer, signal, onHttp: (h) => { http = h; } });
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
