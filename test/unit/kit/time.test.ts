import { describe, it, expect } from 'vitest';
import { toIsoSeconds, toIsoDate, daysBefore } from '../../../src/kit/time.js';

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
  it('daysBefore', () => {
    expect(daysBefore('2024-03-01T00:00:00Z', 1)).toBe('2024-02-29T00:00:00.000Z');
    expect(daysBefore(new Date('2024-01-10T12:00:00Z'), 0.5)).toBe('2024-01-10T00:00:00.000Z');
  });
});
