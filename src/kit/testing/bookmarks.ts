import { isObject } from './json-schema.js';

/**
 * One bookmark of a STATE: a stream's own (`bookmarks.<stream>.replication_key_value`, or the
 * singer-python form `bookmarks.<stream>.<replication key>`), or one partition's
 * (`bookmarks.<stream>.partitions[i]`, with its `context`).
 */
export interface BookmarkEntry {
  stream: string;
  /** The partition's context; undefined for the stream's own bookmark. */
  context?: Record<string, unknown>;
  value: unknown;
  /** `bookmarks.users` or `bookmarks.departments.partitions[1]`, for messages. */
  where: string;
}

/** The identity of a bookmark across STATEs: its stream and partition context. */
export function entryKey(entry: Pick<BookmarkEntry, 'stream' | 'context'>): string {
  return `${entry.stream}\0${entry.context ? JSON.stringify(entry.context) : ''}`;
}

/**
 * The bookmarks a STATE value holds for `stream`, bookmarked on `key`; `problems` collects a
 * bookmark kept on another field than the stream's replication key.
 */
export function bookmarkEntries(state: unknown, of: { stream: string; key: string }, problems: string[] = []): BookmarkEntry[] {
  const { stream, key } = of;
  const bookmarks = isObject(state) && isObject(state.bookmarks) ? state.bookmarks : {};
  const bookmark = bookmarks[stream];
  if (!isObject(bookmark)) return [];
  const entries: BookmarkEntry[] = [];
  const read = (node: Record<string, unknown>, where: string, context?: Record<string, unknown>) => {
    if (typeof node.replication_key === 'string' && node.replication_key !== key) {
      problems.push(`${where} is kept on '${node.replication_key}', but the stream's replication key is '${key}'`);
      return;
    }
    const value = node.replication_key_value !== undefined ? node.replication_key_value : node[key];
    if (value !== undefined) entries.push({ stream, value, where, ...(context ? { context } : {}) });
  };
  read(bookmark, `bookmarks.${stream}`);
  if (Array.isArray(bookmark.partitions)) {
    bookmark.partitions.forEach((partition: unknown, i: number) => {
      if (isObject(partition) && isObject(partition.context)) read(partition, `bookmarks.${stream}.partitions[${i}]`, partition.context);
    });
  }
  return entries;
}

/** The record belongs to the partition: every context field is in it with the same value (a stream's own bookmark covers every record). */
export function belongsTo(record: Record<string, unknown>, context: Record<string, unknown> | undefined): boolean {
  if (!context) return true;
  return Object.entries(context).every(([field, value]) => field in record && JSON.stringify(record[field]) === JSON.stringify(value));
}

/** Records can be told apart by partition: at least one record holds every context field. */
export function attributable(records: ReadonlyArray<Record<string, unknown>>, context: Record<string, unknown> | undefined): boolean {
  if (!context) return true;
  const fields = Object.keys(context);
  return records.some((record) => fields.every((field) => field in record));
}
