/**
 * One run of a real tap binary (bin/tap-rest): its stdout read line by line as a target would,
 * BATCH files opened as their messages arrive, and the run's interruption applied when its line
 * comes: a signal (SIGKILL, SIGTERM, SIGINT), the reader closing stdout (the tap meets EPIPE), or a
 * reader that stops reading for a while.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Interruption } from './scenario.js';

/** The repository: the nearest folder above this file with bin/tap-rest (from test/checker, or compiled to dist-checker/). */
export const ROOT = ((): string => {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'bin', 'tap-rest'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('bin/tap-rest not found above the checker');
    dir = up;
  }
  return dir;
})();

export type Message =
  | { type: 'SCHEMA'; stream: string; key_properties?: string[] }
  | { type: 'RECORD'; stream: string; record: Record<string, unknown>; version?: number }
  | { type: 'STATE'; value: { bookmarks?: Record<string, Record<string, unknown>> } }
  | { type: 'ACTIVATE_VERSION'; stream: string; version: number };

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  /** Whether the interruption was applied (the run may end before its message). */
  interrupted: boolean;
  lines: number;
  ms: number;
}

export interface RunOptions {
  tap: string;
  args: string[];
  interruption?: Interruption;
  /** Every message the reader took, in order (a BATCH message becomes the RECORDs of its file). */
  onMessage: (message: Message) => void;
  timeoutMs?: number;
}

function parse(line: string, deliver: (m: Message) => void): void {
  const message = JSON.parse(line) as { type: string; stream?: string; manifest?: string[] };
  if (message.type === 'BATCH') {
    for (const url of message.manifest ?? []) {
      for (const text of readFileSync(fileURLToPath(url), 'utf8').split('\n')) {
        if (text !== '') deliver({ type: 'RECORD', stream: message.stream as string, record: JSON.parse(text) as Record<string, unknown> });
      }
    }
    return;
  }
  deliver(message as Message);
}

export function runTap(options: RunOptions): Promise<RunResult> {
  const started = performance.now();
  const child = spawn(process.execPath, [path.join(ROOT, 'bin', options.tap), ...options.args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const cut = options.interruption;
  let stderr = '';
  let pending = '';
  let lines = 0;
  let delivered = 0;
  let interrupted = false;
  let reading = true;
  child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    if (!reading) return;
    pending += d;
    let nl: number;
    while (reading && (nl = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      if (line === '') continue;
      lines++;
      parse(line, (m) => {
        delivered++;
        options.onMessage(m);
      });
      if (cut && !interrupted && delivered >= cut.afterMessages) {
        interrupted = true;
        switch (cut.kind) {
          case 'SIGKILL':
          case 'SIGTERM':
          case 'SIGINT':
            child.kill(cut.kind);
            break;
          case 'EPIPE':
            // The reader is gone: what the pipe still holds is never read.
            reading = false;
            child.stdout.destroy();
            break;
          case 'stall':
            child.stdout.pause();
            setTimeout(() => child.stdout.resume(), cut.stallMs);
            break;
          case 'sibling404':
            break;
        }
      }
    }
  });
  return new Promise<RunResult>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${options.tap} did not exit within ${options.timeoutMs ?? 60_000} ms; stderr tail:\n${stderr.slice(-2000)}`));
    }, options.timeoutMs ?? 60_000);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      // A line cut short by a kill was never a message.
      resolve({ code, signal, stderr, interrupted: interrupted || cut?.kind === 'sibling404', lines, ms: performance.now() - started });
    });
  });
}
