/**
 * The placeholders of the generic template (template/generic/: src/tap.ts, its catalog and its own
 * test): records from code, here JSON Lines files, so no API, credentials or pages. It replaces the
 * common ones that speak of them: the sample config and the README.
 */
export function genericPlaceholders(): Record<string, string> {
  return {
    __SAMPLE_CONFIG__: JSON.stringify({ files: ['items.jsonl'] }, null, 2),
    __AUTH_SUMMARY__: 'none (records from files, no API)',
    __PAGING_SUMMARY__: 'none (records from files, no API)',
    __README_TRY__: [
      `echo '{"id": 1, "name": "one"}' > items.jsonl   # the file sample-config.json names`,
      'bin/__TAP_NAME__ --config sample-config.json --catalog catalog.json > out.jsonl',
      'npm test                              # builds, then runs the tap over files it writes',
    ].join('\n'),
    __README_FILES__: [
      '- `src/tap.ts`: the declaration: settings, and the stream whose `records` generator reads each file.',
      "- `catalogs/<stream>.json`: each stream's JSON Schema, the one source of truth for its records.",
      '- `test/tap.test.mjs`: writes JSON Lines files, spawns the tap, checks its output and its STATE.',
    ].join('\n'),
    __README_NEXT__: 'Next steps: describe your records in `catalogs/`, read them from where they are in\n`records` (a database, a client library: yield them in replication-key order with `sorted`), and\nadd streams. The kit\'s README lists everything a declaration can say.',
  };
}
