import { Redactor } from './redact.js';
import { envName } from '../config/settings.js';
import { exceptionInfo, logSettingsFromEnv, serialiseRedacted, structuredLine, type LogFormat } from './logjson.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'critical';
const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, critical: 50 };

export interface MetricTags {
  stream?: string;
  endpoint?: string;
  http_status_code?: number;
  status?: string;
  context?: Record<string, unknown>;
  [tag: string]: unknown;
}

/** Extra fields of one log line (used by the structured format; the text format shows the message only). */
export interface LogFields {
  stream?: string;
  /** The error behind the line: its type, message and cause chain go into the JSON `exception`. */
  error?: unknown;
  /** Include the stack in the JSON `exception` (internal errors only, never a user mistake). */
  traceback?: boolean;
  extra?: Record<string, unknown>;
}

function levelFromEnv(value: string | undefined): LogLevel {
  const v = (value ?? '').toLowerCase();
  if (v === 'warning') return 'warn';
  return v in LEVELS ? (v as LogLevel) : 'info';
}

/** The LOGLEVEL value when it names no level (it then means info, and the tap says so once). */
function unknownLevel(value: string | undefined): string | undefined {
  const v = (value ?? '').toLowerCase();
  return v && v !== 'warning' && !(v in LEVELS) ? value : undefined;
}

/** Where a logger writes and how much: level and format default to the environment. */
export interface LoggerOptions {
  redactor: Redactor;
  /** Default stderr. */
  out?: NodeJS.WriteStream;
  level?: LogLevel;
  format?: LogFormat;
}

/**
 * Everything the tap says that is not a Singer message: log lines, METRIC lines and the live
 * progress line. All of it goes to stderr, and all of it passes through the redactor.
 */
export class Logger {
  readonly level: LogLevel;
  private readonly threshold: number;
  private progressShown = false;
  readonly tty: boolean;
  readonly format: LogFormat;

  /**
   * Level and format default to the environment: `<TAP>_LOGLEVEL`, `LOGLEVEL` (or the level of
   * Meltano's SINGER_SDK_LOG_CONFIG), and `<TAP>_LOG_FORMAT` / `LOG_FORMAT` / SINGER_SDK_LOG_CONFIG.
   */
  readonly redactor: Redactor;
  private readonly out: NodeJS.WriteStream;

  constructor(readonly name: string, options: LoggerOptions) {
    const { level, format } = options;
    this.redactor = options.redactor;
    const out = (this.out = options.out ?? process.stderr);
    const env = level && format ? undefined : logSettingsFromEnv(name);
    const fromEnv = process.env[envName(name, 'loglevel')] ?? process.env.LOGLEVEL ?? process.env.LOG_LEVEL ?? env?.level;
    this.level = level ?? levelFromEnv(fromEnv);
    this.threshold = LEVELS[this.level];
    this.format = format ?? env?.format ?? 'text';
    // The live progress line is for people at a terminal, never inside a JSON stream.
    this.tty = Boolean(out.isTTY) && !process.env.CI && this.format === 'text';
    const unknown = level === undefined ? unknownLevel(fromEnv) : undefined;
    if (unknown !== undefined) this.warn(`LOGLEVEL=${unknown} is not a level (debug, info, warn, error, critical): using info`);
  }

  enabled(level: LogLevel): boolean {
    return LEVELS[level] >= this.threshold;
  }

  private emit(line: string): void {
    if (this.progressShown) {
      this.out.write('\r\x1b[2K');
      this.progressShown = false;
    }
    this.out.write(this.redactor.redact(line) + '\n');
  }

  private emitJson(line: Parameters<typeof structuredLine>[0]): void {
    this.out.write(serialiseRedacted(structuredLine(line), (s) => this.redactor.redact(s)) + '\n');
  }

  log(level: LogLevel, message: string, fields?: LogFields): void {
    if (!this.enabled(level)) return;
    if (this.format === 'json') {
      this.emitJson({
        level, loggerName: this.name, appName: this.name, message, stream: fields?.stream,
        ...(fields?.extra ? { extra: fields.extra } : {}),
        ...(fields?.error !== undefined ? { exception: exceptionInfo(fields.error, fields.traceback === true) } : {}),
      });
      return;
    }
    this.emit(`${new Date().toISOString()} ${level.toUpperCase()} ${this.name} ${message}`);
  }
  debug(message: string, fields?: LogFields): void { this.log('debug', message, fields); }
  info(message: string, fields?: LogFields): void { this.log('info', message, fields); }
  warn(message: string, fields?: LogFields): void { this.log('warn', message, fields); }
  error(message: string, fields?: LogFields): void { this.log('error', message, fields); }
  critical(message: string, fields?: LogFields): void { this.log('critical', message, fields); }

  /** A counter METRIC: `METRIC: {...}` as the Singer/Meltano tooling parses it (structured: message `METRIC` with `metric_info`). */
  counter(metric: string, value: number, tags: MetricTags): void {
    this.metric('counter', metric, value, tags);
  }

  /** A timer METRIC, in seconds. */
  timer(metric: string, seconds: number, tags: MetricTags): void {
    this.metric('timer', metric, seconds, tags);
  }

  private metric(type: 'counter' | 'timer', metric: string, value: number, tags: MetricTags): void {
    if (!this.enabled('info')) return;
    // Timers in seconds to the millisecond: 0.123, not 0.12345678901234568.
    const shown = type === 'timer' ? Math.round(value * 1000) / 1000 : value;
    if (this.format === 'json') {
      const stream = typeof tags.stream === 'string' ? tags.stream : undefined;
      this.emitJson({ level: 'info', loggerName: `${this.name}.metrics`, appName: this.name, message: 'METRIC', stream, metric: { type, metric, value: shown, tags } });
      return;
    }
    this.emit(`METRIC: ${JSON.stringify({ type, metric, value: shown, tags })}`);
  }

  /** A single self-overwriting line, only when stderr is a terminal. */
  progress(text: string): void {
    if (!this.tty) return;
    this.out.write(`\r\x1b[2K${this.redactor.redact(text)}`);
    this.progressShown = true;
  }

  endProgress(): void {
    if (this.progressShown) this.out.write('\r\x1b[2K');
    this.progressShown = false;
  }
}
