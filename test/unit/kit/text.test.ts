import { describe, it, expect } from 'vitest';
import { counted, terminalWidth, wrapText } from '../../../src/kit/core/text.js';

describe('wrapText', () => {
  it('breaks at spaces only, never inside a word, with an indent on continuation lines', () => {
    const text = 'tap-betterstack: Better Stack Uptime: monitors, status pages, heartbeats, groups, incidents and on-call calendars.';
    const lines = wrapText(text, 40, '  ').split('\n');
    expect(lines.length).toBeGreaterThan(2);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(40);
    expect(lines.slice(1).every((l) => l.startsWith('  ') && !l.startsWith('   '))).toBe(true);
    expect(lines.map((l) => l.trim()).join(' ')).toBe(text);
  });

  it('keeps a word longer than the line whole', () => {
    expect(wrapText('a verylongwordthatdoesnotfit b', 10)).toBe('a\nverylongwordthatdoesnotfit\nb');
  });
});

describe('terminalWidth', () => {
  it('is the terminal width on a TTY, 100 otherwise, never below 60', () => {
    expect(terminalWidth({ isTTY: true, columns: 132 })).toBe(132);
    expect(terminalWidth({ isTTY: false, columns: 132 })).toBe(100);
    expect(terminalWidth({ isTTY: true, columns: 20 })).toBe(60);
  });
});

describe('counted', () => {
  it('says 1 page, 2 pages, 1,234 records, 1 retry, 3 retries', () => {
    expect(counted(1, 'page')).toBe('1 page');
    expect(counted(2, 'page')).toBe('2 pages');
    expect(counted(0, 'record')).toBe('0 records');
    expect(counted(1234, 'record')).toBe('1,234 records');
    expect(counted(1, 'retry', 'retries')).toBe('1 retry');
    expect(counted(3, 'retry', 'retries')).toBe('3 retries');
  });
});
