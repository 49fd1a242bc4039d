import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { UserError } from '../core/errors.js';
import { fileProblem } from '../core/file-errors.js';
import { parseJson } from '../core/jsontext.js';
import type { JsonValue } from '../core/json.js';

/** One line of a JSON Lines file: its number (from 1) and its value. */
export interface JsonLine {
  line: number;
  value: JsonValue;
}

/**
 * The lines of a JSON Lines file, streamed (never the whole file in memory), for a generic stream
 * over files: lines up to `after` are skipped (a bookmark on the line number), blank lines ignored.
 * A line that is not JSON is one UserError naming the file and the line, never its content.
 */
export async function* jsonLines(file: string, options: { after?: unknown; signal?: AbortSignal } = {}): AsyncGenerator<JsonLine> {
  const after = typeof options.after === 'number' ? options.after : 0;
  const input = createReadStream(file, { encoding: 'utf8' });
  const lines = createInterface({ input, crlfDelay: Infinity });
  let line = 0;
  try {
    for await (const text of lines) {
      line++;
      if (options.signal?.aborted) return;
      if (line <= after || text.trim() === '') continue;
      let value: JsonValue;
      try {
        value = parseJson(text) as JsonValue;
      } catch {
        throw new UserError(`${file} line ${line}: not valid JSON`);
      }
      yield { line, value };
    }
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(`${file}: ${fileProblem(error)}`);
  } finally {
    lines.close();
    input.destroy();
  }
}
