import { selectAll } from './catalog.js';
import type { Check } from './check.js';
import { unsuccessful } from './checks-cli.js';
import { counted, Findings, skip } from './findings.js';
import { checkMessages } from './message-checks.js';
import { checkRecords } from './record-checks.js';
import { parseSingerOutput, recordCounts } from './singer-output.js';

const testMode: Check = {
  id: 'test-mode',
  title: '--test (when the tap declares the test capability): exit 0, at most one record per stream',
  async run(session) {
    const { about } = await session.about();
    if (!about) return skip('--about could not be read, so the test capability is unknown');
    if (!(await session.capabilities()).includes('test')) return skip('the tap does not declare the test capability');
    const { catalog: discovered } = await session.discover();
    const catalog = discovered && selectAll(discovered, { streams: session.options.skipStreams ?? [] });
    const run = await session.once('test-mode', async () => session.run([...session.configArgs, ...(catalog ? await session.catalogArgs('test', catalog) : []), '--test']));
    const failed = unsuccessful(run, session, '--test');
    if (failed) return failed;
    const output = parseSingerOutput(run.stdout);
    const findings = new Findings();
    findings.merge(checkMessages(output, { ...(catalog ? { catalog } : {}), stateExpected: false }));
    findings.merge(checkRecords(output).findings);
    const counts = recordCounts(output);
    for (const [stream, n] of counts) if (n > 1) findings.fail(`--test wrote ${n} records of '${stream}' (at most one per stream)`);
    return findings.outcome(`${counted(counts.size, 'stream')}, one record each`);
  },
};

export const TEST_MODE_CHECKS: Check[] = [testMode];
