import { belongsTo, bookmarkEntries } from './bookmarks.js';
import { replicationKey, type Catalog } from './catalog.js';
import type { Findings } from './findings.js';
import { isObject, propertiesOf } from './json-schema.js';
import { comparable, compare, valueKind } from './replication-values.js';
import type { Message, SingerOutput } from './singer-output.js';

/**
 * Why a message after the last STATE could change what that STATE says (undefined when it cannot):
 * a RECORD of a stream with a replication key whose value is beyond the stream's (or its
 * partition's) bookmark in that STATE, or that has no bookmark there.
 */
function uncovered(m: Message, last: Message, catalog: Catalog): string | undefined {
  const stream = catalog.streams.find((s) => s.tap_stream_id === m.body.stream);
  const field = stream && replicationKey(stream);
  if (m.type !== 'RECORD' || !stream || !field || !isObject(m.body.record)) return undefined;
  const kind = valueKind(propertiesOf(stream.schema)[field]);
  const value = comparable(m.body.record[field], kind);
  if (value === undefined) return undefined;
  const entries = bookmarkEntries(last.body.value, { stream: stream.tap_stream_id, key: field }).filter((e) => belongsTo(m.body.record as Record<string, unknown>, e.context));
  const covered = entries.some((e) => {
    const bookmark = comparable(e.value, kind);
    return bookmark !== undefined && compare(value, bookmark) <= 0;
  });
  return covered ? undefined : `its ${field} ${JSON.stringify(m.body.record[field])} is beyond the bookmark of the last STATE (line ${last.line})`;
}

/**
 * The output ends with a STATE, in effect: messages may follow the last STATE only when they
 * cannot change it (SCHEMAs, records of streams without a replication key, records at or before
 * their bookmark in that STATE). The Singer SDK does not repeat an unchanged STATE, so a resumed
 * sync may end with the boundary record it sent again.
 */
export function checkStateLast(output: SingerOutput, options: { catalog?: Catalog; stateExpected: boolean }, findings: Findings): void {
  const messages = output.messages;
  const last = messages[messages.length - 1];
  if (!last || last.type === 'STATE') return;
  const index = messages.map((m) => m.type).lastIndexOf('STATE');
  if (index < 0) {
    if (options.stateExpected) findings.fail('the output has no STATE message: a target has no bookmark to keep');
    return;
  }
  const lastState = messages[index];
  if (!lastState) return;
  for (const m of messages.slice(index + 1)) {
    const why = options.catalog ? uncovered(m, lastState, options.catalog) : m.type === 'RECORD' ? 'no catalog tells its bookmark' : undefined;
    if (why) {
      findings.fail(`line ${m.line}: a RECORD of '${String(m.body.stream)}' comes after the last STATE and ${why}: the final STATE must follow it`);
      return;
    }
  }
}
