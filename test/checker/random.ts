/**
 * A seeded pseudo-random generator (mulberry32): the same seed gives the same scenario, the same
 * data and the same draws of faults and mutations (the interleaving of a tap's parallel requests
 * is the operating system's, so a seed reproduces a scenario, not every byte of a run).
 */
export class Random {
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** An independent generator for one purpose (so adding draws to one does not shift the others). */
  fork(salt: number): Random {
    return new Random((Math.imul(this.seed ^ 0x9e3779b9, 0x85ebca6b) + salt * 0xc2b2ae35) >>> 0);
  }
}
