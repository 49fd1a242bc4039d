import { checkBookmarks } from './bookmark-checks.js';
import { belongsTo, bookmarkEntries, type BookmarkEntry } from './bookmarks.js';
import { isSelected, replicationKey, type Catalog } from './catalog.js';
import type { Check } from './check.js';
import { unsuccessful } from './checks-cli.js';
import { recordSummary, succeededSync } from './checks-sync.js';
import { counted, Findings, skip } from './findings.js';
import { isObject, propertiesOf } from './json-schema.js';
import { checkKeys } from './key-checks.js';
import { checkMessages } from './message-checks.js';
import { checkRecords } from './record-checks.js';
import { comparable, compare, valueKind } from './replication-values.js';
import { finalState, type SingerOutput } from './singer-output.js';

/** The bookmarks of a state, per incremental stream of the catalog. */
function bookmarksOf(catalog: Catalog, state: Record<string, unknown>): Map<string, BookmarkEntry[]> {
  const out = new Map<string, BookmarkEntry[]>();
  for (const stream of catalog.streams) {
    const field = replicationKey(stream);
    if (!field || !isSelected(stream)) continue;
    const entries = bookmarkEntries(state, { stream: stream.tap_stream_id, key: field });
    if (entries.length > 0) out.set(stream.tap_stream_id, entries);
  }
  return out;
}

/**
 * Every record of an incremental stream at or after its bookmark in the state the run started
 * from (`>=`: the boundary record is sent again, at-least-once); a partition's records are held
 * to the partition's bookmark. Records whose replication key is null cannot be placed and pass.
 */
function checkResumedRecords(output: SingerOutput, catalog: Catalog, bookmarks: Map<string, BookmarkEntry[]>, findings: Findings): void {
  for (const m of output.messages) {
    const stream = m.body.stream;
    if (m.type !== 'RECORD' || typeof stream !== 'string' || !isObject(m.body.record)) continue;
    const entries = bookmarks.get(stream);
    const entry = catalog.streams.find((s) => s.tap_stream_id === stream);
    const field = entry && replicationKey(entry);
    if (!entries || !entry || !field) continue;
    const record = m.body.record;
    const kind = valueKind(propertiesOf(entry.schema)[field]);
    const value = comparable(record[field], kind);
    if (value === undefined) continue;
    const partitions = entries.filter((e) => e.context && belongsTo(record, e.context));
    for (const bookmark of partitions.length > 0 ? partitions : entries.filter((e) => !e.context)) {
      const floor = comparable(bookmark.value, kind);
      if (floor !== undefined && compare(value, floor) < 0) {
        findings.fail(`line ${m.line}: RECORD '${stream}' has ${field} ${JSON.stringify(record[field])}, before ${bookmark.where} = ${JSON.stringify(bookmark.value)} it resumed from`);
      }
    }
  }
}

const resume: Check = {
  id: 'resume',
  title: 'a sync resumed from the final STATE writes only records at or after each bookmark',
  async run(session) {
    const first = await succeededSync(session);
    if (!('run' in first)) return first;
    const state = finalState(first.output);
    if (!first.catalog || !state) return skip('the sync wrote no STATE to resume from');
    const bookmarks = bookmarksOf(first.catalog, state);
    if (bookmarks.size === 0) return skip('the final STATE holds no bookmark of an incremental stream');
    const result = await session.once('resume', () => session.sync('resume', {}, state));
    if (!result?.catalog) return skip('no catalog');
    const failed = unsuccessful(result.run, session, 'the resumed sync');
    if (failed) return failed;
    const findings = new Findings();
    const stateExpected = (await session.capabilities()).includes('state');
    findings.merge(checkMessages(result.output, { catalog: result.catalog, stateExpected }), 'resumed sync: ');
    findings.merge(checkRecords(result.output).findings, 'resumed sync: ');
    findings.merge(checkKeys(result.output, result.catalog).findings, 'resumed sync: ');
    findings.merge(checkBookmarks(result.output, { catalog: result.catalog, inputState: state, startedAt: result.run.startedAt }).findings, 'resumed sync: ');
    checkResumedRecords(result.output, result.catalog, bookmarks, findings);
    return findings.outcome(`from ${counted(bookmarks.size, 'bookmarked stream')}: ${recordSummary(result)}, none before its bookmark`);
  },
};

export const RESUME_CHECKS: Check[] = [resume];
