import type { Argv, CommandModule } from 'yargs';
import { UserError } from '../core/errors.js';
import { readJsonFile } from './files.js';
import { CHECK_IDS, conformance } from './suite.js';
import { formatTable, summaryLine } from './table.js';

interface CheckArgs {
  _: Array<string | number>;
  config: string[];
  'skip-stream': string[];
  'skip-check': string[];
  state?: string;
  timeout: number;
  format: string;
  verbose: boolean;
}

/** `a,b` and repeated flags alike: `--skip-stream a,b --skip-stream c`. */
const list = (values: string[]): string[] => values.flatMap((v) => String(v).split(',')).map((v) => v.trim()).filter(Boolean);

/** Reads a file the suite is given up front, so a typo is one line before any run. */
function readable(file: string, what: string): void {
  try {
    readJsonFile(file);
  } catch (error) {
    throw new UserError(`--${what} ${error instanceof Error ? error.message : String(error)}`);
  }
}

async function check(args: CheckArgs): Promise<void> {
  // Everything after `--` is the tap's command line, untouched by yargs (it lands in `_`, after `check`).
  const command = args._.slice(1).map(String);
  if (command.length === 0) throw new UserError('name the tap to check after --: tap-kit check --config CONFIG -- <tap command>');
  args.config.forEach((file) => readable(file, 'config'));
  if (args.state) readable(args.state, 'state');
  const skipChecks = list(args['skip-check']);
  const unknown = skipChecks.filter((id) => !CHECK_IDS.includes(id));
  if (unknown.length > 0) throw new UserError(`--skip-check: unknown check ${unknown.join(', ')} (checks: ${CHECK_IDS.join(', ')})`);
  if (!(args.timeout > 0)) throw new UserError('--timeout must be a positive number of seconds');
  const progress = process.stderr.isTTY && args.format === 'table';
  const report = await conformance({
    command,
    config: args.config,
    skipStreams: list(args['skip-stream']),
    skipChecks,
    timeoutSeconds: args.timeout,
    ...(args.state ? { state: args.state } : {}),
  }, progress ? (r) => process.stderr.write(`  ${r.id}: ${r.status}\n`) : undefined);
  if (args.format === 'json') process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else {
    // Cut to a terminal's width; whole reasons in a file or a pipe.
    const width = process.stdout.isTTY ? process.stdout.columns || 120 : Infinity;
    process.stdout.write(`tap-kit check: ${command.join(' ')}\n\n${formatTable(report, { width, verbose: args.verbose })}`);
  }
  if (!report.ok) throw new UserError(summaryLine(report));
}

/** `tap-kit check --config CONFIG -- <tap command>`: the conformance suite on any Singer tap. */
export const checkCommand: CommandModule<object, CheckArgs> = {
  command: 'check',
  describe: 'Run the Singer conformance suite on any tap: tap-kit check --config CONFIG -- <tap command>',
  builder: (y: Argv) => y
    .usage([
      'tap-kit check --config CONFIG [options] -- <tap command...>',
      '',
      'Runs the tap (any Singer tap, in any language) and checks --about, --discover, a sync,',
      'a resumed sync, selection, --test and its errors on a bad config. Exit 1 if a check fails.',
    ].join('\n'))
    .option('config', { type: 'string', array: true, demandOption: true, description: "The tap's config file (repeatable: passed in order)" })
    .option('skip-stream', { type: 'string', array: true, default: [], description: 'Streams to leave deselected in every run (repeatable or comma-separated)' })
    .option('skip-check', { type: 'string', array: true, default: [], description: `Checks not to run: ${CHECK_IDS.join(', ')}` })
    .option('state', { type: 'string', description: 'A state file the first sync starts from (bounds a large source)' })
    .option('timeout', { type: 'number', default: 300, description: 'Seconds each run of the tap may take' })
    .option('format', { choices: ['table', 'json'], default: 'table', description: 'A table (people) or the report as JSON (tools)' })
    .option('verbose', { type: 'boolean', default: false, description: 'Every problem of a failed or warned check, not only the first' }),
  handler: check,
};
