// The corpus results as Markdown: totals side by side, then one line per document.

/**
 * prism's own problems (application/problem+json, `type` https://stoplight.io/prism/errors#TYPE) as a stream's error
 * quotes one: the whole body when its `detail` is empty, else the detail alone, one of these templates of prism's
 * (@stoplight/prism-http router and mocker, prism-http-server's serializer). A 5xx without them is the document's own
 * answer or ours, not the mock failing.
 */
const PRISM_DETAILS = [
  [/HTTP 404 - The route \//, 'NO_PATH_MATCHED_ERROR'],
  [/HTTP 405 - The route .* has been matched, but it does not have/, 'NO_METHOD_MATCHED_ERROR'],
  [/HTTP 404 - The server url .* hasn't been matched/, 'NO_SERVER_MATCHED_ERROR'],
  [/HTTP 422 - Your request is not valid and no HTTP validation response/, 'UNPROCESSABLE_ENTITY'],
  [/HTTP 401 - Your request does not fullfil the security requirements/, 'UNAUTHORIZED'],
  [/HTTP 406 - Unable to find content for/, 'NOT_ACCEPTABLE'],
  [/HTTP 500 - Cannot serialise complex objects as text/, 'NO_COMPLEX_OBJECT_TEXT'],
  [/HTTP 500 - Unable to generate .* The schema is too complex/, 'SCHEMA_TOO_COMPLEX'],
];

/** The type of prism's own problem a stream's error quotes, if it quotes one. */
export function prismProblem(v) {
  return /stoplight\.io\/prism\/errors#([A-Z_]+)/.exec(v)?.[1] ?? PRISM_DETAILS.find(([re]) => re.test(v))?.[1];
}

/** prism's problems saying the mock cannot serve what the document describes; the others say the request does not fit the document as prism reads it. */
const MOCK_CANNOT = new Set(['UNKNOWN', 'NO_COMPLEX_OBJECT_TEXT', 'NOT_ACCEPTABLE', 'SCHEMA_TOO_COMPLEX', 'NO_RESPONSE_RESPONSE_DEFINED', 'NOT_FOUND']);

/** What each of prism's problem types says, in a few words. */
const PRISM_MEANING = {
  NO_PATH_MATCHED_ERROR: 'no path of the document matched the request',
  NO_METHOD_MATCHED_ERROR: 'no GET at the path',
  NO_SERVER_MATCHED_ERROR: 'no server of the document matched',
  UNPROCESSABLE_ENTITY: 'the request does not fit the document',
  UNAUTHORIZED: 'the request lacks the security the document asks',
  INVALID_CONTENT_TYPE: 'a content type the document does not take',
  UNKNOWN: 'prism failed generating the response',
  NOT_ACCEPTABLE: 'no content for the Accept header',
  NO_COMPLEX_OBJECT_TEXT: 'an object to serve as text',
  SCHEMA_TOO_COMPLEX: 'a schema too complex to generate',
  NO_RESPONSE_RESPONSE_DEFINED: 'no response defined',
  NOT_FOUND: 'no such example or status',
};

/** Why a stream has no record, in a few words: the causes the reports count. */
export function cause(v) {
  if (v === 'record') return undefined;
  if (v.startsWith('mock: ')) return 'prism did not start';
  const p = prismProblem(v);
  if (p) return `prism's ${p}${PRISM_MEANING[p] ? `, ${PRISM_MEANING[p]}` : ''}`;
  if (v.startsWith('no record')) return 'an empty list';
  if (v.startsWith('invalid record')) return 'a record its schema refuses';
  if (v.startsWith('did not end')) return 'no end';
  const status = /failed: HTTP (\d+)/.exec(v)?.[1];
  if (status) return `HTTP ${status}, one of the document's responses (not prism's own problem)`;
  return 'another error';
}

/** The causes of one outcome over all tested streams, most frequent first: `cause: n; cause: n`. */
export function causesOf(results, kind) {
  const counts = new Map();
  for (const r of results) for (const v of Object.values(r.ours.test ?? {})) if (outcome(v) === kind) counts.set(cause(v), (counts.get(cause(v)) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([c, n]) => `${c}: ${n}`).join('; ');
}

/** A stream's test outcome in a word: a record, the mock's own failure (prism did not start, or answered its own problem on a document it cannot serve), no record, or ours. */
export function outcome(v) {
  if (v === 'record') return 'record';
  if (v.startsWith('mock: ') || MOCK_CANNOT.has(prismProblem(v))) return 'mock';
  if (v.startsWith('no record')) return 'empty';
  return 'failed';
}
export function totals(results) {
  const sum = (f) => results.reduce((n, r) => n + (f(r) ?? 0), 0);
  const count = (f) => results.filter(f).length;
  const o = (r) => r.ours;
  const d = (r) => r.dlt;
  return {
    documents: results.length,
    ours: {
      handled: count((r) => o(r).handled), resources: sum((r) => o(r).resources), paginated: sum((r) => o(r).paginated), keyed: sum((r) => o(r).keyed),
      lists: sum((r) => o(r).lists), listsPaginated: sum((r) => o(r).listsPaginated),
      scalars: sum((r) => o(r).scalars), xml: sum((r) => o(r).xml), text: sum((r) => o(r).text), binary: sum((r) => o(r).binary),
      dltChecked: count((r) => o(r).dltAccepts !== undefined), dltAccepted: count((r) => o(r).dltAccepts === true),
      children: sum((r) => o(r).children), incremental: sum((r) => o(r).incremental), auth: count((r) => o(r).auth), unselected: sum((r) => o(r).unselected),
      discover: count((r) => o(r).discover === 'ok'), streams: sum((r) => o(r).streams), typed: sum((r) => o(r).typed),
      mocked: count((r) => o(r).mock), withRecord: sum((r) => o(r).withRecord),
      /** Streams a `--test` sync ran (at most --mock-streams a document), of the documents chosen for it. */
      tested: sum((r) => Object.keys(o(r).test ?? {}).length),
      allRecords: count((r) => o(r).mock && Object.keys(o(r).test ?? {}).length > 0 && Object.values(o(r).test).every((v) => v === 'record')),
      mockFailed: sum((r) => Object.values(o(r).test ?? {}).filter((v) => outcome(v) === 'mock').length),
      empty: sum((r) => Object.values(o(r).test ?? {}).filter((v) => outcome(v) === 'empty').length),
      failed: sum((r) => Object.values(o(r).test ?? {}).filter((v) => outcome(v) === 'failed').length),
    },
    dlt: {
      handled: count((r) => d(r).ok), parsed: count((r) => d(r).resources !== undefined), resources: sum((r) => (d(r).ok ? d(r).resources : 0)), lists: sum((r) => (d(r).ok ? d(r).lists : 0)),
      paginated: sum((r) => (d(r).ok ? d(r).paginated : 0)), keyed: sum((r) => (d(r).ok ? d(r).keyed : 0)), children: sum((r) => (d(r).ok ? d(r).children : 0)),
      listsPaginated: sum((r) => (d(r).ok ? d(r).lists_paginated : 0)), childrenMapped: sum((r) => (d(r).ok ? d(r).children_mapped : 0)),
      auth: count((r) => d(r).ok && d(r).auth), fillMeIn: sum((r) => (d(r).ok ? d(r).fill_me_in : 0)),
      /** Documents dlt-init-openapi wrote and we refused, by our reason (its resources there read no JSON). */
      onlyDlt: results.filter((r) => d(r).ok && !o(r).handled).map((r) => r.doc),
    },
  };
}

export function resultsMarkdown(results, date, options = {}) {
  const t = totals(results);
  const by = (kind) => (causesOf(results, kind) ? ` (${causesOf(results, kind)})` : '');
  const lines = [
    `# OpenAPI corpus results (${date})`,
    '',
    `${t.documents} documents (test/openapi-corpus/sample.txt). Generated by \`npm run corpus\`; do not edit.`,
    `The \`--test\` sync against \`prism mock -d\` (responses generated from the document's schemas, seeded) ran for ${(options.mockDocs ?? t.documents) === t.documents ? 'every one of them' : `${options.mockDocs} of them (a seeded choice)`}${options.mockStreams ? `, at most ${options.mockStreams} streams each (catalog order)` : ''}.`,
    '',
    '| Measure | tap-rest init --openapi | dlt-init-openapi 0.1.0 |',
    '|---|---|---|',
    `| documents turned into a definition | ${t.ours.handled} | ${t.dlt.handled} |`,
    `| ... documents only dlt-init-openapi turned into one (it writes every GET, whatever it answers) | | ${t.dlt.onlyDlt.length}${t.dlt.onlyDlt.length ? `: ${t.dlt.onlyDlt.join(', ')}` : ''} |`,
    `| resources written | ${t.ours.resources} (${t.ours.lists} lists or untyped JSON, ${t.ours.resources - t.ours.lists} in one response: single objects, ${t.ours.scalars} scalars or lists of scalars as {value}, ${t.ours.text} text, ${t.ours.binary} binary; ${t.ours.xml} of all in XML; ${t.ours.unselected} written not selected: 204 checks, sign-in redirects, AWS actions that change state) | ${t.dlt.resources} (${t.dlt.lists} lists) |`,
    `| resources with a decided paginator (not auto: a paging one, or single_page for one object; dlt: its own or the global one) | ${t.ours.paginated} | ${t.dlt.paginated} |`,
    `| ... list resources with a decided paginator | ${t.ours.listsPaginated} of ${t.ours.lists} | ${t.dlt.listsPaginated} of ${t.dlt.lists} |`,
    `| resources with a primary key | ${t.ours.keyed} | ${t.dlt.keyed} |`,
    `| children of another resource (its path filled from the parent's records) | ${t.ours.children} | ${t.dlt.childrenMapped} (a parent named for ${t.dlt.children}) |`,
    `| definitions dlt 1.31 accepts (\`rest_api_source\` builds every resource) | ${t.ours.dltChecked ? `${t.ours.dltAccepted} of ${t.ours.dltChecked}` : 'not checked (no .venv/dlt)'} | - |`,
    `| incremental resources | ${t.ours.incremental} | not generated |`,
    `| documents with auth set | ${t.ours.auth} | ${t.dlt.auth} |`,
    `| required parameters left as FILL_ME_IN | 0 (settings \`{config.*}\`) | ${t.dlt.fillMeIn} |`,
    `| \`--discover\` with typed schemas, no request | ${t.ours.discover} documents, ${t.ours.typed} of ${t.ours.streams} streams with properties | (schemas come from a first sync) |`,
    `| \`--test\` sync against \`prism mock\`: streams with a record that validates | ${t.ours.withRecord} of ${t.ours.tested} tested (${t.ours.allRecords} of ${t.ours.mocked} mocked documents: every tested stream) | not run |`,
    `| ... streams the mock could not serve (prism did not start, or answered its own problem on what the document describes) | ${t.ours.mockFailed}${by('mock')} | |`,
    `| ... streams whose mock answer held no record | ${t.ours.empty} | |`,
    `| ... streams that failed otherwise (tap-rest's error, an invalid record, no end, prism refusing the request) | ${t.ours.failed}${by('failed')} | |`,
    '',
    '## Per document',
    '',
    '| Document | ours: resources / paginated / keyed / children / incremental | discover | records (streams) | dlt-init-openapi: resources / paginated / keyed | first problem |',
    '|---|---|---|---|---|---|',
  ];
  for (const r of results) {
    const o = r.ours;
    const d = r.dlt;
    const problem = o.error ?? (o.discover && o.discover !== 'ok' ? o.discover : undefined) ?? (Object.entries(o.test ?? {}).find(([, v]) => outcome(v) === 'failed') ?? Object.entries(o.test ?? {}).find(([, v]) => v !== 'record'))?.map((x, i) => (i === 0 ? `${x}:` : x)).join(' ');
    lines.push(`| ${r.doc} | ${o.handled ? `${o.resources} / ${o.paginated} / ${o.keyed} / ${o.children} / ${o.incremental}` : 'failed'} | ${o.discover ?? '-'} | ${o.withRecord ?? '-'} (${o.streams ?? '-'}) | ${d.ok ? `${d.resources} / ${d.paginated} / ${d.keyed}` : `failed${d.error ? `: ${d.error.slice(0, 80)}` : d.render_error ? `: ${d.render_error.slice(0, 80)}` : ''}`} | ${(problem ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ').slice(0, 160)} |`);
  }
  return lines.join('\n') + '\n';
}
