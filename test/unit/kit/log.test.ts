import { describe, it, expect } from 'vitest';
import { Logger } from '../../../src/kit/log/log.js';
import { Redactor } from '../../../src/kit/log/redact.js';

function logger(level: 'debug' | 'info' | 'warn' = 'info', isTTY = false) {
  const out: string[] = [];
  const stream = { write: (s: string) => { out.push(s); return true; }, isTTY } as unknown as NodeJS.WriteStream;
  const redactor = new Redactor();
  redactor.add('super-secret');
  return { log: new Logger('tap-x', { redactor, out: stream, level }), out };
}

describe('Logger', () => {
  it('writes timestamped lines with level and name, redacted', () => {
    const { log, out } = logger();
    log.info('token super-secret used');
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z INFO tap-x token \*\*\* used\n$/);
  });

  it('filters by level', () => {
    const { log, out } = logger('warn');
    log.debug('d');
    log.info('i');
    log.warn('w');
    log.error('e');
    log.critical('c');
    expect(out.map((l) => l.split(' ')[1])).toEqual(['WARN', 'ERROR', 'CRITICAL']);
    expect(log.enabled('info')).toBe(false);
    expect(log.enabled('critical')).toBe(true);
  });

  it('METRIC lines are parseable JSON after the prefix, and follow the info level', () => {
    const { log, out } = logger();
    log.counter('record_count', 12, { stream: 'users' });
    expect(out[0]!.startsWith('METRIC: ')).toBe(true);
    expect(JSON.parse(out[0]!.slice('METRIC: '.length))).toEqual({ type: 'counter', metric: 'record_count', value: 12, tags: { stream: 'users' } });
    const quiet = logger('warn');
    quiet.log.counter('record_count', 1, {});
    expect(quiet.out).toEqual([]);
  });

  it('progress only on a terminal, and a log line clears it first', () => {
    const plain = logger('info', false);
    plain.log.progress('users: 10 records');
    expect(plain.out).toEqual([]);
    const prev = process.env.CI;
    delete process.env.CI;
    try {
      const tty = logger('info', true);
      tty.log.progress('users: 10 records super-secret');
      expect(tty.out[0]).toBe('\r\x1b[2Kusers: 10 records ***');
      tty.log.info('next');
      expect(tty.out[1]).toBe('\r\x1b[2K');
      expect(tty.out[2]).toMatch(/INFO tap-x next\n$/);
    } finally {
      if (prev !== undefined) process.env.CI = prev;
    }
  });
});

describe('Logger: people-facing details', () => {
  it('prints timer metrics to the millisecond', () => {
    const { log, out } = logger();
    log.timer('sync_duration', 0.12345678901234568, { status: 'succeeded' });
    expect(out[0]).toBe('METRIC: {"type":"timer","metric":"sync_duration","value":0.123,"tags":{"status":"succeeded"}}\n');
  });

  it('says once that an unknown LOGLEVEL means info', () => {
    const saved = process.env.LOGLEVEL;
    process.env.LOGLEVEL = 'verbose';
    try {
      const out: string[] = [];
      const stream = { write: (s: string) => { out.push(s); return true; }, isTTY: false } as unknown as NodeJS.WriteStream;
      const log = new Logger('tap-x', { redactor: new Redactor(), out: stream });
      log.info('hello');
      expect(log.level).toBe('info');
      expect(out).toHaveLength(2);
      expect(out[0]).toMatch(/WARN tap-x LOGLEVEL=verbose is not a level \(debug, info, warn, error, critical\): using info/);
    } finally {
      if (saved === undefined) delete process.env.LOGLEVEL;
      else process.env.LOGLEVEL = saved;
    }
  });
});
