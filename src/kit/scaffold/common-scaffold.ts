/**
 * The placeholders of the templates every stream kind shares (template/common/): the package, the
 * sample config, the README's summary, and the tap's own test, whose credentials and refusal test
 * follow the authentication chosen.
 */
import type { AuthChoice } from './auth-choices.js';
import type { PagingChoice } from './paging-choices.js';
import type { StreamKindScaffold } from './stream-kinds.js';

/** The last test: wrong credentials are refused (or, with no credentials, a bad base_url). */
function refusedTest(auth: AuthChoice): string {
  if (!auth.test.secretSetting) {
    return [
      "test('a base_url that is not a URL is one clear line and exit 1', async () => {",
      "  await assert.rejects(run(process.execPath, [BIN, '--config', config({ base_url: 'not a url' })]), (error) => {",
      '    assert.equal(error.code, 1);',
      '    assert.match(error.stderr, /base_url/);',
      "    assert.equal(error.stderr.trim().split('\\n').length, 1);",
      '    return true;',
      '  });',
      '});',
    ].join('\n');
  }
  return [
    "test('wrong credentials are one clear line and exit 1, without the secret', async () => {",
    "  await assert.rejects(run(process.execPath, [BIN, '--config', config({ ...credentials('wrong-secret'), base_url: server.url })]), (error) => {",
    '    assert.equal(error.code, 1);',
    '    assert.match(error.stderr, /401/);',
    '    assert.doesNotMatch(error.stderr, /wrong-secret/);',
    '    return true;',
    '  });',
    '});',
  ].join('\n');
}

/** The README's lines for a stream kind over HTTP (a stand-in API in test/server.mjs). */
export function httpReadme(declares: string, next: string): Record<string, string> {
  return {
    __README_TRY__: [
      'node test/server.mjs 8080 &          # a local stand-in for the API',
      'bin/__TAP_NAME__ --config sample-config.json --catalog catalog.json > out.jsonl',
      'npm test                              # builds, then runs the tap against the stand-in API',
    ].join('\n'),
    __README_FILES__: [
      `- \`src/tap.ts\`: the declaration: settings, client (base URL, auth), streams (${declares}).`,
      "- `catalogs/<stream>.json`: each stream's JSON Schema, the one source of truth for its records.",
      '- `test/`: `server.mjs` (the stand-in API) and `tap.test.mjs` (spawns the tap, checks its output).',
    ].join('\n'),
    __README_NEXT__: `Next steps: point \`base_url\` at the real API, describe its records in \`catalogs/\`, ${next}, and add\nstreams. The kit's README lists everything a declaration can say.`,
  };
}

export function commonPlaceholders(kind: StreamKindScaffold, auth: AuthChoice, paging: PagingChoice | undefined): Record<string, string> {
  const secret = auth.test.secretSetting;
  return {
    __SAMPLE_CONFIG__: JSON.stringify({ ...auth.sample, base_url: 'http://127.0.0.1:8080' }, null, 2),
    __STREAM_SUMMARY__: kind.summary,
    __AUTH_SUMMARY__: auth.summary,
    __PAGING_SUMMARY__: paging ? paging.summary : 'none',
    __SERVER_NAMES__: ['startServer', 'ITEMS', 'TOKEN', ...auth.test.imports].join(', '),
    __CREDENTIALS__: auth.test.credentials,
    __ABOUT_CHECK__: secret
      ? `assert.ok(about.settings.properties.${secret}.secret);`
      : 'assert.ok(Object.values(about.settings.properties).every((p) => !p.secret));',
    __REFUSED_TEST__: refusedTest(auth),
    ...httpReadme('path, keys, paginator', 'check that the\npaginator matches its pages (`nextUrl`, `linkHeader`, `cursor`, `pageNumber`, `offset`)'),
  };
}
