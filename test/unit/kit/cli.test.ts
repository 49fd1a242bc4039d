import { describe, it, expect } from 'vitest';
import { parseArgs, type CliArgs } from '../../../src/kit/cli/cli.js';
import { UserError } from '../../../src/kit/core/errors.js';
import { helpText } from '../../../src/kit/cli/help-text.js';
import { userError } from './support.js';

const TAP = 'tap-test';
const parse = (...argv: string[]) => parseArgs(TAP, argv) as CliArgs;


describe('parseArgs', () => {
  it('defaults', () => {
    expect(parse()).toEqual({ config: [], discover: false, about: false, format: 'text', version: false });
  });

  it('repeatable --config keeps the order, including --config=ENV', () => {
    expect(parse('--config', 'a.json', '--config', 'b.json').config).toEqual(['a.json', 'b.json']);
    expect(parse('--config=ENV').config).toEqual(['ENV']);
    expect(parse('--config', 'a.json', '--config=ENV', '--config', 'c.json').config).toEqual(['a.json', 'ENV', 'c.json']);
  });

  it('--discover, --catalog, --properties, --state', () => {
    const a = parse('--config', 'c.json', '--discover');
    expect(a.discover).toBe(true);
    const b = parse('--config', 'c.json', '--catalog', 'cat.json', '--state', 'state.json');
    expect(b.catalog).toBe('cat.json');
    expect(b.state).toBe('state.json');
    expect(b.discover).toBe(false);
    expect(parse('--properties', 'props.json').properties).toBe('props.json');
  });

  it('--test and --test=schema', () => {
    expect(parse('--config', 'c.json', '--test').test).toBe('');
    expect(parse('--test', '--config', 'c.json').test).toBe('');
    expect(parse('--test', '--config', 'c.json').config).toEqual(['c.json']);
    expect(parse('--config', 'c.json', '--test=schema').test).toBe('schema');
    expect(parse('--config', 'c.json')).not.toHaveProperty('test');
  });

  it('--test with another value is a UserError', () => {
    const e = userError(() => parse('--test=everything'));
    expect(e.message).toContain('--test=everything');
  });

  it('--about with --format', () => {
    const a = parse('--about', '--format', 'markdown');
    expect(a.about).toBe(true);
    expect(a.format).toBe('markdown');
    expect(parse('--about', '--format=json').format).toBe('json');
    expect(parse('--about').format).toBe('text');
  });

  it('--version', () => {
    expect(parse('--version').version).toBe(true);
  });

  it('an unknown flag is a UserError pointing at --help', () => {
    const e = userError(() => parse('--config', 'c.json', '--catalogue', 'x.json'));
    expect(e.message).toMatch(/catalogue/);
    expect(e.message).toContain(`(see ${TAP} --help)`);
  });

  it('a bad --format is a UserError', () => {
    const e = userError(() => parse('--about', '--format', 'yaml'));
    expect(e.message).toMatch(/yaml/);
    expect(e.message).toContain(`(see ${TAP} --help)`);
  });

  it('a flag missing its value is a UserError, not a silent default', () => {
    expect(() => parse('--catalog')).toThrow(/--catalog needs a file name/);
    expect(() => parse('--state', '--config', 'c.json')).toThrow(/--state needs a file name/);
    expect(() => parse('--config', 'c.json', '--properties')).toThrow(UserError);
  });
});

describe('parseArgs: one line per mistake', () => {
  it('a bad --format choice is reported on one line', () => {
    const error = userError(() => parseArgs('tap-x', ['--about', '--format', 'xml']));
    expect(error.message).not.toContain('\n');
    expect(error.message).toMatch(/format.*xml/);
  });
});

describe('--help', () => {
  it("starts with the tap's own description and never breaks a word", () => {
    const written: string[] = [];
    const original = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string) => { written.push(String(chunk)); return true; }) as typeof process.stdout.write;
    try {
      expect(parseArgs('tap-betterstack', ['--help'], 'Better Stack Uptime: monitors, status pages, heartbeats, groups, incidents (with their monitors) and on-call calendars (with their users).')).toBe('help');
    } finally {
      process.stdout.write = original;
    }
    const text = written.join('');
    expect(text.startsWith('tap-betterstack: Better Stack Uptime: monitors')).toBe(true);
    expect(text).not.toContain('a Singer tap');
    expect(text).toContain('\n  tap-betterstack --config CONFIG [--catalog catalog.json] [--state state.json]\n');
    // Every line is at most the width, and the words of the description survive whole.
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
    expect(text.replace(/\s+/g, ' ')).toContain('incidents (with their monitors) and on-call calendars (with their users).');
    // The environment variables and the exit codes are listed.
    for (const word of ['LOGLEVEL', 'LOG_FORMAT', 'Exit codes:', '130', '143']) expect(text).toContain(word);
  });

  it('wraps option descriptions at spaces, under their own column, at any width', () => {
    const output = '      --config      Config JSON file (repeatable, later wins); --config=ENV reads <TAP>_<SETTING> environment variables [array] [default: []]\n'
      + '      --test        Sync one record per stream (--test), or print SCHEMA messages only (--test=schema) [string]';
    const text = helpText(output, 60);
    const lines = text.split('\n');
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(60);
    expect(lines.slice(1).every((l) => l.startsWith(' '.repeat(20)) || l.startsWith('      --'))).toBe(true);
    for (const word of ['environment', '(--test=schema)', '<TAP>_<SETTING>']) expect(text).toMatch(new RegExp(`(^|\\s)${word.replace(/[()]/g, '\\$&')}(\\s|$)`));
  });
});
