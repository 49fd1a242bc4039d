import type { Logger } from '../log/log.js';
import { counted } from '../core/text.js';
import type { StreamRun } from './stream-plan.js';

/** The live progress line at a terminal: a stream's records, pages and rate, at most four times a second. */
export class ProgressLine {
  private last = 0;

  constructor(private readonly log: Logger) {}

  show(run: StreamRun): void {
    if (!this.log.tty) return;
    const now = performance.now();
    if (now - this.last < 250) return;
    this.last = now;
    const rate = run.count / Math.max(0.001, (now - run.started) / 1000);
    this.log.progress(`${run.def.name}: ${counted(run.count, 'record')}, ${counted(run.pages, 'page')}, ${Math.round(rate).toLocaleString('en')} rec/s`);
  }
}
