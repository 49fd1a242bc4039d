import { checkBookmarks } from './bookmark-checks.js';
import type { Check } from './check.js';
import { unsuccessful } from './checks-cli.js';
import { counted, skip, type Outcome } from './findings.js';
import { checkKeys } from './key-checks.js';
import { checkMessages } from './message-checks.js';
import { checkRecords } from './record-checks.js';
import type { Session, SyncResult } from './session.js';
import { recordCounts } from './singer-output.js';

/** The first sync when it succeeded, or the outcome explaining why a check cannot read it. */
export async function succeededSync(session: Session): Promise<SyncResult | Outcome> {
  const result = await session.firstSync();
  if (!result) return skip('no catalog to sync with (see "discover")');
  if (result.run.code !== 0 || result.run.timedOut) return skip('the sync did not succeed (see "sync")');
  return result;
}

/** `820 records of 5 streams`. */
export function recordSummary(result: SyncResult): string {
  const counts = recordCounts(result.output);
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  return `${counted(total, 'record')} of ${counted(counts.size, 'stream')}`;
}

const sync: Check = {
  id: 'sync',
  title: 'a sync of every stream: exit 0, well-formed messages, SCHEMA before RECORD, only selected streams, STATE last',
  async run(session) {
    const result = await session.firstSync();
    if (!result) return skip('no catalog to sync with (see "discover")');
    const failed = unsuccessful(result.run, session, 'the sync');
    if (failed) return failed;
    const stateExpected = (await session.capabilities()).includes('state');
    const findings = checkMessages(result.output, { ...(result.catalog ? { catalog: result.catalog } : {}), stateExpected });
    const states = result.output.messages.filter((m) => m.type === 'STATE').length;
    if (recordCounts(result.output).size === 0) findings.warn('the sync wrote no record: point the config at an account with data, or the record checks have nothing to check');
    const endsWithState = result.output.messages[result.output.messages.length - 1]?.type === 'STATE';
    return findings.outcome(`${recordSummary(result)}, ${counted(states, 'STATE')}${endsWithState ? ', the last message a STATE' : ''}`);
  },
};

const records: Check = {
  id: 'sync-records',
  title: 'every RECORD is valid against its SCHEMA (formats checked)',
  async run(session) {
    const result = await succeededSync(session);
    if (!('run' in result)) return result;
    const { findings, checked } = checkRecords(result.output);
    return findings.outcome(`${counted(checked, 'record')} valid against their SCHEMA`);
  },
};

const keys: Check = {
  id: 'sync-keys',
  title: 'key properties present in every RECORD and unique per stream within the run',
  async run(session) {
    const result = await succeededSync(session);
    if (!('run' in result)) return result;
    const { findings, keyed } = checkKeys(result.output, result.catalog);
    return findings.outcome(keyed > 0 ? `${counted(keyed, 'record')} with their keys, none repeated` : 'no stream declares key properties');
  },
};

const bookmarks: Check = {
  id: 'sync-bookmarks',
  title: 'bookmarks never beyond what was written, never moving back; the final STATE holds the largest value written',
  async run(session) {
    const result = await succeededSync(session);
    if (!('run' in result)) return result;
    if (!result.catalog) return skip('no catalog');
    const { findings, streams } = checkBookmarks(result.output, {
      catalog: result.catalog,
      startedAt: result.run.startedAt,
      ...(result.inputState ? { inputState: result.inputState } : {}),
    });
    if (streams === 0) return skip('no selected stream has a replication key');
    return findings.outcome(`${counted(streams, 'incremental stream')}: bookmarks within what was written, never back, final = largest value`);
  },
};

export const SYNC_CHECKS: Check[] = [sync, records, keys, bookmarks];
