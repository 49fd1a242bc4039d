import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { envName } from '../config/settings.js';

/**
 * Structured logs as the Meltano SDK writes them (`singer_sdk.logging.StructuredFormatter`): one
 * JSON object per stderr line with `level`, `pid`, `logger_name`, `ts` (Unix seconds), `thread_name`,
 * `app_name`, `stream_name`, `message`, `extra`, and `metric_info` / `exception` when they apply.
 */
export type LogFormat = 'text' | 'json';

export interface ExceptionInfo {
  type: string;
  module: string;
  message: string;
  traceback?: Array<{ filename: string; function: string; lineno: number; line: string }>;
  cause?: ExceptionInfo;
}

export interface StructuredLine {
  level: string;
  pid: number;
  logger_name: string;
  ts: number;
  thread_name: string | null;
  app_name: string;
  stream_name: string | null;
  message: string;
  extra: Record<string, unknown>;
  metric_info?: { type: string; metric: string; value: number; tags: Record<string, unknown> };
  exception?: ExceptionInfo;
}

/** Python's level names, which Meltano's log parser expects. */
export const PY_LEVEL: Record<string, string> = { debug: 'debug', info: 'info', warn: 'warning', error: 'error', critical: 'critical' };

const FRAME = /^\s*at (?:(.+?) \()?(.+?):(\d+):\d+\)?$/;

function frames(stack: string | undefined): ExceptionInfo['traceback'] {
  if (!stack) return undefined;
  const out: NonNullable<ExceptionInfo['traceback']> = [];
  for (const line of stack.split('\n').slice(1)) {
    const m = FRAME.exec(line);
    if (m) out.push({ filename: m[2] as string, function: m[1] ?? '<anonymous>', lineno: Number(m[3]), line: '' });
  }
  // Python lists the outermost frame first.
  return out.reverse();
}

/**
 * An error as the SDK's `exception` object, following `cause` (the SDK's `__cause__` chain). The
 * traceback is given only when asked (internal errors): a user mistake never shows a stack.
 */
export function exceptionInfo(error: unknown, withTraceback: boolean, depth = 0): ExceptionInfo {
  if (!(error instanceof Error)) return { type: typeof error, module: 'builtins', message: String(error) };
  const ctor = error.constructor?.name;
  const info: ExceptionInfo = { type: ctor && ctor !== 'Error' ? ctor : error.name, module: error.constructor === Error || error.constructor.name in globalThis ? 'builtins' : 'singer-taps-ts', message: error.message };
  if (withTraceback) {
    const tb = frames(error.stack);
    if (tb?.length) info.traceback = tb;
  }
  if (error.cause !== undefined && depth < 10) info.cause = exceptionInfo(error.cause, withTraceback, depth + 1);
  return info;
}

let threadName: string | undefined;

/** `MainThread` or `Thread-N`, as Python names it; worker_threads is loaded by the first JSON line, not by every start-up. */
function currentThreadName(): string {
  if (threadName === undefined) {
    const { threadId } = createRequire(import.meta.url)('node:worker_threads') as typeof import('node:worker_threads');
    threadName = threadId === 0 ? 'MainThread' : `Thread-${threadId}`;
  }
  return threadName;
}

/** `stream 'users': ...` (the kit's convention) names the stream the line is about. */
const STREAM_PREFIX = /^stream '([^']+)'/;

export function structuredLine(o: { level: string; loggerName: string; appName: string; message: string; stream?: string | undefined; metric?: StructuredLine['metric_info']; exception?: ExceptionInfo; extra?: Record<string, unknown> }): StructuredLine {
  const line: StructuredLine = {
    level: PY_LEVEL[o.level] ?? o.level,
    pid: process.pid,
    logger_name: o.loggerName,
    ts: Date.now() / 1000,
    thread_name: currentThreadName(),
    app_name: o.appName,
    stream_name: o.stream ?? STREAM_PREFIX.exec(o.message)?.[1] ?? null,
    message: o.message,
    extra: o.extra ?? {},
  };
  if (o.metric) line.metric_info = o.metric;
  if (o.exception) line.exception = o.exception;
  return line;
}

/** Serialises a line with every string in it redacted (before escaping, so no secret survives as JSON). */
export function serialiseRedacted(line: StructuredLine, redact: (s: string) => string): string {
  return JSON.stringify(line, (_key, value: unknown) => (typeof value === 'string' ? redact(value) : value));
}

/**
 * The format asked for: `<TAP>_LOG_FORMAT` or `LOG_FORMAT` (`json` | `text`), or, as Meltano runs
 * plugins declaring `structured-logging`, a `SINGER_SDK_LOG_CONFIG` file whose formatter is the SDK's
 * StructuredFormatter. Also returns that file's root level, which Meltano sets to its own.
 */
export function logSettingsFromEnv(tapName: string, env: NodeJS.ProcessEnv = process.env): { format: LogFormat; level?: string } {
  const explicit = env[envName(tapName, 'log_format')] ?? env.LOG_FORMAT;
  let format: LogFormat | undefined = explicit ? (explicit.trim().toLowerCase() === 'json' ? 'json' : 'text') : undefined;
  let level: string | undefined;
  const file = env.SINGER_SDK_LOG_CONFIG;
  if (file) {
    try {
      // Meltano writes this file as JSON (valid YAML); a hand-written YAML file is not read.
      const config = JSON.parse(readFileSync(file, 'utf8')) as { formatters?: Record<string, Record<string, unknown>>; root?: { level?: unknown } };
      const structured = Object.values(config.formatters ?? {}).some((f) => String(f['()'] ?? f.class ?? '').endsWith('StructuredFormatter'));
      format ??= structured ? 'json' : undefined;
      if (typeof config.root?.level === 'string') level = config.root.level;
    } catch {
      // Not JSON, or unreadable: the default format.
    }
  }
  return level ? { format: format ?? 'text', level } : { format: format ?? 'text' };
}
