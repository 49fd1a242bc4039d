/**
 * The vitest form of the conformance suite, as a tap's own test file uses it: one test per check,
 * registered with this file's `describe`/`it`, on the fake tap (a Singer tap written without the
 * kit). A skipped check is skipped through vitest's test context.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { CHECK_IDS, conformanceTests, registerConformance } from '@singer-io-compatible/tap-kit/testing';

const FAKE = fileURLToPath(new URL('./fake-tap.mjs', import.meta.url));

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** Options resolved when the first test runs (a tap's config is often written in beforeAll). */
const options = () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fake-tap-'));
  dirs.push(dir);
  const config = path.join(dir, 'config.json');
  writeFileSync(config, JSON.stringify({ token: 'fake-secret-token-42' }));
  return { command: [process.execPath, FAKE], config: [config], skipChecks: ['help', 'test-mode'] };
};

registerConformance({ describe, it, name: 'tap-fake conforms', timeoutMs: 60_000 }, options);

describe('conformanceTests', () => {
  it('gives one plain async function per check, in order, each resolving to its result', { timeout: 60_000 }, async () => {
    const tests = conformanceTests(options);
    expect(tests.map((t) => t.id)).toEqual(CHECK_IDS);
    const version = await tests.find((t) => t.id === 'version')!.run();
    expect(version).toMatchObject({ id: 'version', status: 'pass', reason: 'exit 0: tap-fake 1.0.0' });
    const help = await tests.find((t) => t.id === 'help')!.run();
    expect(help).toMatchObject({ status: 'skip', reason: 'skipped as asked' });
  });
});
