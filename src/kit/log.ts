import { Redactor } from './redact.js';

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

/**
 * Everything the tap says that is not a Singer message: log lines, METRIC lines and the live
 * progress line. All of it goes to stderr, and all of it passes through the redactor.
 */
export class Logger {
  readonly level: LogLevel;
  private readonly threshold: number;
  private progressShown = false;
  readonly tty: boolean;

  constructor(
    readonly name: string,
    readonly redactor: Redactor,
    private readonly out: NodeJS.WriteStream = process.stderr,
    level?: LogLevel,
  ) {
    const fromEnv = process.env.LOGLEVEL ?? process.env.LOG_LEVEL;
    this.level = level ?? levelFromEnv(fromEnv);
    this.threshold = LEVELS[this.level];
    this.tty = Boolean(out.isTTY) && !process.env.CI;
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

  log(level: LogLevel, message: string): void {
    if (!this.enabled(level)) return;
    this.emit(`${new Date().toISOString()} ${level.toUpperCase()} ${this.name} ${message}`);
  }
  debug(message: string): void { this.log('debug', message); }
  info(message: string): void { this.log('info', message); }
  warn(message: string): void { this.log('warn', message); }
  error(message: string): void { this.log('error', message); }
  critical(message: string): void { this.log('critical', message); }

  /** `METRIC: {...}` as the Singer/Meltano tooling parses it. */
  metric(type: 'counter' | 'timer', metric: string, value: number, tags: MetricTags): void {
    if (!this.enabled('info')) return;
    // Timers in seconds to the millisecond: 0.123, not 0.12345678901234568.
    const shown = type === 'timer' ? Math.round(value * 1000) / 1000 : value;
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
