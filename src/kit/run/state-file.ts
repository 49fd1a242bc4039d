import { readFileSync } from 'node:fs';
import { isJsonObject, type JsonObject, type JsonValue } from '../core/json.js';
import { UserError } from '../core/errors.js';
import { parseJsonFile } from '../core/jsontext.js';
import { fileProblem } from '../core/file-errors.js';

export type BookmarkValue = string | number;
export interface Bookmark {
  replication_key?: string;
  replication_key_value?: BookmarkValue;
  partitions?: Array<{ context: JsonObject; replication_key?: string; replication_key_value?: BookmarkValue }>;
  [key: string]: JsonValue | undefined;
}
export interface StateValue {
  bookmarks: Record<string, Bookmark>;
  [key: string]: JsonValue | Record<string, Bookmark>;
}

/** Top-level keys Singer taps write into a state besides `bookmarks`. */
const STATE_KEYS = new Set(['bookmarks', 'currently_syncing']);

/** Reads `--state`: a state value, a STATE message, or Meltano's `{"singer_state": ...}`; empty means none. */
export function readStateFile(file: string): StateValue {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UserError(`--state ${file}: ${fileProblem(error)}`);
  }
  if (text.trim() === '') return { bookmarks: {} };
  let parsed = parseJsonFile(text, `--state ${file}`);
  if (isJsonObject(parsed) && parsed.type === 'STATE' && 'value' in parsed) parsed = parsed.value;
  if (isJsonObject(parsed) && isJsonObject(parsed.singer_state)) parsed = parsed.singer_state;
  if (!isJsonObject(parsed)) throw new UserError(`--state ${file}: state must be a JSON object`);
  // Anything else would be carried into every STATE on stdout (a config file passed by mistake, secrets and all).
  const foreign = Object.keys(parsed).filter((k) => !STATE_KEYS.has(k));
  if (parsed.bookmarks === undefined && foreign.length > 0) {
    throw new UserError(`--state ${file}: not a state (no "bookmarks"; keys ${foreign.slice(0, 3).map((k) => JSON.stringify(k)).join(', ')})`);
  }
  if (parsed.bookmarks !== undefined && !isJsonObject(parsed.bookmarks)) {
    throw new UserError(`--state ${file}: "bookmarks" must be an object`);
  }
  return { ...parsed, bookmarks: (parsed.bookmarks as Record<string, Bookmark> | undefined) ?? {} } as StateValue;
}
