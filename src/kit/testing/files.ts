import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isObject } from './json-schema.js';

/** A private temporary folder for the catalogs, states and configs the suite hands to the tap. */
export class ScratchFiles {
  private dir: string | undefined;

  /** Writes `value` as JSON (owner-only: configs hold secrets) and returns the file's path. */
  json(name: string, value: unknown): string {
    this.dir ??= mkdtempSync(path.join(os.tmpdir(), 'tap-kit-check-'));
    const file = path.join(this.dir, name);
    writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
    return file;
  }

  remove(): void {
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    this.dir = undefined;
  }
}

/** A JSON file's content, or why it cannot be read (`file: not found`, `file: not JSON`). */
export function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : (error as Error).message}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new Error(`${file}: not JSON`);
  }
}

/** A state file's value: a state value, a STATE message, or Meltano's `{"singer_state": ...}`. */
export function stateValue(content: unknown): Record<string, unknown> | undefined {
  if (!isObject(content)) return undefined;
  if (content.type === 'STATE' && isObject(content.value)) return content.value;
  if (isObject(content.singer_state)) return content.singer_state;
  return content;
}
