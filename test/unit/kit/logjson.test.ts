import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it, expect } from 'vitest';
import { Logger } from '../../../src/kit/log/log.js';
import { logSettingsFromEnv, exceptionInfo } from '../../../src/kit/log/logjson.js';
import { Redactor } from '../../../src/kit/log/redact.js';
import { UserError } from '../../../src/kit/core/errors.js';

function jsonLogger(level: 'debug' | 'info' | 'warn' = 'info') {
  const out: string[] = [];
  const stream = { write: (s: string) => { out.push(s); return true; }, isTTY: true } as unknown as NodeJS.WriteStream;
  const redactor = new Redactor();
  redactor.add('super"secret\\value');
  return { log: new Logger('tap-x', { redactor, out: stream, level, format: 'json' }), out, lines: () => out.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

const REQUIRED = ['level', 'pid', 'logger_name', 'ts', 'thread_name', 'app_name', 'stream_name', 'message', 'extra'];

describe('structured (JSON) logs', () => {
  it('one JSON object per line with the SDK fields, Python level names, stream from the message', () => {
    const { log, out, lines } = jsonLogger();
    log.info("stream 'users': sync started");
    log.warn('careful');
    expect(out.every((l) => l.endsWith('\n') && !l.slice(0, -1).includes('\n'))).toBe(true);
    const [a, b] = lines();
    for (const k of REQUIRED) expect(a).toHaveProperty(k);
    expect(a).toMatchObject({ level: 'info', pid: process.pid, logger_name: 'tap-x', app_name: 'tap-x', stream_name: 'users', thread_name: 'MainThread', message: "stream 'users': sync started", extra: {} });
    expect(typeof a!.ts).toBe('number');
    expect(Math.abs((a!.ts as number) - Date.now() / 1000)).toBeLessThan(60);
    expect(b).toMatchObject({ level: 'warning', stream_name: null });
  });

  it('METRIC lines carry metric_info and the stream tag', () => {
    const { log, lines } = jsonLogger();
    log.counter('record_count', 12, { stream: 'users' });
    expect(lines()[0]).toMatchObject({ message: 'METRIC', logger_name: 'tap-x.metrics', stream_name: 'users', metric_info: { type: 'counter', metric: 'record_count', value: 12, tags: { stream: 'users' } } });
  });

  it('redacts secrets in every field, even ones that JSON would escape', () => {
    const { log, out } = jsonLogger();
    log.error('token super"secret\\value used', { extra: { header: 'Bearer super"secret\\value' }, error: new Error('bad super"secret\\value') });
    expect(out[0]).not.toContain('secret');
    const line = JSON.parse(out[0]!) as { message: string; extra: { header: string }; exception: { message: string } };
    expect(line.message).toBe('token *** used');
    expect(line.extra.header).toBe('Bearer ***');
    expect(line.exception.message).toBe('bad ***');
  });

  it('exception: type, module, message and the cause chain; a traceback only when asked', () => {
    const root = new TypeError('socket hang up');
    const err = new UserError('GET /users failed', 1, { cause: new Error('retries exhausted', { cause: root }) });
    const info = exceptionInfo(err, false);
    expect(info).toMatchObject({ type: 'UserError', module: 'singer-taps-ts', message: 'GET /users failed', cause: { type: 'Error', module: 'builtins', message: 'retries exhausted', cause: { type: 'TypeError', message: 'socket hang up' } } });
    expect(info.traceback).toBeUndefined();
    const withTb = exceptionInfo(new Error('boom'), true);
    expect(withTb.traceback?.length).toBeGreaterThan(0);
    expect(withTb.traceback?.[0]).toHaveProperty('lineno');
  });

  it('never draws the progress line in JSON mode', () => {
    const { log, out } = jsonLogger();
    log.progress('users: 10 records');
    expect(out).toEqual([]);
  });

  it('reads the format from <TAP>_LOG_FORMAT, LOG_FORMAT, or Meltano SINGER_SDK_LOG_CONFIG', () => {
    expect(logSettingsFromEnv('tap-x', {}).format).toBe('text');
    expect(logSettingsFromEnv('tap-x', { LOG_FORMAT: 'json' }).format).toBe('json');
    expect(logSettingsFromEnv('tap-x', { TAP_X_LOG_FORMAT: 'JSON', LOG_FORMAT: 'text' }).format).toBe('json');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'logcfg-'));
    const file = path.join(dir, 'logging.json');
    writeFileSync(file, JSON.stringify({ version: 1, formatters: { singer_formatter: { '()': 'singer_sdk.logging.StructuredFormatter' } }, root: { level: 'DEBUG' } }));
    expect(logSettingsFromEnv('tap-x', { SINGER_SDK_LOG_CONFIG: file })).toEqual({ format: 'json', level: 'DEBUG' });
    writeFileSync(file, JSON.stringify({ version: 1, formatters: { singer_formatter: { format: '%(message)s' } }, root: { level: 'INFO' } }));
    expect(logSettingsFromEnv('tap-x', { SINGER_SDK_LOG_CONFIG: file }).format).toBe('text');
  });
});
