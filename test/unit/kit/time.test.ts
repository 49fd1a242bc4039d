import { describe, it, expect } from 'vitest';
import { toIsoSeconds, toIsoDate, instantMs } from '../../../src/kit/core/time.js';

describe('time helpers', () => {
  it('toIsoSeconds: RFC 3339 UTC without milliseconds', () => {
    expect(toIsoSeconds('2024-01-02T03:04:05.678+02:00')).toBe('2024-01-02T01:04:05Z');
    expect(toIsoSeconds(0)).toBe('1970-01-01T00:00:00Z');
    expect(toIsoSeconds(new Date(Date.UTC(2024, 1, 29, 23, 59, 59)))).toBe('2024-02-29T23:59:59Z');
    expect(() => toIsoSeconds('nope')).toThrow(RangeError);
  });
  it('toIsoDate: the UTC day', () => {
    expect(toIsoDate('2024-01-01T23:30:00-02:00')).toBe('2024-01-02');
  });
  it('instantMs reads epoch seconds, epoch ms, naive timestamps as UTC, and rejects non-dates', () => {
    expect(instantMs(1700000000)).toBe(1700000000000);
    expect(instantMs(1700000000123)).toBe(1700000000123);
    expect(instantMs('2024-01-01T00:00:00')).toBe(Date.UTC(2024, 0, 1));
    expect(instantMs('2024-01-01T02:00:00+02:00')).toBe(Date.UTC(2024, 0, 1));
    expect(instantMs('version 2')).toBeUndefined();
    expect(instantMs('')).toBeUndefined();
  });
});

describe('instantMs quick path', () => {
  it('reads canonical UTC strings like Date.parse, and everything else as before', () => {
    expect(instantMs('2024-03-01T10:20:30Z')).toBe(Date.UTC(2024, 2, 1, 10, 20, 30));
    expect(instantMs('2024-03-01T10:20:30.250Z')).toBe(Date.UTC(2024, 2, 1, 10, 20, 30, 250));
    expect(instantMs('2024-03-01T10:20:30+01:00')).toBe(Date.UTC(2024, 2, 1, 9, 20, 30));
    expect(instantMs('2024-13-01T10:20:30Z')).toBeUndefined();
    expect(instantMs('version 2')).toBeUndefined();
  });
});
