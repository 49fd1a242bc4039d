// `tap-kit check` on a tap built with the Meltano Singer SDK (Python): the suite only runs the
// command and reads its output, so it checks a Python tap as it checks ours. sdk_tap_users.py reads
// the playground's users; singer-sdk comes from .venv/singer-sdk (scripts/interop-setup.sh) or the
// bench's venv (npm run bench).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, run, startPlayground, tempDir, writeJson, type Playground } from './support.js';

const PYTHONS = [join(ROOT, '.venv/singer-sdk/bin/python'), join(ROOT, 'bench/.venv/bin/python')];
const python = PYTHONS.find((p) => existsSync(p));
if (!python) {
  if (process.env.CI) throw new Error('singer-sdk missing in CI: run scripts/interop-setup.sh');
  console.warn('\n*** SKIPPING the SDK conformance test: no .venv/singer-sdk (scripts/interop-setup.sh) ***\n');
}
const TOKEN = 'sdk-conformance-token';

interface Report { ok: boolean; results: Array<{ id: string; status: string; reason: string }> }

describe.skipIf(!python)('tap-kit check on a Singer SDK tap (Python)', () => {
  let pg: Playground;
  let report: Report;
  let code: number;

  beforeAll(async () => {
    pg = await startPlayground(TOKEN);
    const config = writeJson(tempDir('sdk-conformance'), 'config.json', { bearer_token: TOKEN, base_url: pg.url });
    const checked = await run(process.execPath, [join(ROOT, 'src/kit/bin/tap-kit.js'), 'check', '--config', config, '--format', 'json', '--',
      python as string, join(ROOT, 'test/interop/sdk_tap_users.py')]);
    code = checked.code;
    report = JSON.parse(checked.stdout) as Report;
  });
  afterAll(() => pg?.stop());

  const status = (id: string) => report.results.find((r) => r.id === id);

  it('passes discovery, the sync, its records, keys and bookmarks, the resumed sync, selection, bad configs and secrets', () => {
    const passing = report.results.filter((r) => !['about', 'test-mode'].includes(r.id));
    expect(passing.filter((r) => r.status !== 'pass').map((r) => `${r.id}: ${r.status}: ${r.reason}`)).toEqual([]);
    expect(status('sync')?.reason).toBe('220 records of 2 streams, 2 STATEs, the last message a STATE');
    expect(status('selection')?.reason).toBe("stream 'users' absent; 'bearer_users.name' absent from its SCHEMA and 20 records");
    expect(status('bad-config-empty')?.reason).toMatch(/exit 1: .*ERROR .*'bearer_token' is a required property/);
  });

  it('skips --test (the SDK does not declare the test capability)', () => {
    expect(status('test-mode')).toMatchObject({ status: 'skip', reason: 'the tap does not declare the test capability' });
  });

  it("fails --about on singer-sdk 0.54.9's settings schema: an anyOf holds the string \"null\" instead of a schema", () => {
    expect(status('about')?.status).toBe('fail');
    expect(status('about')?.reason).toMatch(/^"settings" is not a valid 2020-12 JSON Schema: \/properties\/stream_maps\/additionalProperties\/anyOf\/2\/properties\/__else__\/anyOf\/2 must be object,boolean/);
    expect(report.ok).toBe(false);
    expect(code).toBe(1);
  });
});
